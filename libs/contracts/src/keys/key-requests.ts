import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches,
  Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { OBJECT_NAME, VERSION_ID } from '../limits';
import { PageRequest, SecretAttributesRequest } from '../wire/requests';
import { IsTags } from '../wire/tags.validator';
import {
  Curve, CURVES, ENCRYPTION_ALGORITHMS, EncryptionAlgorithm, KEY_OPS, KEY_TYPES_REQUESTED, KeyLimits, KeyOp, RequestedKeyType,
  SIGNATURE_ALGORITHMS, SignatureAlgorithm, WRAP_ALGORITHMS, WrapAlgorithm,
} from './key-algorithms';

/**
 * Request bodies of the key subjects (`coffer.v1.vault.<vault>.key.<op>`), with Azure Key Vault's
 * field names. Validated like every request (whitelist + forbidNonWhitelisted). Binary values are
 * base64url without padding; whether an algorithm fits the key is the domain's check, not these.
 */

/** base64url without padding; a length of 4n+1 cannot be produced by any byte string. */
export const BASE64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$/;
/** base64url characters needed for `bytes` bytes (no padding). */
export const base64UrlLength = (bytes: number): number => Math.ceil((bytes * 4) / 3);
/** ISO 8601 duration (P1Y2M3W4DT5H6M7S; at least one part). */
export const ISO_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

const VALUE_MAX = base64UrlLength(KeyLimits.operationValueMaxBytes);
const NAME_MESSAGE = { message: 'name must match ^[0-9a-zA-Z-]{1,127}$' };
const VERSION_MESSAGE = { message: 'version must be 32 lowercase hex characters' };
const b64u = (field: string) => ({ message: `${field} must be base64url without padding` });
const IF_MATCH = /^([0-9a-f]{32}|[0-9]{1,16})$/;

export class KeyNameRequest {
  @IsString() @Matches(OBJECT_NAME, NAME_MESSAGE)
  name!: string;
}

/** Rotate; `ifMatch` (current version or sequence) makes it check-and-set, so a scheduler never rotates a version it did not see. */
export class KeyRotateRequest extends KeyNameRequest {
  @IsOptional() @IsString() @Matches(IF_MATCH, { message: 'ifMatch must be a version id or a sequence number' })
  ifMatch?: string;
}

/** Attributes a caller may set: enabled, nbf, exp (ISO 8601). */
export class KeyAttributesRequest extends SecretAttributesRequest {}

export class KeyCreateRequest extends KeyNameRequest {
  @IsIn(KEY_TYPES_REQUESTED)
  kty!: RequestedKeyType;

  @IsOptional() @IsInt()
  key_size?: number;

  @IsOptional() @IsInt() @Min(3)
  public_exponent?: number;

  @IsOptional() @IsIn(CURVES)
  crv?: Curve;

  @IsOptional() @IsArray() @ArrayUnique() @IsIn(KEY_OPS, { each: true })
  key_ops?: KeyOp[];

  @IsOptional() @ValidateNested() @Type(() => KeyAttributesRequest)
  attributes?: KeyAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;
}

/** A private JWK to import (BYOK): RSA n,e,d,p,q,dp,dq,qi; EC crv,x,y,d; oct k. Completeness is checked by the domain. */
export class ImportedJsonWebKey {
  @IsIn(['RSA', 'EC', 'oct'])
  kty!: 'RSA' | 'EC' | 'oct';

  @IsOptional() @IsIn(CURVES)
  crv?: Curve;

  @IsOptional() @IsString() @MaxLength(2048) @Matches(BASE64URL, b64u('n'))
  n?: string;

  @IsOptional() @IsString() @MaxLength(16) @Matches(BASE64URL, b64u('e'))
  e?: string;

  @IsOptional() @IsString() @MaxLength(2048) @Matches(BASE64URL, b64u('d'))
  d?: string;

  @IsOptional() @IsString() @MaxLength(1024) @Matches(BASE64URL, b64u('p'))
  p?: string;

