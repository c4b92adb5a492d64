import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { OBJECT_NAME, VERSION_ID } from '../limits';
import { EXPIRY_NOTICE_KINDS, ExpiryNoticeKind, MAX_NEAR_EXPIRY_DAYS } from './expiry-notices';

/** `coffer.v1.vault.<vault>.secret.notify` and `….key.notify`. */
export class NotifyExpiryRequest {
  @IsString() @Matches(OBJECT_NAME, { message: 'name must match ^[0-9a-zA-Z-]{1,127}$' })
  name!: string;

  @IsString() @Matches(VERSION_ID, { message: 'version must be 32 lowercase hex digits' })
  version!: string;

  @IsIn([...EXPIRY_NOTICE_KINDS])
  kind!: ExpiryNoticeKind;

  /** NearExpiry: the warning window (default 30 days; for keys a rotation policy's Notify trigger wins). */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_NEAR_EXPIRY_DAYS)
  nearExpiryDays?: number;
}
