import { SpawnedNats, startNatsServer } from '@coffer/testing';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { assertNoDeliveryGap, DeliveryGapError } from './delivery-gap';

describe('delivery gaps (real nats-server)', () => {
  let nats: SpawnedNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const seqs = (...n: number[]) => n.map((seq) => ({ seq }));

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'GAPS', subjects: ['gaps.>'] });
    for (let i = 1; i <= 6; i++) await nc.jetstream().publish('gaps.x', new Uint8Array([i]));
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('passes a contiguous batch, redeliveries included', async () => {
    await expect(assertNoDeliveryGap(jsm, 'GAPS', 0, seqs(1, 2, 3))).resolves.toBeUndefined();
    await expect(assertNoDeliveryGap(jsm, 'GAPS', 2, seqs(1, 2, 3, 4))).resolves.toBeUndefined();
  });

  it('refuses a batch that skips a sequence the stream still holds, after the head or inside the batch', async () => {
    await expect(assertNoDeliveryGap(jsm, 'GAPS', 2, seqs(4, 5))).rejects.toMatchObject({ sequence: 3 });
    await expect(assertNoDeliveryGap(jsm, 'GAPS', 0, seqs(1, 2, 4))).rejects.toBeInstanceOf(DeliveryGapError);
  });

  it('lets a sequence that was deleted from the stream go (no delivery can bring it back)', async () => {
    await jsm.streams.deleteMessage('GAPS', 5);
    await expect(assertNoDeliveryGap(jsm, 'GAPS', 4, seqs(6))).resolves.toBeUndefined();
  });
});
