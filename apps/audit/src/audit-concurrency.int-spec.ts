import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@coffer/config';
import { AuditRecord, AuditStreams, AuditVerifyReply, InternalSubjects, SignDigestRequest, verifyAllPages } from '@coffer/contracts';
import { AuditStatusReply } from '@coffer/audit';
import { connectTo, createTestSchema, postgresAvailableSync, SpawnedNats, startNatsServer, TEST_POSTGRES_URL, until, untilAnswering } from '@coffer/testing';
import { INestMicroservice } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { SoftwareSigner } from '../../../libs/audit/src/testing/software-signer';
import { JetStreamAuditSink } from '../../vault/src/audit/jetstream-audit.sink';
import { openAuditDataSource } from './db/audit-data-source';
import { tableRows } from '@coffer/sql';
import { auditCheckpointsTable, auditRecordsTable } from './db/audit-tables';
import { AuditStore, AuditStoreFullError, recordToRow } from './db/audit-store';
import { createAuditApp } from './main';

/** How long records are appended while checkpoints are signed and saved (bounded, a few seconds). */
const SUSTAIN_MS = 3_000;

const rec = (i: number): AuditRecord => ({
  time: new Date(Date.UTC(2025, 0, 1) + i).toISOString(), requestId: `req-${i}`, principal: 'p-0000000000000001',
  action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action', objectId: `/vaults/prod/secrets/s${i % 7}`, outcome: 'succeeded',
  subject: 'coffer.v1.vault.prod.secret.get',
});

function fakeCryptoWorker(nc: NatsConnection, signer: SoftwareSigner): void {
  nc.subscribe(InternalSubjects.crypto('sign'), {
    callback: (_e, m) => void signer.sign(Buffer.from(m.json<SignDigestRequest>().digest, 'base64')).then((sig) => m.respond(JSON.stringify({ signature: sig.toString('base64') }))),
  });
  nc.subscribe(InternalSubjects.crypto('signingkey.ensure'), { callback: (_e, m) => m.respond(JSON.stringify({ keyId: signer.keyId, jwk: signer.jwk })) });
}

/**
 * Issue 13: record appends and checkpoint saves used to interleave transactions on the one
 * better-sqlite3 connection ("no such savepoint"), rows vanished and verify reported tampering
 * under a signed checkpoint. Appends and checkpoints now run concurrently for a sustained period;
 * every stream record must have its row and verification (paged, and resumed from a checkpoint) is clean.
 */
type Database = (home: string) => Promise<{ url: string; drop(): Promise<void> }>;
const withPostgres = postgresAvailableSync(); // prints a SKIPPED banner when it is not
const DATABASES: [string, Database][] = [
  ['SQLite', async (home) => ({ url: `sqlite:${join(home, 'audit.sqlite')}`, drop: async () => undefined })],
  ...(withPostgres ? [['PostgreSQL', async () => createTestSchema()] as [string, Database]] : []),
];

if (!withPostgres) {
  describe('audit chain under concurrent appends and checkpoints (PostgreSQL)', () => {
    it.skip(`SKIPPED: no PostgreSQL at ${TEST_POSTGRES_URL} (set COFFER_TEST_PG_URL)`, () => undefined);
  });
}

