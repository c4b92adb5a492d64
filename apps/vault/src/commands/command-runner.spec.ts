import { conflict, DomainEvent, EventMetadata, InnerErrorCodes, serviceUnavailable } from '@coffer/contracts';
import { WrongExpectedSequenceError } from '@coffer/event-store';
import { CommandRunner } from './command-runner';
import { RequestKey } from './request-key';

interface Stored {
  seq: number;
  subject: string;
  event: DomainEvent;
}

/**
 * An event log and a read model that projects it only when asked (waitFor), so a test can hold an
 * appended event out of the read model — a frozen projector — and forget msg ids (the window ended).
 */
class World {
  log: Stored[] = [];
  projected = 0;
  msgIds = new Map<string, number>();
  appends = 0;

  /** Events the projection voided (decided against a sequence that was not their subject's last). */
  voided = new Set<number>();
  /** A replicated nats-server 2.9 stream (#4320): some conditional appends are accepted whatever the expectation. */
  acceptStale = 0;

  readonly events = {
    append: async (subject: string, event: Omit<DomainEvent, 'metadata'>, o: { expectedSequence: number; msgId: string; metadata: EventMetadata }) => {
      this.appends++;
      const seen = this.msgIds.get(o.msgId);
      if (seen !== undefined) return { sequence: seen, duplicate: true };
      if (this.acceptStale > 0) this.acceptStale--;
      else if (this.lastOn(subject, Infinity) !== o.expectedSequence) throw new WrongExpectedSequenceError(subject, o.expectedSequence);
      const seq = this.log.length + 1;
      this.log.push({ seq, subject, event: { ...event, metadata: o.metadata } as DomainEvent });
      this.msgIds.set(o.msgId, seq);
      return { sequence: seq, duplicate: false };
    },
    read: async (seq: number) => this.log[seq - 1],
    lastSequence: async (subject: string) => this.lastOn(subject, Infinity),
  };
  readonly readModel = {
    findAppliedRequests: async (principalId: string, requestId: string) =>
      this.log.filter((e) => e.seq <= this.projected && !this.voided.has(e.seq) && e.event.metadata.principalId === principalId && e.event.metadata.requestId === requestId)
        .map((e) => ({ principalId, requestId, subject: e.subject, sequence: e.seq, requestHash: e.event.metadata.requestHash, occurredAt: 0 })),
    subjectHead: async (subject: string) => this.lastOn(subject, this.projected),
    isVoided: async (seq: number) => this.voided.has(seq),
  };
  /** A stalled projector (see ProjectionWaiter.assertAccepting): writes are refused before they are appended. */
  stalled = false;
  /** Projects up to `seq` in log order, voiding as libs/read-model's projectBatch does. */
  readonly waiter = {
    waitFor: async (seq: number) => {
      for (const e of this.log.slice(this.projected, seq)) {
        const expected = e.event.metadata.expectedSequence;
        if (expected !== undefined && expected !== this.lastOn(e.subject, e.seq - 1)) this.voided.add(e.seq);
      }
      this.projected = Math.max(this.projected, seq);
    },
    assertAccepting: () => {
      if (this.stalled) throw serviceUnavailable('stalled', InnerErrorCodes.ReadModelUnavailable);
    },
  };

  lastOn(subject: string, upTo: number): number {
    return this.log.filter((e) => e.subject === subject && e.seq <= upTo).pop()?.seq ?? 0;
  }

  /** The last applied (not voided) event on a subject among those projected: what a loader builds the state from. */
  lastAppliedOn(subject: string): number {
    return this.log.filter((e) => e.subject === subject && e.seq <= this.projected && !this.voided.has(e.seq)).pop()?.seq ?? 0;
  }

  runner(): CommandRunner {
    return new CommandRunner(this.events as never, this.readModel as never, this.waiter as never, { now: () => new Date(0) } as never);
  }
}

const SUBJECT = 'coffer.events.v.secret.s';
const key = (principalId: string, id: string, hash = 'h1'): RequestKey => ({ id, principalId, hash });

type Decide = () => never;

function spec(world: World, request: RequestKey, decide: Decide = () => ({ type: 'SecretSet', version: 1, data: { n: world.log.length } }) as never) {
  // The decision state comes from the read model: the last projected event on the subject.
  return { subject: SUBJECT, request, load: async () => ({ sequence: world.lastAppliedOn(SUBJECT) }), decide };
}

