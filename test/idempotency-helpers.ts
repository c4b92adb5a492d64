import { EventEnvelope, Streams } from '@coffer/contracts';
import { requestMsgId } from '@coffer/event-store';
import { CofferStack, createTestSchema, postgresAvailableSync } from '@coffer/testing';
import { JetStreamManager, NatsConnection, NatsError } from 'nats';

/** The read-model backends an e2e suite runs on: SQLite always, PostgreSQL when it answers. */
export const E2E_BACKENDS: { name: string; dbUrl(): Promise<{ url?: string; drop(): Promise<void> }> }[] = [
  { name: 'SQLite', dbUrl: async () => ({ url: undefined, drop: async () => undefined }) },
  ...(postgresAvailableSync() ? [{ name: 'PostgreSQL', dbUrl: async () => createTestSchema() }] : []),
];

/** Every event stored on one subject, in order (raw envelopes, as the log holds them). */
export async function eventsOn(jsm: JetStreamManager, subject: string): Promise<{ seq: number; event: EventEnvelope }[]> {
  const out: { seq: number; event: EventEnvelope }[] = [];
  for (let next = 1; ;) {
    try {
      const m = await jsm.streams.getMessage(Streams.events.name, { next_by_subj: subject, seq: next } as never);
      out.push({ seq: m.seq, event: m.json<EventEnvelope>() });
      next = m.seq + 1;
    } catch (err) {
      if ((err as NatsError).code === '404') return out;
      throw err;
    }
  }
}

/**
 * Resolves once JetStream no longer remembers the Nats-Msg-Id of (principal, request id, subject):
 * a probe publish with that msg id and an expectation that can never hold is answered "duplicate"
 * while the id is remembered and "wrong last sequence" (nothing stored) once it is forgotten.
 */
export async function untilMsgIdForgotten(nc: NatsConnection, principalId: string, requestId: string, subject: string, timeoutMs = 60_000): Promise<void> {
  const js = nc.jetstream();
  const msgID = requestMsgId(principalId, requestId, subject);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const ack = await js.publish(subject, Buffer.from('{}'), { msgID, expect: { lastSubjectSequence: 1e12 } });
      if (!ack.duplicate) throw new Error(`probe on ${subject} was stored at ${ack.seq}`);
    } catch (err) {
      if ((err as NatsError).api_error?.err_code === 10071) return;
      throw err;
    }
    if (Date.now() > deadline) throw new Error(`msg id of ${requestId} still remembered after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGSTOP / SIGCONT the projector (a frozen projector: the log moves on, the read model does not). */
export function freezeProjector(stack: CofferStack): { thaw(): void } {
  const pid = stack.pids().projector;
  if (!pid) throw new Error('projector is not running');
  process.kill(pid, 'SIGSTOP');
  let frozen = true;
  return {
    thaw() {
      if (frozen) process.kill(pid, 'SIGCONT');
      frozen = false;
    },
  };
}
