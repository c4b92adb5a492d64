/**
 * One audit record per request, allowed or denied, succeeded or failed, persisted to the
 * COFFER_AUDIT stream before the reply is sent. Never values, plaintexts, key material, tokens or
 * credentials; a sensitive identifier is kept only as an HMAC.
 */
export type AuditOutcome = 'succeeded' | 'failed' | 'denied' | 'unauthenticated';

export interface AuditRecord {
  /** ISO 8601 time the request was handled. */
  time: string;
  requestId: string;
  /** Principal id, or null when the request was not authenticated. */
  principal: string | null;
  /** The data action the request needed (e.g. Microsoft.KeyVault/vaults/secrets/getSecret/action). */
  action: string;
  /** The object: a scope string such as /vaults/prod/secrets/db, plus `version` when one was addressed. */
  objectId: string;
  version?: string;
  outcome: AuditOutcome;
  errorCode?: string;
  /** Public request subject, e.g. coffer.v1.vault.prod.secret.get (a summary whose requests differed: `*`). */
  subject: string;
  /**
   * Summary records only: how many anonymous, unsuccessful requests of one kind (action, outcome,
   * error code) the vault folded into this record instead of recording each; `time` is the first
   * folded request's, `lastTime` the last one's. Never set on a record of a success or of an
   * authenticated principal's request.
   */
  count?: number;
  lastTime?: string;
}

/** The requestId of a summary record (it stands for many requests). */
export const AUDIT_SUMMARY_REQUEST_ID = 'summary';

export const AuditStreams = {
  records: { name: 'COFFER_AUDIT', subjects: ['coffer.audit.records.>'], subject: (scope: string) => `coffer.audit.records.${scope}` },
  checkpoints: { name: 'COFFER_AUDIT_CHECKPOINTS', subjects: ['coffer.audit.checkpoints'], subject: 'coffer.audit.checkpoints' },
} as const;

/**
 * A signed statement of the chain head: hash_n = SHA-256(hash_{n-1} ‖ seq_n ‖ canonical JSON of
 * record n), starting from 32 zero bytes. `signature` is ES256 (r‖s, base64) by the HSM audit key
 * over the canonical JSON of the other fields.
 */
export interface AuditCheckpoint {
  sequence: number;
  count: number;
  head: string;
  time: string;
  keyId: string;
  signature: string;
}