describe('CommandRunner: exactly once per (principal, request id)', () => {
  it('a retry whose first try is in the log but not projected, after the msg-id window, replays it', async () => {
    const w = new World();
    await w.runner().run(spec(w, key('p-a', 'other')));
    await w.events.append(SUBJECT, { type: 'SecretSet', version: 1, data: {} } as never, {
      expectedSequence: 1, msgId: 'first-try', metadata: { requestId: 'r', occurredAt: '', principalId: 'p-a', requestHash: 'h1' },
    });
    w.msgIds.clear(); // JetStream forgot the msg id; the read model still shows only sequence 1
    const decide = jest.fn<never, []>(() => ({ type: 'SecretSet', version: 1, data: {} }) as never);
    const outcome = await w.runner().run(spec(w, key('p-a', 'r'), decide));
    expect(outcome).toMatchObject({ sequence: 2, replayed: true });
    expect(w.log).toHaveLength(2);
    expect(decide).toHaveBeenCalledTimes(1); // decided on the stale state; its append failed; never decided again
  });

  it('refuses a reused id with another body before deciding, and on a msg-id duplicate', async () => {
    const w = new World();
    await w.runner().run(spec(w, key('p-a', 'r', 'h1')));
    const decide = jest.fn<never, []>();
    await expect(w.runner().run(spec(w, key('p-a', 'r', 'h2'), decide))).rejects.toMatchObject({ code: 'Conflict', innerCode: 'RequestIdReused' });
    expect(decide).not.toHaveBeenCalled();

    w.projected = 0; // not projected yet: only the msg id knows
    await expect(w.runner().run(spec(w, key('p-a', 'r', 'h2')))).rejects.toMatchObject({ code: 'Conflict', innerCode: 'RequestIdReused' });
    expect(w.log).toHaveLength(1);
  });

  it("another principal's identical request id is a request of its own", async () => {
    const w = new World();
    const a = await w.runner().run(spec(w, key('p-a', 'r')));
    const b = await w.runner().run(spec(w, key('p-b', 'r')));
    expect(b).toMatchObject({ replayed: false, sequence: 2 });
    expect(b.event.metadata).toMatchObject({ principalId: 'p-b', requestId: 'r', requestHash: 'h1' });
    expect(await w.runner().run(spec(w, key('p-a', 'r')))).toMatchObject({ replayed: true, sequence: a.sequence });
    expect(w.log).toHaveLength(2);
  });

  it('a load that refuses (a dry run seeing the request\'s own success) replays an applied request; otherwise the refusal stands', async () => {
    const w = new World();
    const first = await w.runner().run(spec(w, key('p-a', 'r')));
    const refusing = (request: RequestKey) => ({
      ...spec(w, request), load: async (): Promise<{ sequence: number }> => { throw conflict('changed since', 'VersionMismatch'); },
    });
    expect(await w.runner().run(refusing(key('p-a', 'r')))).toMatchObject({ replayed: true, sequence: first.sequence });
    await expect(w.runner().run(refusing(key('p-a', 'r-new')))).rejects.toMatchObject({ innerCode: 'VersionMismatch' });
  });

  describe('check-and-set when the server accepts a stale expectation (nats-server #4320)', () => {
    it('the writer whose event was voided decides again on the winner\'s state, under a fresh msg id', async () => {
      const w = new World();
      await w.runner().run(spec(w, key('p-a', 'first')));
      w.acceptStale = 2;
      const states: number[] = [];
      const decide = (who: string) => jest.fn<never, []>(() => ({ type: 'SecretSet', version: 1, data: { who } }) as never);
      const aDecide = decide('a');
      const bDecide = decide('b');
      // Both load the same state (sequence 1) before either appends: the server takes both appends.
      const load = async () => {
        const state = { sequence: w.lastAppliedOn(SUBJECT) };
        states.push(state.sequence);
        return state;
      };
      const [a, b] = await Promise.all([
        w.runner().run({ subject: SUBJECT, request: key('p-a', 'a'), load, decide: aDecide }),
        w.runner().run({ subject: SUBJECT, request: key('p-b', 'b'), load, decide: bDecide }),
      ]);
      expect(w.voided).toEqual(new Set([3])); // b's first event (2 was a's, decided against 1 too, and first)
      expect(a).toMatchObject({ sequence: 2, replayed: false });
      expect(b).toMatchObject({ sequence: 4, replayed: false });
      expect(w.log[3]!.event.metadata.expectedSequence).toBe(3); // decided again, against the head (the voided event)
      expect(bDecide).toHaveBeenCalledTimes(2);
      expect(aDecide).toHaveBeenCalledTimes(1);
      expect(states).toEqual([1, 1, 2]);
      // b's retry with its request id now finds the applied event, not the voided one.
      expect(await w.runner().run({ subject: SUBJECT, request: key('p-b', 'b'), load, decide: bDecide })).toMatchObject({ sequence: 4, replayed: true });
    });

    it('a voided check-and-set write answers Conflict once it sees the state that won', async () => {
      const w = new World();
      await w.runner().run(spec(w, key('p-a', 'first')));
      w.acceptStale = 2;
      const ifMatch1 = (who: string) => (state: { sequence: number }) => {
        if (state.sequence !== 1) throw conflict(`${who}: the object changed`, 'VersionMismatch' as never);
        return { type: 'SecretSet', version: 1, data: { who } } as never;
      };
      const load = async () => ({ sequence: w.lastAppliedOn(SUBJECT) });
      const results = await Promise.allSettled([
        w.runner().run({ subject: SUBJECT, request: key('p-a', 'a'), load, decide: ifMatch1('a') }),
        w.runner().run({ subject: SUBJECT, request: key('p-b', 'b'), load, decide: ifMatch1('b') }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'Conflict', message: 'b: the object changed' });
      expect(w.log.filter((e) => !w.voided.has(e.seq))).toHaveLength(2); // the first write and a's
    });
  });
});

describe('CommandRunner while the projector is stalled', () => {
  it('refuses a new write before appending it, and still replays an applied one', async () => {
    const w = new World();
    await w.runner().run(spec(w, key('p-a', 'done')));
    w.stalled = true;
    await expect(w.runner().run(spec(w, key('p-a', 'new')))).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'ReadModelUnavailable' });
    expect(w.log).toHaveLength(1);
    expect(await w.runner().run(spec(w, key('p-a', 'done')))).toMatchObject({ sequence: 1, replayed: true });
    w.stalled = false;
    expect(await w.runner().run(spec(w, key('p-a', 'new')))).toMatchObject({ sequence: 2, replayed: false });
  });
});
