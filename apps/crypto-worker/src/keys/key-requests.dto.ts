import {
  BatchRequest, CURVES, Curve, DestroyKeysRequest, ENCRYPTION_ALGORITHMS, ExportKeyRequest, GenerateKeyRequest, HSM_KEY_ID, ImportKeyRequest,
  KeyFamily, KeyLimits, PublicKeyMaterial, RandomBytesRequest, RestoreKeyRequest, RewrapRequest, SIGNATURE_ALGORITHMS, SignRequest,
  WRAP_ALGORITHMS,
} from '@coffer/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

/**
 * Request bodies of the key subjects (`coffer.internal.crypto.key.*`, `random`). Binary fields are
 * standard base64, as everywhere on the internal protocol; the HSM adapter checks sizes against
 * the algorithm and the key (typed errors), these rules only keep malformed bodies out.
 */

const KEY_ID_RULE = { message: 'hsmKeyId must be <vault>/<name>/<32 hex version>' };
/** Standard base64, padded; empty allowed only where the field says so. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Rule = (field: string) => ({ message: `${field} must be standard base64` });
/** base64 length of the largest operation value (64 KiB), plus slack for a wrapped one. */
const MAX_VALUE_BASE64 = Math.ceil((KeyLimits.operationValueMaxBytes + 64) / 3) * 4;
/** A backup of an RSA-4096 key is about 2.4 KB. */
const MAX_WRAPPED_KEY_BASE64 = 12_000;
const KEY_FAMILIES: KeyFamily[] = ['RSA', 'EC', 'oct'];

class HsmKeyIdField {
  @IsString()
  @Matches(HSM_KEY_ID, KEY_ID_RULE)
  hsmKeyId!: string;
}

export class GenerateKeyDto extends HsmKeyIdField implements GenerateKeyRequest {
  @IsIn(KEY_FAMILIES, { message: 'kty must be RSA, EC or oct' })
  kty!: KeyFamily;

  @IsOptional()
  @IsInt()
  size?: number;

  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(0xffffffff)
  publicExponent?: number;

  @IsOptional()
  @IsIn(CURVES as unknown as Curve[], { message: `crv must be one of ${CURVES.join(', ')}` })
  crv?: Curve;

  @IsOptional()
  @IsBoolean()
  exportable?: boolean;
}

export class ImportKeyDto extends HsmKeyIdField implements ImportKeyRequest {
  /** Members are checked (base64url, consistency) by the adapter, which never echoes them. */
  @IsObject({ message: 'jwk must be a JSON object' })
  jwk!: Record<string, string>;

  @IsOptional()
  @IsBoolean()
  exportable?: boolean;
}

export class SignDto extends HsmKeyIdField implements SignRequest {
  @IsIn(SIGNATURE_ALGORITHMS, { message: `alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}` })
  alg!: string;

  @IsString()
  @MaxLength(88)
  @Matches(BASE64, base64Rule('digest'))
  digest!: string;
}

/** key.decrypt and key.encrypt (alg an encryption algorithm), key.wrap and key.unwrap (a wrap algorithm). */
class CipherFields extends HsmKeyIdField {
  @IsString()
  @MaxLength(MAX_VALUE_BASE64)
  @Matches(BASE64, base64Rule('value'))
  value!: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  @Matches(BASE64, base64Rule('iv'))
  iv?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  @Matches(BASE64, base64Rule('tag'))
  tag?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_BASE64)
  @Matches(BASE64, base64Rule('aad'))
  aad?: string;
}

export class EncryptionDto extends CipherFields {
  @IsIn(ENCRYPTION_ALGORITHMS, { message: `alg must be one of ${ENCRYPTION_ALGORITHMS.join(', ')}` })
  alg!: string;
}

export class WrapDto extends CipherFields {
  @IsIn(WRAP_ALGORITHMS, { message: `alg must be one of ${WRAP_ALGORITHMS.join(', ')}` })
  alg!: string;
}

export class RewrapDto implements RewrapRequest {
  @IsString()
  @Matches(HSM_KEY_ID, { message: 'fromHsmKeyId must be <vault>/<name>/<32 hex version>' })
  fromHsmKeyId!: string;

  @IsString()
  @Matches(HSM_KEY_ID, { message: 'toHsmKeyId must be <vault>/<name>/<32 hex version>' })
  toHsmKeyId!: string;

  @IsOptional()
  @IsObject({ message: 'toPublicKey must be a JSON object' })
  toPublicKey?: PublicKeyMaterial;

  @IsIn(WRAP_ALGORITHMS, { message: `alg must be one of ${WRAP_ALGORITHMS.join(', ')}` })
  alg!: string;

  @IsString()
  @MaxLength(MAX_VALUE_BASE64)
  @Matches(BASE64, base64Rule('value'))
  value!: string;
}

class BatchItemDto {
  @IsString()
  @MaxLength(MAX_VALUE_BASE64)
  @Matches(BASE64, base64Rule('value'))
  value!: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_BASE64)
  @Matches(BASE64, base64Rule('aad'))
  aad?: string;
}

export class BatchDto extends HsmKeyIdField implements BatchRequest {
  @IsIn(['sign', 'encrypt'], { message: 'op must be sign or encrypt' })
  op!: 'sign' | 'encrypt';

  @IsIn([...SIGNATURE_ALGORITHMS, ...ENCRYPTION_ALGORITHMS], { message: 'alg must be a signature or encryption algorithm' })
  alg!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(KeyLimits.batchItemsMax)
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items!: BatchItemDto[];
}

export class DestroyKeysDto implements DestroyKeysRequest {
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(HSM_KEY_ID, { each: true, message: 'every hsmKeyId must be <vault>/<name>/<32 hex version>' })
  hsmKeyIds!: string[];
}

export class ExportKeyDto extends HsmKeyIdField implements ExportKeyRequest {}

export class ExportPrivateKeyDto extends HsmKeyIdField {}

export class RestoreKeyDto extends HsmKeyIdField implements RestoreKeyRequest {
  @IsIn(KEY_FAMILIES, { message: 'kty must be RSA, EC or oct' })
  kty!: KeyFamily;

  @IsString()
  @MaxLength(MAX_WRAPPED_KEY_BASE64)
  @Matches(BASE64, base64Rule('wrapped'))
  wrapped!: string;

  @IsObject({ message: 'publicKey must be a JSON object' })
  publicKey!: PublicKeyMaterial;
}

export class RandomBytesDto implements RandomBytesRequest {
  @IsInt({ message: `count must be an integer from ${KeyLimits.randomBytesMin} to ${KeyLimits.randomBytesMax}` })
  @Min(KeyLimits.randomBytesMin, { message: `count must be an integer from ${KeyLimits.randomBytesMin} to ${KeyLimits.randomBytesMax}` })
  @Max(KeyLimits.randomBytesMax, { message: `count must be an integer from ${KeyLimits.randomBytesMin} to ${KeyLimits.randomBytesMax}` })
  count!: number;
}

/** Decodes a field the DTO already checked as base64; undefined stays undefined. */
export function bytes(value: string): Buffer;
export function bytes(value: string | undefined): Buffer | undefined;
export function bytes(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}
