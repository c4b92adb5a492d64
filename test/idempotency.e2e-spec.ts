import { DevSubjects, Streams } from '@coffer/contracts';
import { openReadModel, ReadModel } from '@coffer/read-model';
import { CofferStack, connectTo, startCofferStack } from '@coffer/testing';
import { JetStreamManager, NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { adminCredentials, rawRequest, tokenFor } from './auth-helpers';
import { E2E_BACKENDS, eventsOn, freezeProjector, untilMsgIdForgotten } from './idempotency-helpers';

const VAULT = 'idem';
const SET = `coffer.v1.vault.${VAULT}.secret.set`;
const subjectOf = (name: string) => Streams.events.secret(VAULT, name);
const DEDUPE_WINDOW_MS = 1000;

/**
 * Issue 13, defect 1, for real: a write that timed out (projector frozen) and is retried after
 * JetStream's Nats-Msg-Id window is applied once and answered with its original outcome — also with
 * ifMatch (no false Conflict). And a request id is bound to its body (RequestIdReused).
 */
describe.each(E2E_BACKENDS)('exactly once by (principal, request id) past the dedupe window, on $name', (backend) => {
  let stack: CofferStack;
  let drop: () => Promise<void>;
  let nc: NatsConnection;
  let internal: NatsConnection;
  let jsm: JetStreamManager;
  let admin: string;
  let adminId: string;
  const req = (subject: string, body: unknown, requestId?: string) => rawRequest(nc, subject, body, admin, requestId);

  beforeAll(async () => {
    const db = await backend.dbUrl();
    drop = db.drop;
    stack = await startCofferStack({
      ...(db.url && { dbUrl: db.url }),
      // Dev mode: the time shift moves event time past the request-id horizon (24 h) in the last test.
      env: { COFFER_DEDUPE_WINDOW_MS: String(DEDUPE_WINDOW_MS), COFFER_PROJECTION_WAIT_MS: '3000', COFFER_DEV_MODE: '1' },
    });
    nc = await connectTo(stack.clientUrl);
    internal = await connectTo(stack.adminUrl); // TEST-ONLY full access: inspects the event stream
    jsm = await internal.jetstreamManager();
    adminId = adminCredentials(stack.home).clientId;
    admin = await tokenFor(nc, adminCredentials(stack.home));
    expect(await req(`coffer.v1.vault.${VAULT}.create`, {})).toMatchObject({ name: VAULT });
  });
  afterAll(async () => {
    await nc?.close();
    await internal?.close();
    await stack?.stop();
    await drop?.();
  });

  it('the events stream dedupes for the configured window only', async () => {
    const info = await jsm.streams.info(Streams.events.name);
    expect(info.config.duplicate_window).toBe(DEDUPE_WINDOW_MS * 1_000_000);
  });

  /**
   * Projector frozen: the first try is appended but times out. Past the msg-id window the retry is
   * sent; once it has tried its conditional append (seen on the subject) the projector thaws, so the
   * retry reloads a state that already holds its own event — where the old runner appended again.
   */
  async function timedOutThenRetriedAfterWindow(name: string, body: Record<string, unknown>, requestId: string) {
    const subject = subjectOf(name);
    const before = (await eventsOn(jsm, subject)).length;
    const projector = freezeProjector(stack);
    try {
      const first = await req(SET, body, requestId);
      expect(first.error).toMatchObject({ code: 'ServiceUnavailable' });
      const stored = await eventsOn(jsm, subject);
      expect(stored).toHaveLength(before + 1);
      const original = stored[stored.length - 1];
      expect(original.event.metadata).toMatchObject({ requestId, principalId: adminId, requestHash: expect.any(String) });

      await untilMsgIdForgotten(internal, adminId, requestId, subject);
      let seenAppendTry: () => void = () => undefined;
      const appendTried = new Promise<void>((r) => (seenAppendTry = r));
      const sub = internal.subscribe(subject, {
        callback: (_e, m) => m.headers?.get('Nats-Msg-Id') && seenAppendTry(),
      });
      await internal.flush(); // the subscription is in place before the retry is sent
      const retry = req(SET, body, requestId);
      // The old runner and the new one both try the append here; a reply first would mean neither did.
      const early = await Promise.race([appendTried.then(() => undefined), retry]);
      expect(early).toBeUndefined();
      sub.unsubscribe();
      projector.thaw();
      return { reply: await retry, original, subject, before };
    } finally {
      projector.thaw();
    }
  }

  it('a set that timed out and is retried after the window applies once and replays the original outcome', async () => {
    // An existing secret: the retry's load finds the head row (stale) and goes straight to the conditional append.
    const v0 = await req(SET, { name: 'late-retry', value: 'v0' });
    const requestId = randomUUID();
    const { reply, original, subject } = await timedOutThenRetriedAfterWindow('late-retry', { name: 'late-retry', value: 'v1' }, requestId);
    const originalVersion = (original.event.data as { version: string }).version;
    expect(reply.error).toBeUndefined();
    expect(reply).toMatchObject({ version: originalVersion, value: 'v1', sequence: original.seq });
    expect(await eventsOn(jsm, subject)).toHaveLength(2);
    const versions = await req(`coffer.v1.vault.${VAULT}.secret.versions`, { name: 'late-retry' });
    expect(versions.value.map((v: { version: string }) => v.version)).toEqual([v0.version, originalVersion]);
    // And again, with everything projected: the same outcome.
    expect(await req(SET, { name: 'late-retry', value: 'v1' }, requestId)).toMatchObject({ version: originalVersion, value: 'v1' });
  });

  it('with ifMatch, the late retry is not refused as a conflict', async () => {
    const first = await req(SET, { name: 'late-if-match', value: 'a' });
    expect(first.version).toEqual(expect.any(String));
    const requestId = randomUUID();
    const body = { name: 'late-if-match', value: 'b', ifMatch: first.version };
    const { reply, original, subject } = await timedOutThenRetriedAfterWindow('late-if-match', body, requestId);
    expect(reply.error).toBeUndefined();
    expect(reply).toMatchObject({ version: (original.event.data as { version: string }).version, value: 'b' });
    expect(await eventsOn(jsm, subject)).toHaveLength(2);
    expect((await req(`coffer.v1.vault.${VAULT}.secret.get`, { name: 'late-if-match' })).value).toBe('b');
  });

  it('the same principal reusing a request id with another body is refused and changes nothing', async () => {
    const requestId = randomUUID();
    const first = await req(SET, { name: 'reused', value: 'x' }, requestId);
    expect(first.value).toBe('x');
    for (const [subject, body] of [
      [SET, { name: 'reused', value: 'y' }],
      [SET, { name: 'reused', value: 'x', tags: { a: '1' } }],
      [SET, { name: 'reused-elsewhere', value: 'x' }],
      [`coffer.v1.vault.${VAULT}.secret.delete`, { name: 'reused' }],
    ] as const) {
      expect((await req(subject, body, requestId)).error).toMatchObject({ code: 'Conflict', innererror: { code: 'RequestIdReused' } });
    }
    expect(await eventsOn(jsm, subjectOf('reused'))).toHaveLength(1);
    expect(await eventsOn(jsm, subjectOf('reused-elsewhere'))).toHaveLength(0);
    expect(await req(`coffer.v1.vault.${VAULT}.secret.get`, { name: 'reused' })).toMatchObject({ value: 'x', version: first.version });
    // The same body (keys in another order) is the same request: its outcome again.
    expect(await req(SET, { value: 'x', name: 'reused' }, requestId)).toMatchObject({ version: first.version, value: 'x' });
  });

  it('forgets requests past the horizon (by event time): their rows are pruned, newer ones kept', async () => {
    const ds = await openReadModel(stack.dbUrl, { migrate: false });
    try {
      const rm = new ReadModel(ds);
      const old = randomUUID();
      const before = await req(SET, { name: 'horizon', value: 'h1' }, old);
      expect(await rm.findAppliedRequests(adminId, old)).toMatchObject([{ sequence: before.sequence }]);

      expect(await req(DevSubjects.timeShift, { days: 2 })).toMatchObject({ offsetMs: 2 * 86_400_000 });
      admin = await tokenFor(nc, adminCredentials(stack.home));
      const recent = randomUUID();
      const after = await req(SET, { name: 'horizon-later', value: 'h2' }, recent);
      // Pruned in the transaction that projected the later event, which the reply waited for.
      expect(await rm.findAppliedRequests(adminId, old)).toEqual([]);
      expect(await rm.findAppliedRequests(adminId, recent)).toMatchObject([{ sequence: after.sequence }]);
      expect(await req(SET, { name: 'horizon-later', value: 'h2' }, recent)).toMatchObject({ version: after.version });
      // Past the horizon (and JetStream's window) the id is new again: the documented limit of the guarantee.
      await untilMsgIdForgotten(internal, adminId, old, subjectOf('horizon'));
      expect((await req(SET, { name: 'horizon', value: 'h1' }, old)).version).not.toBe(before.version);
    } finally {
      await ds.destroy();
    }
  });
});
