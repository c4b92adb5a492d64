import { CofferClient, CofferRequestError } from '@coffer/client';
import { Streams } from '@coffer/contracts';
import {
  CofferApp, CofferStack, connectTo, createTestSchema, postgresAvailableSync, SpawnedCluster, startCofferStack, startNatsCluster, until,
} from '@coffer/testing';
import { randomUUID } from 'node:crypto';
import { adminCredentials } from './auth-helpers';

const VAULT = 'whole';
const WORKERS = 8;
const RETRYABLE = new Set(['ServiceUnavailable', 'RequestTimeout', 'NoResponders', 'Throttled']);

const postgres = postgresAvailableSync();
 
if (!postgres) console.warn('whole-cluster e2e: no PostgreSQL at 127.0.0.1:5432 answered; the read model is SQLite (shared by both vault replicas)');

/**
 * Issue 13, item 6: the production topology on one machine. 3 nats-server nodes (a NATS user per app
 * on each, R3 streams), PostgreSQL, two vault replicas and two crypto-workers, the projector, the
 * audit app and the scheduler, all real processes. Under a load of writes each followed at once by a
 * read (which NATS may route to the other vault replica), one of each is killed with SIGKILL, and so
 * is the events stream's leader node. Every acknowledged write must read back with its value,
 * read-your-writes must hold across replicas, and every failure must be a typed, retryable error
 * (retried with the same request id, so nothing applies twice).
 */
describe('the whole cluster: 3 NATS nodes, PostgreSQL, replicated vault and crypto-worker', () => {
  let cluster: SpawnedCluster;
  let stack: CofferStack;
  let pg: { url: string; drop(): Promise<void> } | undefined;
  let client: CofferClient;

  beforeAll(async () => {
    if (postgres) pg = await createTestSchema();
    cluster = await startNatsCluster(3, { auth: true });
    stack = await startCofferStack({
      nats: cluster, dbUrl: pg?.url, replicas: { vault: 2, 'crypto-worker': 2 },
      env: { COFFER_STREAM_REPLICAS: '3', COFFER_CRYPTO_TIMEOUT_MS: '3000' },
    });
    client = await CofferClient.connect({ url: cluster.clientUrl, timeoutMs: 15_000, credentials: adminCredentials(stack.home) });
    await client.vaults.create(VAULT);
  }, 240_000);
  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    await cluster?.stop();
    await pg?.drop();
  });

  it('keeps every acknowledged write and read-your-writes while one of each is killed', async () => {
    const secrets = client.secrets(VAULT);
    const acknowledged = new Map<string, string>(); // name → its last acknowledged value
    const staleReads: string[] = [];
    const untyped: unknown[] = [];
    let acks = 0;
    let retries = 0;
    let stop = false;

    /** Retries a retryable failure with the same request id until it succeeds; anything else is recorded and ends the worker. */
    const reliably = async <T>(call: (requestId: string) => Promise<T>): Promise<T> => {
      const requestId = randomUUID();
      for (;;) {
        try {
          return await call(requestId);
        } catch (err) {
          if (!(err instanceof CofferRequestError) || !RETRYABLE.has(err.code)) {
            untyped.push(err);
            throw err;
          }
          retries++;
        }
      }
    };
    const worker = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const name = `w${w}-${n % 5}`;
        const value = `${w}.${n}`;
        await reliably((requestId) => secrets.set(name, value, { requestId }));
        acknowledged.set(name, value);
        acks++;
        // Right after the write, through whichever vault replica NATS picks.
        const read = await reliably((requestId) => secrets.get(name, undefined, { requestId }));
        if (read.value !== value) staleReads.push(`${name}: wrote ${value}, read ${read.value}`);
      }
    };
    const load = Array.from({ length: WORKERS }, (_, w) => worker(w).catch(() => undefined));

    const killLeaderNode = async () => {
      const admin = await connectTo(cluster.adminUrl);
      try {
        const leader = (await (await admin.jetstreamManager()).streams.info(Streams.events.name)).cluster?.leader ?? '';
        await cluster.kill(Number(/coffer-n(\d+)/.exec(leader)![1]));
      } finally {
        await admin.close();
      }
    };
    const restarted = (app: CofferApp) => async () => {
      await stack.kill(app, 'SIGKILL');
      await stack.start(app);
    };
    const faults: [string, () => Promise<void>][] = [
      ['vault #1', () => stack.kill('vault', 'SIGKILL', 1)],
      ['crypto-worker #1', () => stack.kill('crypto-worker', 'SIGKILL', 1)],
      ['projector', restarted('projector')],
      ['audit', restarted('audit')],
      ['scheduler', restarted('scheduler')],
      ['events leader node', killLeaderNode],
    ];
    const recoveryMs: Record<string, number> = {};
    try {
      await until('the load to run', () => acks >= WORKERS * 2, 60_000);
      for (const [what, fault] of faults) {
        const at = Date.now();
        await fault();
        const before = acks;
        await until(`writes acknowledged after killing ${what}`, () => acks >= before + WORKERS, 120_000, 20);
        recoveryMs[what] = Date.now() - at;
      }
      // The killed replicas come back and take their share again.
      await stack.start('vault', 1);
      await stack.start('crypto-worker', 1);
      const before = acks;
      await until('writes with every replica back', () => acks >= before + WORKERS, 60_000, 20);
    } finally {
      stop = true;
      await Promise.all(load);
    }

    expect(untyped).toEqual([]);
    expect(staleReads).toEqual([]);
    for (const [name, value] of acknowledged) expect([name, (await secrets.get(name)).value]).toEqual([name, value]);
    await until('every part healthy', async () => {
      const s = await client.status().catch(() => undefined);
      return s && s.vault.ok && s.cryptoWorker.ok && s.projector.ok && s.audit.ok;
    }, 60_000, 200);

    console.log(`whole cluster: ${acks} acknowledged writes, ${retries} retried failures; ms from kill to ${WORKERS} more writes: ${JSON.stringify(recoveryMs)}`);
  }, 600_000);
});