  @IsOptional() @IsString() @MaxLength(1024) @Matches(BASE64URL, b64u('q'))
  q?: string;

  @IsOptional() @IsString() @MaxLength(1024) @Matches(BASE64URL, b64u('dp'))
  dp?: string;

  @IsOptional() @IsString() @MaxLength(1024) @Matches(BASE64URL, b64u('dq'))
  dq?: string;

  @IsOptional() @IsString() @MaxLength(1024) @Matches(BASE64URL, b64u('qi'))
  qi?: string;

  @IsOptional() @IsString() @MaxLength(128) @Matches(BASE64URL, b64u('x'))
  x?: string;

  @IsOptional() @IsString() @MaxLength(128) @Matches(BASE64URL, b64u('y'))
  y?: string;

  @IsOptional() @IsString() @MaxLength(64) @Matches(BASE64URL, b64u('k'))
  k?: string;
}

export class KeyImportRequest extends KeyNameRequest {
  @IsDefined() @ValidateNested() @Type(() => ImportedJsonWebKey)
  key!: ImportedJsonWebKey;

  @IsOptional() @IsArray() @ArrayUnique() @IsIn(KEY_OPS, { each: true })
  key_ops?: KeyOp[];

  @IsOptional() @ValidateNested() @Type(() => KeyAttributesRequest)
  attributes?: KeyAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;
}

export class KeyGetRequest extends KeyNameRequest {
  @IsOptional() @IsString() @Matches(VERSION_ID, VERSION_MESSAGE)
  version?: string;
}

export class KeyVersionsRequest extends PageRequest {
  @IsString() @Matches(OBJECT_NAME, NAME_MESSAGE)
  name!: string;
}

export class KeyUpdateRequest extends KeyGetRequest {
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(KEY_OPS, { each: true })
  key_ops?: KeyOp[];

  @IsOptional() @ValidateNested() @Type(() => KeyAttributesRequest)
  attributes?: KeyAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;

  @IsOptional() @IsString() @Matches(IF_MATCH, { message: 'ifMatch must be a 32-hex version id or a sequence number' })
  ifMatch?: string;
}

export class KeyRestoreRequest {
  @IsString() @IsNotEmpty()
  value!: string;
}

export class LifetimeActionTriggerRequest {
  @IsOptional() @IsString() @Matches(ISO_DURATION, { message: 'timeAfterCreate must be an ISO 8601 duration such as P90D' })
  timeAfterCreate?: string;

  @IsOptional() @IsString() @Matches(ISO_DURATION, { message: 'timeBeforeExpiry must be an ISO 8601 duration such as P30D' })
  timeBeforeExpiry?: string;
}

export class LifetimeActionTypeRequest {
  @IsIn(['Rotate', 'Notify'])
  type!: 'Rotate' | 'Notify';
}

export class LifetimeActionRequest {
  @IsDefined() @ValidateNested() @Type(() => LifetimeActionTriggerRequest)
  trigger!: LifetimeActionTriggerRequest;

  @IsDefined() @ValidateNested() @Type(() => LifetimeActionTypeRequest)
  action!: LifetimeActionTypeRequest;
}

export class RotationPolicyAttributesRequest {
  @IsOptional() @IsString() @Matches(ISO_DURATION, { message: 'expiryTime must be an ISO 8601 duration such as P1Y' })
  expiryTime?: string;
}

export class KeyRotationPolicySetRequest extends KeyNameRequest {
  @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => LifetimeActionRequest)
  lifetimeActions!: LifetimeActionRequest[];

  @IsOptional() @ValidateNested() @Type(() => RotationPolicyAttributesRequest)
  attributes?: RotationPolicyAttributesRequest;
}

/** The key (and optionally version; default the latest) an operation uses. */
export class KeyOperationTarget extends KeyGetRequest {}

export class KeySignRequest extends KeyOperationTarget {
  @IsIn(SIGNATURE_ALGORITHMS)
  alg!: SignatureAlgorithm;

