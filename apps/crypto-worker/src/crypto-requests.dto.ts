import { EnsureKekRequest, GenerateDataKeyRequest, KEK_ID, UnwrapDataKeyRequest } from '@coffer/contracts';
import { IsBase64, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

const KEK_ID_RULE = { message: 'kekId must be 1 to 64 characters from A-Z a-z 0-9 : _ -' };

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
