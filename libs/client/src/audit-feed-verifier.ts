import {
  AuditCheckpoint, auditFeedPagePayload, AuditOutcome, AuditFeedRecord, auditRecordVault, canonicalJson, chainHash, checkpointSignatureValid, es256SignatureValid,
  FetchAuditFeedReply, GENESIS_HASH,
} from '@coffer/contracts/protocol';
import { JsonWebKey } from 'node:crypto';

/** Where a verified subscriber stands: the next chain position it expects and the hash before it. Save it to resume. */
export interface AuditFeedCursor {
  position: number;
  hash: string;
}

/** The audit key pages and checkpoints must be signed with (pin it: out of band, or on first use and then stored). */
export interface AuditFeedKey {
  keyId: string;
  jwk: Record<string, unknown>;
}

/** What the subscriber asked for: the statement every page's signature must name. */
export interface AuditFeedScope {
  vault?: string;
  principal?: string;
  outcome?: AuditOutcome;
}

export type AuditFeedProblem = 'gap' | 'modified' | 'signature' | 'key-changed' | 'checkpoint' | 'scope';

/** The feed is not the unbroken, untampered chain it must be: alert, do not go on. */
export class AuditFeedIntegrityError extends Error {
  override readonly name = 'AuditFeedIntegrityError';
  constructor(readonly problem: AuditFeedProblem, readonly position: number, detail: string) {
    super(`audit feed ${problem} at position ${position}: ${detail}`);
  }
}

/**
 * Verifies feed pages as they arrive, without trusting the connection or the vault: each page's
 * signature by the pinned audit key (over its scope, filters, range and items), that it starts where
 * the last one ended, every whole record's hash recomputed from the hash before it, every redacted
 * run and checkpoint linked into the same sequence of hashes, every checkpoint's own signature and
 * head. Throws AuditFeedIntegrityError at the first problem; `cursor` only moves over verified items.
 */
export class AuditFeedVerifier {
  cursor: AuditFeedCursor | undefined;
  key: AuditFeedKey | undefined;

  constructor(private readonly scope: AuditFeedScope, from?: { cursor?: AuditFeedCursor; key?: AuditFeedKey }) {
    this.cursor = from?.cursor;
    this.key = from?.key;
  }

  /** Checks a page; returns its whole records and checkpoints in chain order, each with the cursor after it. */
  verify(page: FetchAuditFeedReply): { item: AuditFeedRecord | { kind: 'checkpoint'; checkpoint: AuditCheckpoint }; cursor: AuditFeedCursor }[] {
    const key = this.pin(page);
    const start = this.cursor?.position ?? page.from;
    if (page.from !== start) throw new AuditFeedIntegrityError('gap', start, `the page starts at position ${page.from}`);
    if (page.items.length === 0) {
      if (page.next !== page.from) throw new AuditFeedIntegrityError('gap', start, `an empty page moves the cursor to ${page.next}`);
      return [];
    }
    if (!page.signature || !es256SignatureValid(auditFeedPagePayload(page, this.scope), page.signature, key.jwk as JsonWebKey)) {
      throw new AuditFeedIntegrityError('signature', start, 'the page is not signed by the audit key for this scope and range');
    }
    let position = start;
    let hash = this.cursor?.hash ?? (start === 1 ? GENESIS_HASH : undefined);
    const out: ReturnType<AuditFeedVerifier['verify']> = [];
    const link = (previous: string, at: number) => {
      if (hash !== undefined && previous !== hash) throw new AuditFeedIntegrityError('gap', at, 'the hash before it is not the last hash seen');
    };
    for (const item of page.items) {
      if (item.kind === 'record') {
        if (item.position !== position) throw new AuditFeedIntegrityError('gap', position, `a record at position ${item.position}`);
        link(item.previous, position);
        if (chainHash(item.previous, item.sequence, item.index, item.record) !== item.hash) {
          throw new AuditFeedIntegrityError('modified', position, 'the record does not hash to its chain hash');
        }
        if (this.scope.vault !== undefined && auditRecordVault(item.record) !== this.scope.vault) {
          throw new AuditFeedIntegrityError('scope', position, 'a record outside the requested vault');
        }
        hash = item.hash;
        position++;
        out.push({ item, cursor: { position, hash } });
      } else if (item.kind === 'redacted') {
        if (item.from !== position || item.to < item.from) throw new AuditFeedIntegrityError('gap', position, `a redacted run ${item.from}-${item.to}`);
        link(item.previous, position);
        hash = item.hash;
        position = item.to + 1;
      } else {
        const c = item.checkpoint;
        if (c.keyId !== key.keyId || !checkpointSignatureValid(c, key.jwk as JsonWebKey)) {
          throw new AuditFeedIntegrityError('checkpoint', position, `checkpoint at sequence ${c.sequence} is not signed by the audit key`);
        }
        if (c.count !== position - 1 || c.head !== hash) {
          throw new AuditFeedIntegrityError('checkpoint', position, `checkpoint at sequence ${c.sequence} does not match the chain seen (count ${c.count}, head ${c.head})`);
        }
        out.push({ item, cursor: { position, hash: hash! } });
      }
    }
    if (page.next !== position) throw new AuditFeedIntegrityError('gap', position, `the page claims to end before ${page.next}`);
    this.cursor = { position, hash: hash! };
    return out;
  }

  private pin(page: FetchAuditFeedReply): AuditFeedKey {
    const offered = { keyId: page.keyId, jwk: page.jwk };
    if (!this.key) {
      this.key = offered;
    } else if (this.key.keyId !== offered.keyId || canonicalJson(this.key.jwk) !== canonicalJson(offered.jwk)) {
      throw new AuditFeedIntegrityError('key-changed', page.from, `the feed is signed by another key than the pinned '${this.key.keyId}'`);
    }
    return this.key;
  }
}
