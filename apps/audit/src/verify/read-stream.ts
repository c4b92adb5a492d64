import { DeliverPolicy, JetStreamClient, JetStreamManager } from 'nats';

export interface StoredMessage {
  seq: number;
  data: Uint8Array;
}

const READ_TIMEOUT_MS = 60_000;

/**
 * Messages of `stream` from `fromSeq` up to `upTo` (inclusive), in stream order, through an
 * ordered (ephemeral, flow-controlled) consumer; stops early once `enough(messagesSoFar)` says so,
 * so a window of a long stream is read without loading the rest. Deleted messages are simply absent.
 */
export async function readStream(
  js: JetStreamClient, jsm: JetStreamManager, stream: string, fromSeq: number, upTo: number,
  enough: (read: StoredMessage[]) => boolean = () => false,
): Promise<StoredMessage[]> {
  const state = (await jsm.streams.info(stream)).state;
  const last = Math.min(upTo, state.last_seq);
  const start = Math.max(fromSeq, state.first_seq, 1);
  if (state.messages === 0 || start > last) return [];
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start });
  const out: StoredMessage[] = [];
  const messages = await consumer.consume({ max_messages: 256 });
  const timer = setTimeout(() => messages.stop(new Error(`reading ${stream} took longer than ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
  try {
    for await (const m of messages) {
      if (m.seq > last) break;
      out.push({ seq: m.seq, data: m.data });
      if (m.seq >= last || m.info.pending === 0 || enough(out)) break;
    }
  } finally {
    clearTimeout(timer);
    messages.stop();
  }
  return out;
}