describe.each(DATABASES)('audit chain under concurrent appends and checkpoints (%s)', (_name, database) => {
  let nats: SpawnedNats;
  let nc: NatsConnection;
  let home: string;
  let app: INestMicroservice;
  let db: { url: string; drop(): Promise<void> };
  const signer = new SoftwareSigner();

  beforeAll(async () => {
    nats = await startNatsServer();
    home = mkdtempSync(join(tmpdir(), 'coffer-audit-conc-'));
    db = await database(home);
    const config = { ...loadConfig({ COFFER_HOME: home, COFFER_AUDIT_DB_URL: db.url }), natsUrl: nats.url, logLevel: process.env.COFFER_TEST_LOG_LEVEL ?? 'silent' };
    nc = await connectTo(nats.url);
    fakeCryptoWorker(nc, signer);
    // A checkpoint after every few records and every few milliseconds: saves constantly race appends.
    app = await createAuditApp(config, { options: { checkpointEvery: 3, checkpointIntervalMs: 10, verifyCatchUpMs: 10_000 } });
    await app.listen();
    await untilAnswering(nc, InternalSubjects.audit('status'));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await nats?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  const request = async <T>(op: 'verify' | 'status', body: object = {}): Promise<T> =>
    (await nc.request(InternalSubjects.audit(op), JSON.stringify(body), { timeout: 60_000 })).json<T>();

  it('keeps a row for every stream record and verifies clean, whole and resumed', async () => {
    const sink = new JetStreamAuditSink(nc);
    let n = 0;
    const stopAt = Date.now() + SUSTAIN_MS;
    // Several writers: messages of one record and group-committed ones alternate.
    await Promise.all(Array.from({ length: 4 }, async (_, w) => {
      while (Date.now() < stopAt) await Promise.all(Array.from({ length: 1 + (w % 3) * 4 }, () => sink.record(rec(n++))));
    }));
    const jsm = await nc.jetstreamManager();
    const last = (await jsm.streams.info(AuditStreams.records.name)).state.last_seq;
    const s = await until('the chain and a checkpoint at the stream end', async () => {
      const st = await request<AuditStatusReply>('status');
      expect(st.error).toBeUndefined();
      return st.sequence >= last && st.checkpoint && st.checkpoint.sequence >= last ? st : undefined;
    }, 60_000);
    expect(s.count).toBe(n);
    const ds = await openAuditDataSource(db.url, { migrate: false });
    try {
      expect(await tableRows(ds, auditRecordsTable)).toHaveLength(n);
      expect((await tableRows(ds, auditCheckpointsTable)).length).toBeGreaterThan(3);
    } finally {
      await ds.destroy();
    }
    const pages: AuditVerifyReply[] = [];
    const whole = await verifyAllPages((page) => request<AuditVerifyReply>('verify', page), { maxRecords: Math.ceil(n / 4) }, (p) => pages.push(p));
    expect(whole).toMatchObject({ ok: true, checkedRecords: n, problems: [] });
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const resumed = await verifyAllPages((page) => request<AuditVerifyReply>('verify', page), { fromCheckpoint: 'latest' });
    expect(resumed).toMatchObject({ ok: true, problems: [], fromCheckpoint: { sequence: last } });
  }, 90_000);
});

describe('audit store at its size limit (SQLite)', () => {
  it('refuses the write with AuditStoreFullError, leaves no transaction open, and writes again once the limit is raised', async () => {
    const home = mkdtempSync(join(tmpdir(), 'coffer-audit-full-'));
    const ds = await openAuditDataSource(`sqlite:${join(home, 'audit.sqlite')}`);
    try {
      const store = new AuditStore(ds);
      store.capSize(1024 * 1024);
      const sqlite = (ds.driver as unknown as { databaseConnection: { inTransaction: boolean } }).databaseConnection;
      let seq = 0;
      const batch = () => Array.from({ length: 200 }, (_, i) => recordToRow(++seq, 0, seq, { ...rec(seq), objectId: `/vaults/prod/secrets/${'x'.repeat(200)}${i}` }, 'ab'.repeat(32)));
      let error: unknown;
      for (let i = 0; i < 1000 && !error; i++) {
        const rows = batch();
        error = await store.append(rows).then(() => undefined, (e: unknown) => e);
        if (error) seq -= rows.length; // the failed batch left nothing behind
      }
      expect(error).toBeInstanceOf(AuditStoreFullError);
      expect(sqlite.inTransaction).toBe(false);
      expect((await store.head()).seq).toBe(seq);
      // A checkpoint save after the failure is a transaction of its own, not a savepoint in a dead one.
      await expect(store.saveCheckpoint({ sequence: seq, count: seq, head: 'ab'.repeat(32), time: 't', keyId: 'k', signature: 's' })).resolves.toBeUndefined();
      store.capSize(64 * 1024 * 1024);
      await store.append(batch());
      expect((await store.head()).seq).toBe(seq);
      expect(await store.lastCheckpoint()).toMatchObject({ sequence: seq - 200 });
    } finally {
      await ds.destroy();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
