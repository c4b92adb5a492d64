import { JetStreamManager } from 'nats';

/**
 * A durable consumer with AckAll can skip a message: one lost while the consumer's leader changes
 * (a nats-server cluster node dies) is acknowledged by the ack of a later one and never redelivered.
 * Projections that fold a stream in order must therefore see every sequence after their head.
 */
export class DeliveryGapError extends Error {
  constructor(readonly stream: string, readonly sequence: number) {
    super(`stream ${stream}: sequence ${sequence} was not delivered (it is still in the stream); repositioning the consumer`);
    this.name = 'DeliveryGapError';
  }
}

/**
 * Throws DeliveryGapError when `batch` (stream order) skips a sequence after `head` that the stream
 * still holds. A sequence the stream no longer holds (deleted from a stream without deny_delete) is
 * no gap in delivery: folding goes on, and an audit verify reports the removal.
 */
export async function assertNoDeliveryGap(jsm: JetStreamManager, stream: string, head: number, batch: readonly { seq: number }[]): Promise<void> {
  let next = head + 1;
  for (const { seq } of batch) {
    if (seq < next) continue; // redelivered
    for (let missing = next; missing < seq; missing++) {
      if (await stillInStream(jsm, stream, missing)) throw new DeliveryGapError(stream, missing);
    }
    next = seq + 1;
  }
}

async function stillInStream(jsm: JetStreamManager, stream: string, seq: number): Promise<boolean> {
  try {
    await jsm.streams.getMessage(stream, { seq });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '404' || /no message found/i.test((err as Error).message)) return false;
    throw err;
  }
}
