import { CofferError, ErrorCodes } from '@coffer/contracts';
import { NatsContext } from '@nestjs/microservices';
import { Msg } from 'nats';
import { throwError } from 'rxjs';
import { CofferNatsServer } from './coffer-nats.server';
import { JsonWireDeserializer } from './json-wire.deserializer';
import { JsonWireSerializer } from './json-wire.serializer';
import { GatedRequest, HandlerFailure, RequestGate } from './request-gate';

const SUBJECT = 'coffer.v1.vault.prod.secret.get';

function server(handler: (data: unknown, ctx: NatsContext) => Promise<unknown>, gate: RequestGate) {
  const s = new CofferNatsServer({ serializer: new JsonWireSerializer(), deserializer: new JsonWireDeserializer() } as never);
  s.addHandler(SUBJECT, handler as never);
  s.useGate(gate);
  return s;
}

function message(body: object, reply: string | null = '_INBOX_coffer-client.abc.1') {
  const replies: unknown[] = [];
  const msg = { subject: SUBJECT, data: Buffer.from(JSON.stringify(body)), reply, headers: undefined, respond: (d: Uint8Array) => replies.push(JSON.parse(Buffer.from(d).toString())) };
  return { msg: msg as unknown as Msg, replies };
}

/** Handles one message and lets the turn end (replies leave together at setImmediate). */
async function handled(s: CofferNatsServer, msg: Msg): Promise<void> {
  await s.handleMessage(SUBJECT, msg);
  await new Promise((r) => setImmediate(r));
}

describe('CofferNatsServer with a RequestGate', () => {
  it('runs the gate around the handler and replies with what the gate returns', async () => {
    const seen: GatedRequest[] = [];
    const gate: RequestGate = { pass: async (req, handle) => (seen.push(req), { wrapped: await handle() }) };
    const s = server(async (data) => ({ echo: data }), gate);
    const { msg, replies } = message({ name: 'db' });
    await handled(s, msg);
    expect(replies).toEqual([{ wrapped: { echo: { name: 'db' } } }]);
    expect(seen[0]).toMatchObject({ pattern: SUBJECT, data: { name: 'db' } });
    expect(seen[0].context.getSubject()).toBe(SUBJECT);
  });

  it('hands the gate a handler failure as the error reply the exception filter made', async () => {
    let failure: unknown;
    const gate: RequestGate = { pass: (_req, handle) => handle().catch((e: unknown) => Promise.reject((failure = e))) };
    const wire = { code: ErrorCodes.SecretNotFound, message: 'no such secret' };
    const s = server(async () => throwError(() => wire), gate);
    const { msg, replies } = message({});
    await handled(s, msg);
    expect(failure).toBeInstanceOf(HandlerFailure);
    expect(replies).toEqual([{ error: wire }]);
  });

  it('replies to a gate refusal with its wire form, and to anything else with InternalError (no detail)', async () => {
    const refusing = server(async () => 'never', { pass: async () => Promise.reject(new CofferError(ErrorCodes.Forbidden, 'not allowed')) });
    const a = message({});
    await handled(refusing, a.msg);
    expect(a.replies).toEqual([{ error: { code: 'Forbidden', message: 'not allowed' } }]);
    const broken = server(async () => 'never', { pass: async () => Promise.reject(Object.assign(new Error('SQLITE_BUSY: db locked'), { code: 'SQLITE_BUSY' })) });
    const b = message({});
    await handled(broken, b.msg);
    expect(b.replies).toEqual([{ error: { code: 'InternalError', message: 'The service failed to process the request.' } }]);
  });

  it('replaces a reply nats.js refuses to send (over max_payload) by a short InternalError instead of throwing', async () => {
    const s = server(async () => ({ huge: 'x'.repeat(500) }), { pass: (_req, handle) => handle() });
    const { msg, replies } = message({});
    const respond = msg.respond.bind(msg);
    (msg as { respond: (d: Uint8Array) => boolean }).respond = (d) => {
      if (d.length > 200) throw Object.assign(new Error('MAX_PAYLOAD_EXCEEDED'), { code: 'MAX_PAYLOAD_EXCEEDED' });
      return respond(d);
    };
    await handled(s, msg);
    expect(replies).toEqual([{ error: { code: 'InternalError', message: 'The reply could not be sent.' } }]);
  });

  it('refuses a message whose header block nats.js cannot parse (BadParameter/MalformedRequest), before the gate and for gate-less services too', async () => {
    let gated = 0;
    const withHeaders = (s: CofferNatsServer) => {
      const { msg, replies } = message({});
      Object.defineProperty(msg, 'headers', { get: () => { throw new Error("' ' is not a valid character for a header key"); } });
      return { s, msg, replies };
    };
    for (const { s, msg, replies } of [
      withHeaders(server(async () => 'never', { pass: async (_req, handle) => (gated++, handle()) })),
      withHeaders(new CofferNatsServer({ serializer: new JsonWireSerializer(), deserializer: new JsonWireDeserializer() } as never)),
    ]) {
      await expect(handled(s, msg)).resolves.toBeUndefined();
      expect(replies).toEqual([{ error: { code: 'BadParameter', message: 'Malformed request: the NATS headers cannot be parsed.', innererror: { code: 'MalformedRequest' } } }]);
    }
    expect(gated).toBe(0);
  });

  it('gates a message without a reply subject too (and answers nobody)', async () => {
    let gated = 0;
    let ran = 0;
    const s = server(async () => (ran++, 'ok'), { pass: async (_req, handle) => (gated++, handle()) });
    const { msg, replies } = message({}, null);
    await handled(s, msg);
    expect([gated, ran, replies.length]).toEqual([1, 1, 0]);
  });

  it('sends the replies of one turn of the event loop together, after its I/O', async () => {
    const s = server(async (data) => data, { pass: (_req, handle) => handle() });
    const [a, b] = [message({ n: 1 }), message({ n: 2 })];
    await Promise.all([s.handleMessage(SUBJECT, a.msg), s.handleMessage(SUBJECT, b.msg)]);
    expect([a.replies, b.replies]).toEqual([[], []]);
    await new Promise((r) => setImmediate(r));
    expect([a.replies, b.replies]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
  });

  it.each([
    '$JS.API.STREAM.PURGE.COFFER_KEYRING', 'coffer.events.prod.secret.db', '_INBOX', '_INBOX.>', '_INBOX_coffer-client', '_INBOX_coffer-client.>',
    '_INBOX_coffer-client.*', '_INBOX_coffer-client..x', '_INBOX_Coffer.x', 'coffer.audit.records._system', '_INBOX_coffer-client.a b',
  ])('drops a request whose reply subject %s is not a caller inbox: not handled, not answered, told to the gate', async (reply) => {
    let ran = 0;
    const refused: string[] = [];
    const s = server(async () => (ran++, 'ok'), { pass: (_req, handle) => handle(), replyRefused: (subject) => refused.push(subject) });
    const { msg, replies } = message({}, reply);
    await handled(s, msg);
    expect([ran, replies.length, refused]).toEqual([0, 0, [SUBJECT]]);
    expect(s.replyGuard.refusedCount).toBe(1);
  });

  it.each(['_INBOX_coffer-client.abc.1', '_INBOX_billing-app.Xy12.7', '_INBOX.abc.1', '_INBOX_coffer-vault.abc'])('answers the inbox %s', async (reply) => {
    const s = server(async () => 'ok', { pass: (_req, handle) => handle() });
    const { msg, replies } = message({}, reply);
    await handled(s, msg);
    expect(replies).toEqual(['ok']);
  });
});