  /** The digest to sign. */
  @IsString() @MaxLength(base64UrlLength(1024)) @Matches(BASE64URL, b64u('value'))
  value!: string;
}

export class KeyVerifyRequest extends KeyOperationTarget {
  @IsIn(SIGNATURE_ALGORITHMS)
  alg!: SignatureAlgorithm;

  @IsString() @MaxLength(base64UrlLength(1024)) @Matches(BASE64URL, b64u('digest'))
  digest!: string;

  /** The signature. */
  @IsString() @MaxLength(base64UrlLength(1024)) @Matches(BASE64URL, b64u('value'))
  value!: string;
}

export class KeyEncryptRequest extends KeyOperationTarget {
  @IsIn(ENCRYPTION_ALGORITHMS)
  alg!: EncryptionAlgorithm;

  @IsString() @MaxLength(VALUE_MAX) @Matches(BASE64URL, b64u('value'))
  value!: string;

  @IsOptional() @IsString() @MaxLength(VALUE_MAX) @Matches(BASE64URL, b64u('aad'))
  aad?: string;
}

export class KeyDecryptRequest extends KeyEncryptRequest {
  @IsOptional() @IsString() @MaxLength(64) @Matches(BASE64URL, b64u('iv'))
  iv?: string;

  @IsOptional() @IsString() @MaxLength(64) @Matches(BASE64URL, b64u('tag'))
  tag?: string;
}

export class KeyWrapRequest extends KeyOperationTarget {
  @IsIn(WRAP_ALGORITHMS)
  alg!: WrapAlgorithm;

  @IsString() @MaxLength(VALUE_MAX) @Matches(BASE64URL, b64u('value'))
  value!: string;
}

export class KeyDataKeyRequest extends KeyOperationTarget {
  @IsIn(WRAP_ALGORITHMS)
  alg!: WrapAlgorithm;

  @IsOptional() @IsInt() @Min(KeyLimits.dataKeyBytesMin) @Max(KeyLimits.dataKeyBytesMax)
  bytes?: number;

  @IsOptional() @IsBoolean()
  wrappedOnly?: boolean;
}

/** Rewrap: `version` (required) is the version `value` is wrapped under; the result is under the latest. */
export class KeyRewrapRequest extends KeyNameRequest {
  @IsString() @Matches(VERSION_ID, VERSION_MESSAGE)
  version!: string;

  @IsIn(WRAP_ALGORITHMS)
  alg!: WrapAlgorithm;

  @IsString() @MaxLength(VALUE_MAX) @Matches(BASE64URL, b64u('value'))
  value!: string;
}

export class KeyRandomRequest {
  @IsInt() @Min(KeyLimits.randomBytesMin) @Max(KeyLimits.randomBytesMax)
  count!: number;
}

export class KeyBatchSignItem {
  @IsString() @MaxLength(base64UrlLength(1024)) @Matches(BASE64URL, b64u('value'))
  value!: string;
}

export class KeyBatchSignRequest extends KeyOperationTarget {
  @IsIn(SIGNATURE_ALGORITHMS)
  alg!: SignatureAlgorithm;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(KeyLimits.batchItemsMax) @ValidateNested({ each: true }) @Type(() => KeyBatchSignItem)
  items!: KeyBatchSignItem[];
}

export class KeyBatchEncryptItem {
  @IsString() @MaxLength(VALUE_MAX) @Matches(BASE64URL, b64u('value'))
  value!: string;

  @IsOptional() @IsString() @MaxLength(VALUE_MAX) @Matches(BASE64URL, b64u('aad'))
  aad?: string;
}

export class KeyBatchEncryptRequest extends KeyOperationTarget {
  @IsIn(ENCRYPTION_ALGORITHMS)
  alg!: EncryptionAlgorithm;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(KeyLimits.batchItemsMax) @ValidateNested({ each: true }) @Type(() => KeyBatchEncryptItem)
  items!: KeyBatchEncryptItem[];
}
