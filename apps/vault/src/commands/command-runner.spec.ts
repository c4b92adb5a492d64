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

  readonly events = {
    append: async (subject: string, event: Omit<DomainEvent, 'metadata'>, o: { expectedSequence: number; msgId: string; metadata: EventMetadata }) => {
      this.appends++;
      const seen = this.msgIds.get(o.msgId);
      if (seen !== undefined) return { sequence: seen, duplicate: true };
      if (this.lastOn(subject, Infinity) !== o.expectedSequence) throw new WrongExpectedSequenceError(subject, o.expectedSequence);
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
      this.log.filter((e) => e.seq <= this.projected && e.event.metadata.principalId === principalId && e.event.metadata.requestId === requestId)
        .map((e) => ({ principalId, requestId, subject: e.subject, sequence: e.seq, requestHash: e.event.metadata.requestHash, occurredAt: 0 })),
    // This world's log never holds a voided event: the head is the last projected event on the subject.
    subjectHead: async (subject: string) => this.lastOn(subject, this.projected),
    isVoided: async () => false,
  };
  /** A stalled projector (see ProjectionWaiter.assertAccepting): writes are refused before they are appended. */
  stalled = false;
  readonly waiter = {
    waitFor: async (seq: number) => void (this.projected = Math.max(this.projected, seq)),
    assertAccepting: () => {
      if (this.stalled) throw serviceUnavailable('stalled', InnerErrorCodes.ReadModelUnavailable);
    },
  };

  lastOn(subject: string, upTo: number): number {
    return this.log.filter((e) => e.subject === subject && e.seq <= upTo).pop()?.seq ?? 0;
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
  return { subject: SUBJECT, request, load: async () => ({ sequence: world.lastOn(SUBJECT, world.projected) }), decide };
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
