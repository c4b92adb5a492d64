import 'reflect-metadata';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PUBLIC_PREFIX } from '../subjects';
import { VAULT_NAME } from '../limits';
import { ChangeEventData } from './change-spec';
import { EVENT_KINDS, KindChangeType } from '../events/event-kinds';

/**
 * The public change feed: every change to every object as a CloudEvents 1.0 event, computed from
 * the event log on read (so a replay from any cursor returns the same events in the same order).
 * Types are Azure Event Grid's Key Vault types in the `Coffer.KeyVault.` namespace, plus the
 * changes Azure does not publish (deleted, recovered, purged, attributes updated, role assignments).
 */
export const CHANGE_TYPE_PREFIX = 'Coffer.KeyVault.';

/** Every change type, declared per object kind next to the events they are mapped from. */
export const CHANGE_EVENT_TYPES: readonly KindChangeType[] = EVENT_KINDS.flatMap((kind): readonly KindChangeType[] => kind.changeTypes);
export type ChangeEventType = KindChangeType;

export interface ChangeEvent {
  specversion: '1.0';
  /** Unique and stable: the event log sequence (plus `.n` when one log event yields several changes). */
  id: string;
  /** `coffer://<vault>` (`coffer://_system` for role assignments at the root scope). */
  source: string;
  type: `${typeof CHANGE_TYPE_PREFIX}${ChangeEventType}`;
  /** The object's id, e.g. `coffer://demo/secrets/db/<version>`. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Position in the event log: resume after it with `{from: {sequence: cofferseq + 1}}`. */
  cofferseq: number;
  data: ChangeEventData;
}

export const ChangeSubjects = {
  fetch: `${PUBLIC_PREFIX}.changes.fetch`,
} as const;

export const ChangeLimits = {
  maxEventsDefault: 100,
  maxEventsMax: 256,
  waitMsMax: 30_000,
} as const;

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

export interface FetchChangesReply {
  events: ChangeEvent[];
  /** Where the next fetch starts (`fromSequence`): after every log event this page looked at. */
  next: number;
}
