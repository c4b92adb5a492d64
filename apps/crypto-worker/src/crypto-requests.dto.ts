import {
  EnsureKekRequest, EnsureSigningKeyRequest, GenerateDataKeyRequest, KEK_ID, KeyedHashRequest, SIGNING_KEY_ID, SignDigestRequest, UnwrapDataKeyRequest,
} from '@coffer/contracts';
import { IsBase64, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

const KEK_ID_RULE = { message: 'kekId must be 1 to 64 characters from A-Z a-z 0-9 : _ -' };
const SIGNING_KEY_ID_RULE = { message: 'keyId must be 1 to 64 characters from A-Z a-z 0-9 : _ -' };

/** Standard base64 of exactly 32 bytes: 43 characters and one '=' of padding. */
const SHA256_DIGEST_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** base64 of at most 1 KiB of wrapped key (a wrapped AES-256 key is 40 bytes). */
const MAX_WRAPPED_BASE64 = 1368;

export class EnsureKekDto implements EnsureKekRequest {
  @IsString()
  @Matches(KEK_ID, KEK_ID_RULE)
  kekId!: string;
}

export class GenerateDataKeyDto implements GenerateDataKeyRequest {
  @IsString()
  @Matches(KEK_ID, KEK_ID_RULE)
  kekId!: string;
}

export class UnwrapDataKeyDto implements UnwrapDataKeyRequest {
  @IsString()
  @Matches(KEK_ID, KEK_ID_RULE)
  kekId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_WRAPPED_BASE64)
  @IsBase64(undefined, { message: 'wrapped must be base64' })
  wrapped!: string;
}

export class EnsureSigningKeyDto implements EnsureSigningKeyRequest {
  @IsString()
  @Matches(SIGNING_KEY_ID, SIGNING_KEY_ID_RULE)
  keyId!: string;
}

export class SignDigestDto implements SignDigestRequest {
  @IsString()
  @Matches(SIGNING_KEY_ID, SIGNING_KEY_ID_RULE)
  keyId!: string;

  @IsString({ message: 'digest must be the base64 of a 32-byte SHA-256 digest' })
  @Matches(SHA256_DIGEST_BASE64, { message: 'digest must be the base64 of a 32-byte SHA-256 digest' })
  digest!: string;
}

/** base64 of at most 2 KiB (MAX_MAC_INPUT_BYTES). */
const MAX_MAC_INPUT_BASE64 = 2732;

export class KeyedHashDto implements KeyedHashRequest {
  @IsString()
  @Matches(SIGNING_KEY_ID, SIGNING_KEY_ID_RULE)
  keyId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_MAC_INPUT_BASE64)
  @IsBase64(undefined, { message: 'data must be base64' })
  data!: string;
}
