import { createHash } from 'node:crypto';
import {
  AuditCheckpoint, auditFeedPagePayload, AuditRecord, chainHash, checkpointDigest, FetchAuditFeedReply, FetchAuditFeedRequest, GENESIS_HASH,
} from '@coffer/contracts';
import { AuditFeedIntegrityError, AuditFeedVerifier } from '@coffer/client';
import { ChainRow } from '@coffer/audit';
import { SoftwareSigner } from '../../../../libs/audit/src/testing/software-signer';
import { buildAuditFeedPage } from './audit-feed-page';
import { visibleTo } from './audit-feed.reader';

const signer = new SoftwareSigner();
const rec = (vault: string, n: number): AuditRecord => ({
  time: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`, requestId: `r-${n}`, principal: n % 2 ? 'p-0000000000000001' : 'p-0000000000000002',
  action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action', objectId: `/vaults/${vault}/secrets/s${n}`, outcome: 'succeeded', subject: `coffer.v1.vault.${vault}.secret.get`,
});

/** A chain of `n` records alternating between vaults prod and dev (two records per message), with a checkpoint after position 6. */
function chain(n: number): { rows: ChainRow[]; checkpoints: AuditCheckpoint[] } {
  const rows: ChainRow[] = [];
  let hash = GENESIS_HASH;
  for (let p = 1; p <= n; p++) {
    const record = rec(p % 3 === 0 ? 'prod' : 'dev', p);
    const seq = Math.ceil(p / 2);
    const index = (p - 1) % 2;
    hash = chainHash(hash, seq, index, record);
    rows.push({ seq, index, position: p, hash, record });
  }
  return { rows, checkpoints: [] };
}

async function signedCheckpoint(row: ChainRow): Promise<AuditCheckpoint> {
  const unsigned = { sequence: row.seq, count: row.position, head: row.hash, time: '2026-01-01T00:01:00.000Z', keyId: signer.keyId };
  return { ...unsigned, signature: (await signer.sign(checkpointDigest(unsigned))).toString('base64') };
}

async function servePage(rows: ChainRow[], checkpoints: AuditCheckpoint[], req: FetchAuditFeedRequest & { fromPosition: number }, maxRecords = 100): Promise<FetchAuditFeedReply> {
  const from = req.fromPosition;
  const previous = from === 1 ? GENESIS_HASH : rows[from - 2].hash;
  const { items, next } = buildAuditFeedPage({ from, previous, rows: rows.filter((r) => r.position >= from), checkpoints, visible: visibleTo(req), maxRecords });
  const page: FetchAuditFeedReply = { from, next, head: rows.length, items, keyId: signer.keyId, jwk: signer.jwk as Record<string, unknown> };
  if (items.length === 0) return page;
  const digest = createHash('sha256').update(auditFeedPagePayload(page, req)).digest();
  return { ...page, signature: (await signer.sign(digest)).toString('base64') };
}

const problemOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as AuditFeedIntegrityError).problem;
  }
};

describe('audit feed pages and their verification', () => {
  const { rows } = chain(12);
  let checkpoints: AuditCheckpoint[];
  beforeAll(async () => {
    checkpoints = [await signedCheckpoint(rows[5])];
  });

  it('a root reader sees every record whole, the checkpoint where it falls, and verifies across pages', async () => {
    const verifier = new AuditFeedVerifier({});
    const first = await servePage(rows, checkpoints, { fromPosition: 1 }, 4);
    expect(first.items.map((i) => i.kind)).toEqual(['record', 'record', 'record', 'record']);
    verifier.verify(first);
    const second = await servePage(rows, checkpoints, { fromPosition: first.next });
    expect(second.items.map((i) => (i.kind === 'record' ? i.position : i.kind))).toEqual([5, 6, 'checkpoint', 7, 8, 9, 10, 11, 12]);
    verifier.verify(second);
    expect(verifier.cursor).toEqual({ position: 13, hash: rows[11].hash });
  });

  it('a vault reader gets only its vault whole; other records fold into redacted runs that still link, split at checkpoints', async () => {
    const page = await servePage(rows, checkpoints, { fromPosition: 1, vault: 'prod' });
    expect(page.items.map((i) => (i.kind === 'record' ? `r${i.position}` : i.kind === 'redacted' ? `x${i.from}-${i.to}` : 'c'))).toEqual(
      ['x1-2', 'r3', 'x4-5', 'r6', 'c', 'x7-8', 'r9', 'x10-11', 'r12'],
    );
    expect(JSON.stringify(page)).not.toContain('/vaults/dev');
    const verifier = new AuditFeedVerifier({ vault: 'prod' });
    expect(verifier.verify(page).filter((i) => i.item.kind === 'record')).toHaveLength(4);
  });

  it('refuses a modified or withheld record (the page signature), a skipped page, a wrong resume hash, a page of another scope and another key', async () => {
    const servedFrom4 = await servePage(rows, checkpoints, { fromPosition: 4 });
    const page = await servePage(rows, checkpoints, { fromPosition: 1, vault: 'prod' });
    const tampered = structuredClone(page);
    const r = tampered.items.find((i) => i.kind === 'record')!;
    if (r.kind === 'record') r.record.outcome = 'denied';
    expect(problemOf(() => new AuditFeedVerifier({ vault: 'prod' }).verify(tampered))).toBe('modified');
    // A record of the reader's vault withheld as a redacted run: the links still fit, the signed statement does not.
    const withheld = structuredClone(page);
    const at = withheld.items.findIndex((i) => i.kind === 'record');
    const hidden = withheld.items[at];
    if (hidden.kind === 'record') withheld.items[at] = { kind: 'redacted', from: hidden.position, to: hidden.position, previous: hidden.previous, hash: hidden.hash };
    expect(problemOf(() => new AuditFeedVerifier({ vault: 'prod' }).verify(withheld))).toBe('signature');

    // Re-signed by someone else: the key changed.
    const other = new SoftwareSigner();
    const forged = { ...tampered, jwk: other.jwk as Record<string, unknown> };
    forged.signature = (await other.sign(createHash('sha256').update(auditFeedPagePayload(forged, { vault: 'prod' })).digest())).toString('base64');
    expect(problemOf(() => new AuditFeedVerifier({ vault: 'prod' }, { key: { keyId: signer.keyId, jwk: signer.jwk as Record<string, unknown> } }).verify(forged))).toBe('key-changed');

    // A page served for the root scope replayed to a vault reader: its signature names another scope.
    const root = await servePage(rows, checkpoints, { fromPosition: 1 });
    expect(problemOf(() => new AuditFeedVerifier({ vault: 'prod' }).verify(root))).toBe('signature');

    // A page skipped: the next one does not start where the last ended.
    const verifier = new AuditFeedVerifier({});
    verifier.verify(await servePage(rows, checkpoints, { fromPosition: 1 }, 2));
    expect(problemOf(() => verifier.verify(servedFrom4))).toBe('gap');

    // Resuming with a saved cursor whose hash is not the chain's: the first link does not match.
    const resumed = new AuditFeedVerifier({}, { cursor: { position: 4, hash: 'f'.repeat(64) } });
    expect(problemOf(() => resumed.verify(servedFrom4))).toBe('gap');
    // With the right one it verifies.
    expect(problemOf(() => new AuditFeedVerifier({}, { cursor: { position: 4, hash: rows[2].hash } }).verify(servedFrom4))).toBeUndefined();
  });
});
