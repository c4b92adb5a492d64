import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean, IsDefined, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { Limits, OBJECT_NAME, VERSION_ID } from '../limits';
import { IsTags } from './tags.validator';

/**
 * Request bodies of the public subjects. Validated with whitelist + forbidNonWhitelisted:
 * an unknown field is a `BadParameter`, not silently ignored.
 */
export class EmptyRequest {}

export class VaultSettingsRequest {
  @IsOptional() @IsInt() @Min(Limits.retentionDaysMin) @Max(Limits.retentionDaysMax)
  retentionDays?: number;

  @IsOptional() @IsBoolean()
  purgeProtection?: boolean;
}

export class PageRequest {
  @IsOptional() @IsInt() @Min(Limits.pageSizeMin) @Max(Limits.pageSizeMax)
  maxResults?: number;

  @IsOptional() @IsString() @MaxLength(512)
  continuationToken?: string;
}

export class SecretNameRequest {
  @IsString() @Matches(OBJECT_NAME, { message: 'name must match ^[0-9a-zA-Z-]{1,127}$' })
  name!: string;
}

export class SecretAttributesRequest {
  @IsOptional() @IsBoolean()
  enabled?: boolean;

  @IsOptional() @IsISO8601({ strict: true })
  nbf?: string;

  @IsOptional() @IsISO8601({ strict: true })
  exp?: string;
}

/** ifMatch: the latest version id the caller saw, or the object's sequence (decimal string). */
const IF_MATCH = /^([0-9a-f]{32}|[0-9]{1,16})$/;

export class SetSecretRequest extends SecretNameRequest {
  @IsDefined() @IsString()
  value!: string;

  @IsOptional() @IsString() @MaxLength(Limits.maxContentTypeLength)
  contentType?: string;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;

  @IsOptional() @ValidateNested() @Type(() => SecretAttributesRequest)
  attributes?: SecretAttributesRequest;

  @IsOptional() @IsString() @Matches(IF_MATCH, { message: 'ifMatch must be a 32-hex version id or a sequence number' })
  ifMatch?: string;
}

export class GetSecretRequest extends SecretNameRequest {
  @IsOptional() @IsString() @Matches(VERSION_ID, { message: 'version must be 32 lowercase hex characters' })
  version?: string;
}

export class ListVersionsRequest extends PageRequest {
  @IsString() @Matches(OBJECT_NAME, { message: 'name must match ^[0-9a-zA-Z-]{1,127}$' })
  name!: string;
}

export class UpdateSecretRequest extends GetSecretRequest {
  @IsOptional() @ValidateNested() @Type(() => SecretAttributesRequest)
  attributes?: SecretAttributesRequest;

  @IsOptional() @IsString() @MaxLength(Limits.maxContentTypeLength)
  contentType?: string;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;

  @IsOptional() @IsString() @Matches(IF_MATCH, { message: 'ifMatch must be a 32-hex version id or a sequence number' })
  ifMatch?: string;
}

export class RestoreSecretRequest {
  @IsString() @IsNotEmpty()
  value!: string;
}
