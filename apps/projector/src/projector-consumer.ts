import { PROJECTOR_DURABLE, Streams } from '@coffer/contracts';
import { AckPolicy, ConsumerConfig, DeliverPolicy, JetStreamManager, nanos } from 'nats';

const CONSUMER_NOT_FOUND = 10014;

/** How many delivered-but-unacked messages the server allows the projector (bounds its buffer). */
export const MAX_ACK_PENDING = 1024;

export function projectorConsumerConfig(checkpoint: number): Partial<ConsumerConfig> {
  return {
    durable_name: PROJECTOR_DURABLE,
    // AckAll: acknowledging the last event of a batch acknowledges the batch (one ack per commit).
    ack_policy: AckPolicy.All,
    ack_wait: nanos(60_000),
    max_ack_pending: MAX_ACK_PENDING,
    ...(checkpoint === 0
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: checkpoint + 1 }),
  };
}

/**
 * The database checkpoint, not the consumer, is the truth about what was applied. The durable is
 * kept only when it sits exactly at the checkpoint with nothing outstanding; otherwise (a new or
 * rebuilt database, messages delivered but not applied before a stop or failure) it is recreated at
 * checkpoint + 1, so delivery restarts in stream order with nothing lost and nothing reordered.
 * Returns true when it (re)created the consumer.
 */
export async function positionProjectorConsumer(jsm: JetStreamManager, checkpoint: number): Promise<boolean> {
  const stream = Streams.events.name;
  try {
    const info = await jsm.consumers.info(stream, PROJECTOR_DURABLE);
    if (info.delivered.stream_seq === checkpoint && info.num_ack_pending === 0 && info.config.ack_policy === AckPolicy.All) return false;
    await jsm.consumers.delete(stream, PROJECTOR_DURABLE);
  } catch (err) {
    if ((err as { api_error?: { err_code?: number } }).api_error?.err_code !== CONSUMER_NOT_FOUND) throw err;
  }
  await jsm.consumers.add(stream, projectorConsumerConfig(checkpoint));
  return true;
}
