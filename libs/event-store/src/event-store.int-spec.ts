import { Streams, VaultCreated } from '@coffer/contracts';
import { filesContaining, SpawnedNats, startNatsServer } from '@coffer/testing';
import { randomBytes } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { ensureCofferStreams } from './ensure-streams';
import { EventLogUnavailableError, WrongExpectedSequenceError } from './event-store.errors';
import { EventStore } from './event-store';
import { Keyring } from './keyring';

const event = (name: string): Omit<VaultCreated, 'metadata'> => ({
  type: 'VaultCreated',
  version: 1,
  data: { name, kekId: 'k', retentionDays: 7, purgeProtection: false, created: '2026-01-01T00:00:00.000Z' },
});
const metadata = { requestId: 'r', occurredAt: '2026-01-01T00:00:00.000Z' };

describe('event store and keyring (real nats-server)', () => {
  let nats: SpawnedNats;
  let nc: NatsConnection;
  let store: EventStore;
  let keyring: Keyring;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await ensureCofferStreams(await nc.jetstreamManager());
    await ensureCofferStreams(await nc.jetstreamManager()); // idempotent
    store = await EventStore.open(nc, Streams.events.name);
    keyring = await Keyring.open(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('appends with optimistic concurrency on the object subject', async () => {
    const subject = Streams.events.vault('occ');
    const first = await store.append(subject, event('occ'), { expectedSequence: 0, msgId: 'm1', metadata });
    expect(first.duplicate).toBe(false);
    await expect(store.append(subject, event('occ'), { expectedSequence: 0, msgId: 'm2', metadata })).rejects.toBeInstanceOf(
      WrongExpectedSequenceError,
    );
    const second = await store.append(subject, event('occ'), { expectedSequence: first.sequence, msgId: 'm3', metadata });
    expect(await store.lastSequence(subject)).toBe(second.sequence);
    expect((await store.history(subject)).map((e) => e.sequence)).toEqual([first.sequence, second.sequence]);
  });

  it('applies a retried message id once, even with a now-stale expected sequence', async () => {
    const subject = Streams.events.vault('dedupe');
    const a = await store.append(subject, event('dedupe'), { expectedSequence: 0, msgId: 'same', metadata });
    const b = await store.append(subject, event('dedupe'), { expectedSequence: 0, msgId: 'same', metadata });
    expect(b).toEqual({ sequence: a.sequence, duplicate: true });
    expect(await store.history(subject)).toHaveLength(1);
    expect((await store.read(a.sequence)).event).toMatchObject({ type: 'VaultCreated', metadata });
  });

  it('reports 0 for a subject without history', async () => {
    expect(await store.lastSequence(Streams.events.vault('never'))).toBe(0);
  });

  it('erases a keyring entry so that its bytes are gone from the store files', async () => {
    const wrapped = randomBytes(40).toString('base64');
    const seq = await keyring.put({ vault: 'v', objectType: 'secret', name: 'n', kekId: 'k', wrapped });
    expect((await keyring.get(seq))?.wrapped).toBe(wrapped);
    expect(filesContaining(nats.storeDir, wrapped).length).toBeGreaterThan(0);
    await keyring.erase(seq);
    await keyring.erase(seq); // idempotent
    expect(await keyring.get(seq)).toBeUndefined();
    expect(filesContaining(nats.storeDir, wrapped)).toEqual([]);
  });

  it('reports an unanswered keyring write as a retryable ServiceUnavailable, never an internal error', async () => {
    // A server without the keyring stream: nobody answers the publish (what a stalled JetStream looks like to the vault).
    const bare = await startNatsServer();
    const bareNc = await connect({ servers: bare.url });
    try {
      const err = await Keyring.open(bareNc).then((k) => k.put({ vault: 'v', objectType: 'secret', name: 'n', kekId: 'k', wrapped: 'AA==' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventLogUnavailableError);
      expect((err as EventLogUnavailableError).toWire()).toEqual({
        code: 'ServiceUnavailable', message: 'The event log is unavailable; retry later.', innererror: { code: 'EventLogUnavailable' },
      });
      expect((err as EventLogUnavailableError).detail).toMatch(/^keyring write failed: /);
    } finally {
      await bareNc.close();
      await bare.stop();
    }
  });
});
