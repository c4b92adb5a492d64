import 'reflect-metadata';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { VAULT_NAME } from '../limits';
import { CHANGE_EVENT_TYPES, CHANGE_TYPE_PREFIX, ChangeLimits } from './change-feed';

/**
 * One page of the feed. Start at `fromSequence` (a cursor: the `next` of the previous reply) or
 * `fromTime`; with neither, at the beginning. With `waitMs`, an empty page waits that long for
 * the next change (long poll).
 */
export class FetchChangesRequest {
  @IsOptional() @IsString() @Matches(VAULT_NAME, { message: 'vault must be a vault name' })
  vault?: string;

  @IsOptional() @IsArray() @ArrayMaxSize(CHANGE_EVENT_TYPES.length) @IsIn([...CHANGE_EVENT_TYPES, ...CHANGE_EVENT_TYPES.map((t) => CHANGE_TYPE_PREFIX + t)], { each: true })
  types?: string[];

  @IsOptional() @IsInt() @Min(1)
  fromSequence?: number;

  @IsOptional() @IsISO8601({ strict: true })
  fromTime?: string;

  @IsOptional() @IsInt() @Min(1) @Max(ChangeLimits.maxEventsMax)
  maxEvents?: number;

  @IsOptional() @IsInt() @Min(0) @Max(ChangeLimits.waitMsMax)
  waitMs?: number;
}
