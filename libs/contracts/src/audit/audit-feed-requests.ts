import 'reflect-metadata';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AuditOutcome } from '../auth/audit-record';
import { PRINCIPAL_ID } from '../auth/auth-ids';
import { VAULT_NAME } from '../limits';
import { AuditFeedLimits } from './audit-feed';

const OUTCOMES: AuditOutcome[] = ['succeeded', 'failed', 'denied', 'unauthenticated'];

/**
 * One page of the feed. Start at `fromPosition` (a cursor: the `next` of the previous reply; 1 is
 * the first record), at `fromTime` (the first record at or after it), or with `fromNow` at the
 * chain head; with none, at the beginning. A vault-scoped request shows only that vault's records
 * whole (and needs Coffer Audit Reader at that vault or the root); without `vault`, every record
 * (role at the root). The cursor is a plain chain position: the scope is the request's, checked on
 * every page, never carried in the cursor.
 */
export class FetchAuditFeedRequest {
  @IsOptional() @IsString() @Matches(VAULT_NAME, { message: 'vault must be a vault name' })
  vault?: string;

  @IsOptional() @IsString() @Matches(PRINCIPAL_ID, { message: 'principal must be a principal id' })
  principal?: string;

  @IsOptional() @IsIn(OUTCOMES)
  outcome?: AuditOutcome;

  @IsOptional() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  fromPosition?: number;

  @IsOptional() @IsISO8601({ strict: true })
  fromTime?: string;

  @IsOptional() @IsIn([true])
  fromNow?: true;

  @IsOptional() @IsInt() @Min(1) @Max(AuditFeedLimits.maxRecordsMax)
  maxRecords?: number;

  @IsOptional() @IsInt() @Min(0) @Max(AuditFeedLimits.waitMsMax)
  waitMs?: number;
}
