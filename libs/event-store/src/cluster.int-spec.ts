import { Streams, VaultCreated } from '@coffer/contracts';
import { SpawnedCluster, startNatsCluster } from '@coffer/testing';
import { connect, NatsConnection } from 'nats';
import { ensureCofferStreams } from './ensure-streams';
import { EventStore } from './event-store';
import { WrongExpectedSequenceError } from './event-store.errors';
import { Keyring } from './keyring';

const event = (name: string): Omit<VaultCreated, 'metadata'> => ({
  type: 'VaultCreated',
  version: 1,
  data: { name, kekId: 'k', retentionDays: 7, purgeProtection: false, created: '2026-01-01T00:00:00.000Z' },
});
const metadata = { requestId: 'r', occurredAt: '2026-01-01T00:00:00.000Z' };

/**
 * The durable deployment the README recommends: a 3-node JetStream cluster with replicated streams
 * (an acknowledgement means a majority holds the write). The event store must work unchanged there,
 * and keep working when one node crashes.
 */
describe('event store on a 3-node JetStream cluster with replicated streams', () => {
  let cluster: SpawnedCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    nc = await connect({ servers: cluster.urls.slice(0, 2), noAsyncTraces: true });
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('creates the streams with three replicas and appends with optimistic concurrency and dedupe', async () => {
    const jsm = await nc.jetstreamManager();
    await ensureCofferStreams(jsm, 3);
    const info = await jsm.streams.info(Streams.events.name);
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas?.length).toBe(2);

    const store = await EventStore.open(nc, Streams.events.name);
    const subject = Streams.events.vault('replicated');
    const a = await store.append(subject, event('replicated'), { expectedSequence: 0, msgId: 'c1', metadata });
    await expect(store.append(subject, event('replicated'), { expectedSequence: 0, msgId: 'c2', metadata })).rejects.toBeInstanceOf(WrongExpectedSequenceError);
    expect(await store.append(subject, event('replicated'), { expectedSequence: 0, msgId: 'c1', metadata })).toEqual({ sequence: a.sequence, duplicate: true });
    expect(await store.lastSequence(subject)).toBe(a.sequence);
  }, 60_000);

  it('keeps accepting and serving writes when one node crashes (quorum 2 of 3)', async () => {
    await cluster.kill(2);
    // Every call goes through the retry: the crash may move stream and meta leaders for a moment.
    const store = await retryWhileElecting(() => EventStore.open(nc, Streams.events.name));
    const keyring = await retryWhileElecting(() => Keyring.open(nc));
    const subject = Streams.events.vault('survivor');
    let last = 0;
    for (let i = 0; i < 20; i++) {
      last = (await retryWhileElecting(() => store.append(subject, event('survivor'), { expectedSequence: last, msgId: `s${i}`, metadata }))).sequence;
    }
    expect((await retryWhileElecting(() => store.history(subject))).length).toBe(20);
    const dek = await retryWhileElecting(() => keyring.put({ vault: 'v', objectType: 'secret', name: 'n', kekId: 'k', wrapped: 'd3JhcHBlZA==' }));
    expect((await retryWhileElecting(() => keyring.get(dek)))?.wrapped).toBe('d3JhcHBlZA==');
  }, 120_000);
});

/** A crash may move a stream's leader; for a moment the cluster answers "unavailable". */
async function retryWhileElecting<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (err instanceof WrongExpectedSequenceError || attempt >= 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
