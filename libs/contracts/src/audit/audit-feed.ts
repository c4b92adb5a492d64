import { createHash } from 'node:crypto';
import { AuditCheckpoint, AuditOutcome, AuditRecord } from '../auth/audit-record';
import { VAULT_NAME } from '../limits';
import { canonicalJson } from './canonical-json';

/**
 * The public audit feed (`coffer.v1.audit.feed`): the audit chain in chain order, for subscribers
 * (SIEMs, archives, alerting). A page covers a contiguous range of chain positions [from, next):
 * every record in it arrives either whole (`record`, with its hash and the hash before it, so the
 * link is recomputed) or, when the caller may not see it or did not ask for it, folded into a
 * `redacted` run that carries only the hash before the run and the hash after it. Signed
 * checkpoints appear where the chain reached them. Each non-empty page is signed by the audit key
 * (ES256, the key that signs checkpoints), over a statement that names the scope and filters, so a
 * subscriber proves without trusting the connection that it saw every position, in order, and that
 * the redacted runs are records outside its scope or filter, not its own records withheld.
 */
export const AUDIT_FEED_STATEMENT = 'coffer.audit.feed.page/1';

export const AuditFeedLimits = {
  maxRecordsDefault: 256,
  maxRecordsMax: 1000,
  /** Chain positions a page looks at, at most (a vault-scoped page of a busy chain ends early with one redacted run). */
  maxScan: 4096,
  waitMsMax: 30_000,
} as const;

/** A record the caller may see, at chain position `position` (stream sequence and index in its message). */
export interface AuditFeedRecord {
  kind: 'record';
  position: number;
  sequence: number;
  index: number;
  /** hash_{position-1}. */
  previous: string;
  /** hash_position = SHA-256(previous ‖ recordIdText(sequence, index) ‖ canonical JSON of record). */
  hash: string;
  record: AuditRecord;
}

/** Records at positions from..to the caller may not see (another vault) or filtered out: only the hashes around them. */
export interface AuditFeedRedacted {
  kind: 'redacted';
  from: number;
  to: number;
  previous: string;
  hash: string;
}

/** A signed checkpoint, right after the record at position `checkpoint.count`. */
export interface AuditFeedCheckpoint {
  kind: 'checkpoint';
  checkpoint: AuditCheckpoint;
}

export type AuditFeedItem = AuditFeedRecord | AuditFeedRedacted | AuditFeedCheckpoint;

export interface FetchAuditFeedReply {
  /** The first chain position this page covers (the request's cursor, resolved). */
  from: number;
  /** Where the next page starts (`fromPosition`): every position in [from, next) is in `items`. */
  next: number;
  items: AuditFeedItem[];
  /** The chain head (last position) when the page was read: a reader that does not follow stops there. */
  head: number;
  /** The audit key: pin it (out of band, or on first use) and check every page and checkpoint with it. */
  keyId: string;
  jwk: Record<string, unknown>;
  /** ES256 (r‖s, base64) by the audit key over auditFeedPagePayload; absent on an empty page. */
  signature?: string;
}

/** The scope and filters of a feed request (FetchAuditFeedRequest's), which its pages' signatures name. */
export interface AuditFeedFilter {
  vault?: string;
  principal?: string;
  outcome?: AuditOutcome;
}

/**
 * What a page's signature covers: the statement, the scope and filters it was served under, its
 * range, and the SHA-256 of its items' links (`r position previous hash`, `x from to previous hash`,
 * `c sequence count head`). A record's content is bound through its hash, which the reader
 * recomputes from the content; a checkpoint carries its own signature.
 */
export function auditFeedPagePayload(page: Pick<FetchAuditFeedReply, 'from' | 'next' | 'items' | 'keyId'>, request: AuditFeedFilter): string {
  return canonicalJson({
    statement: AUDIT_FEED_STATEMENT,
    scope: request.vault ?? '/',
    principal: request.principal ?? null,
    outcome: request.outcome ?? null,
    from: page.from,
    next: page.next,
    items: createHash('sha256').update(page.items.map(itemLink).join('\n'), 'utf8').digest('hex'),
    keyId: page.keyId,
  });
}

function itemLink(item: AuditFeedItem): string {
  switch (item.kind) {
    case 'record':
      return `r ${item.position} ${item.previous} ${item.hash}`;
    case 'redacted':
      return `x ${item.from} ${item.to} ${item.previous} ${item.hash}`;
    case 'checkpoint':
      return `c ${item.checkpoint.sequence} ${item.checkpoint.count} ${item.checkpoint.head}`;
  }
}

/** The vault an audit record belongs to (from its object id), or undefined for system records (principals, role assignments at the root, tokens). */
export function auditRecordVault(record: Pick<AuditRecord, 'objectId'>): string | undefined {
  const vault = /^\/vaults\/([^/]+)/.exec(record.objectId)?.[1];
  return vault !== undefined && VAULT_NAME.test(vault) ? vault : undefined;
}
