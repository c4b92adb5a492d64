import {
  AuthSubjects, AUDIT_OPS, CERTIFICATE_OPS, ChangeSubjects, CONTACTS_OPS, DevSubjects, ErrorCodes, ISSUER_OPS, KEY_SUBJECT_OPS, PRINCIPAL_OPS,
  ROLE_ASSIGNMENT_OPS, SECRET_OPS, Subjects, VAULT_OPS,
} from '@coffer/contracts';
import { CofferStack, connectTo, dumpReadModel, startCofferStack } from '@coffer/testing';
import { isInboxReplySubject } from '@coffer/transport';
import * as fc from 'fast-check';
import { headers, Msg, NatsConnection } from 'nats';
import { connect as tcpConnect, Socket } from 'node:net';
import { adminCredentials, rawRequest, tokenFor } from '../auth-helpers';

/**
 * Property-based fuzzing of every public subject a client may call, against real processes, as an
 * attacker with the shared client NATS credentials: hostile bodies (random JSON, wrong types, huge
 * strings, deep nesting, many keys, prototype keys, invalid UTF-8, empty, not JSON), hostile headers
 * (request ids, tokens, huge and garbage headers, raw header blocks nats.js would never write) and
 * hostile reply subjects (JetStream API, stream subjects, wildcards, malformed inboxes).
 * Properties: every request with an inbox reply subject is answered, with a success or a typed error
 * that is never InternalError (a caller with write rights only ever sends bodies that cannot be
 * valid, and always gets an error); a request whose reply subject is not an inbox gets no reply at
 * all; no process exits; afterwards no stream but the audit trail (which records every refusal) and
 * the nonce bucket (auth.challenge issues a nonce for any well-formed client id, by design) has
 * changed, the read model is row for row the same, and normal requests still work.
 * COFFER_FUZZ_SEED and COFFER_FUZZ_RUNS replay or widen a run; the seed is printed on failure.
 */
const SEED = Number(process.env.COFFER_FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.COFFER_FUZZ_RUNS ?? 1500);
/** Runs stop early (passing) after this long, so the suite stays under a minute on a busy machine. */
const TIME_LIMIT_MS = 30_000;
const REPLY_TIMEOUT_MS = 15_000;
const VAULT = 'fuzz';
const INBOX = '_INBOX_coffer-client';

/** Every subject the vault answers for clients (libs/contracts), with the vault token given. */
const publicSubjects = (vault: string): string[] => [
  Subjects.status, Subjects.vaultList,
  ...VAULT_OPS.map((op) => Subjects.vault(vault, op)),
  ...SECRET_OPS.map((op) => Subjects.secret(vault, op)),
  ...KEY_SUBJECT_OPS.map((op) => Subjects.key(vault, op)),
  ...CERTIFICATE_OPS.map((op) => Subjects.certificate(vault, op)),
  ...ISSUER_OPS.map((op) => Subjects.issuer(vault, op)),
  ...CONTACTS_OPS.map((op) => Subjects.contacts(vault, op)),
  AuthSubjects.challenge, AuthSubjects.token, AuthSubjects.whoami, AuthSubjects.roleList,
  ...PRINCIPAL_OPS.map((op) => AuthSubjects.principal(op)),
  ...ROLE_ASSIGNMENT_OPS.map((op) => AuthSubjects.roleAssignment(op)),
  ...AUDIT_OPS.map((op) => AuthSubjects.audit(op)),
  ChangeSubjects.fetch, DevSubjects.timeShift, DevSubjects.timeShow,
];
const SUBJECT_COUNT = publicSubjects('v').length;

// ---- bodies -------------------------------------------------------------------------------------

/** Field names the DTOs use, so random objects often hit real fields with wrong types. */
const FIELDS = [
  'name', 'value', 'version', 'tags', 'attributes', 'enabled', 'nbf', 'exp', 'contentType', 'ifMatch', 'maxResults', 'continuationToken',
  'clientId', 'clientSecret', 'nonce', 'signature', 'id', 'type', 'kind', 'publicKey', 'principalId', 'role', 'scope', 'credentialId',
  'kty', 'keySize', 'crv', 'keyOps', 'key', 'alg', 'digest', 'ciphertext', 'plaintext', 'policy', 'issuer', 'csr', 'contacts', 'items',
  'retentionDays', 'purgeProtection', 'fromSequence', 'types', 'vault', 'waitMs', 'days', 'lifetimeActions', 'x5c', 'subject',
];
const field = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 }));
const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, 0, -1, 1e308, -0, '', [], {}, 'x'.repeat(300)),
  fc.constantFrom('../../etc/passwd', 'a b', '*', '>', 'coffer.events.fuzz.secret.x', '\u0000', '\ud800', '%00', '${jndi:x}'),
);
const objectText = fc.dictionary(field, wrongValue, { maxKeys: 8 }).map((o) => JSON.stringify(o));

const nested = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const hugeString = fc.tuple(fc.constantFrom('name', 'value', 'clientId', 'zz'), fc.integer({ min: 1_000, max: 1_200_000 }), fc.constantFrom('a', '\\u0041', 'é'))
  .map(([k, n, unit]) => `{"${k}":"${unit.repeat(Math.ceil(n / unit.length))}"}`);
const manyKeys = fc.integer({ min: 100, max: 20_000 }).map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`);
const manyItems = fc.tuple(fc.constantFrom('items', 'keyOps', 'contacts', 'types', 'tags'), fc.integer({ min: 100, max: 20_000 }))
  .map(([k, n]) => `{"${k}":[${'1,'.repeat(n - 1)}1]}`);
const protoKeys = fc.constantFrom(
  '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"name":"a","\\u005f_proto__":{}}', '{"tags":{"__proto__":"x"}}',
  '{"prototype":1}', '{"attributes":{"constructor":{}}}',
);
const oddJson = fc.constantFrom(
  '[]', '[{}]', 'null', 'true', '0', '"str"', '1e999', '{"name":"a","name":"b"}', '{"maxResults":1e999}', '{"maxResults":-0}',
  '{"name":"a"}garbage', '{', '}', '{"a":', ' ', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u"}',
);
/** Bytes that are not UTF-8: random, or inside an otherwise plausible body. */
const notUtf8 = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => Buffer.from(b)),
  fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]).map((bad) =>
    Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bad), Buffer.from('"}')])),
);

const body: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: objectText.map((s) => Buffer.from(s)), weight: 6 },
  { arbitrary: fc.json({ maxDepth: 4 }).map((s) => Buffer.from(s)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 64 }).map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: oddJson.map((s) => Buffer.from(s)), weight: 2 },
  { arbitrary: notUtf8, weight: 2 },
  { arbitrary: fc.constant(Buffer.alloc(0)), weight: 1 },
  { arbitrary: nested.map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: hugeString.map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: manyKeys.map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: manyItems.map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: protoKeys.map((s) => Buffer.from(s)), weight: 1 },
);

/**
 * For a caller with write rights: a body that cannot be valid for any request. A plain object gets
 * a field whose value no DTO accepts (an object with a key no DTO declares and a number where tag
 * values are strings); anything else (not JSON, not an object, over a limit) is refused as it is.
 */
function poisoned(b: Buffer): Buffer {
  let parsed: unknown;
  try {
    parsed = b.length === 0 ? {} : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b));
  } catch {
    return b;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return b;
  try {
    return Buffer.from(JSON.stringify({ ...parsed, [`poison-${b.length % 7}`]: { 'x~': 1 }, name: { 'x~': 1 } }));
  } catch {
    return b; // too deep for JSON.stringify here: its only key ('a' or 'name') holds nesting no DTO accepts
  }
}

// ---- headers, callers, reply subjects ----------------------------------------------------------

const headerValue = fc.oneof(
  fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer({ min: 10_000, max: 600_000 }).map((n) => 'h'.repeat(n)),
).map((v) => v.replace(/[\r\n]/g, ' '));
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const garbageToken = fc.oneof(
  fc.string({ maxLength: 100 }), fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic YTpi', 'Bearer a.b', 'Bearer ...', 'Bearer a.b.c.d'),
  fc.string({ maxLength: 300 }).map((s) => `Bearer ${s}`),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 90 }))
    .map(([h, p, s]) => `Bearer ${b64(JSON.stringify(h))}.${b64(JSON.stringify(p))}.${b64(s)}`),
  fc.constantFrom(
    `Bearer ${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"sub":"p-admin","exp":99999999999}')}.`,
    `Bearer ${b64('{"alg":"HS256","kid":"k"}')}.${b64('{"sub":"x"}')}.${b64('sig')}`,
    `Bearer ${b64('{"alg":"ES256","typ":"JWT","kid":"../../x"}')}.${b64('not json')}.${b64('s')}`,
  ),
  fc.integer({ min: 5_000, max: 500_000 }).map((n) => `Bearer ${'A'.repeat(n)}.${'B'.repeat(10)}.${'C'.repeat(10)}`),
).map((v) => v.replace(/[\r\n]/g, ' '));
const requestId = fc.option(
  fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9._:-]{1,200}$/), fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'r'.repeat(n)))
    .map((v) => v.replace(/[\r\n]/g, ' ')),
  { nil: undefined },
);
const extraHeaders = fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/), headerValue, { maxKeys: 4 });

type Caller = 'anonymous' | 'garbage-token' | 'reader' | 'admin-poisoned';
const caller = fc.constantFrom<Caller>('anonymous', 'garbage-token', 'reader', 'reader', 'admin-poisoned');

const HOSTILE_REPLIES = [
  '$JS.API.STREAM.PURGE.COFFER_KEYRING', '$JS.API.STREAM.DELETE.COFFER_EVENTS', '$JS.API.STREAM.MSG.DELETE.COFFER_KEYRING',
  '$JS.API.STREAM.PURGE.COFFER_AUDIT', '$JS.API.CONSUMER.DELETE.COFFER_EVENTS.coffer-projector', `coffer.events.${VAULT}.secret.db`,
  'coffer.events.>', 'coffer.audit.x', 'coffer.internal.crypto.datakey.unwrap', 'coffer.v1.status', `coffer.hooks.${VAULT}.x`, '*', '>',
  `${INBOX}.*`, `${INBOX}.>`, '_INBOX.*', '_INBOX_coffer-vault.x', `${INBOX}`, `${INBOX}.a.b.c.d.e`, `${INBOX}.${'x'.repeat(300)}`,
  `${INBOX}.a..b`, `${INBOX}.a$b`, '$KV.COFFER_AUTH_NONCES.x', '$SYS.REQ.SERVER.PING',
];
/** A refused reply subject the attacker can listen on, to prove no reply is sent there. */
const observable = (reply: string) => reply.startsWith(`${INBOX}.`) && !/[*>]/.test(reply);
const reply = fc.oneof(
  { arbitrary: fc.constant<string | undefined>(undefined), weight: 6 },
  { arbitrary: fc.constantFrom(...HOSTILE_REPLIES), weight: 2 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_$.-]{1,80}$/).filter((r) => !isInboxReplySubject(r)), weight: 1 },
);

/** A header block nats.js would never write (only the raw sender sends these). */
const rawHeaderBlock = fc.oneof(
  fc.constantFrom(
    'NATS/1.0\r\n\r\n', 'NATS/1.0 503\r\n\r\n', 'NATS/1.0 408 Request Timeout\r\n\r\n', 'NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\n\r\n',
    'NATS/1.0\r\nAuthorization\r\n\r\n', 'NATS/1.0\r\n: empty-key\r\n\r\n', 'NATS/1.0\r\nCoffer-Request-Id: a\r\nCoffer-Request-Id: b\r\n\r\n',
    'NATS/2.0\r\n\r\n', 'NATS/1.0\r\nBad Key: x\r\n\r\n', 'NATS/1.0\r\n}R :g(#+\r\n\r\n', 'HTTP/1.1 200 OK\r\n\r\n', '\r\n\r\n', 'NATS/1.0\r\nAuthorization: Bearer \u00ff\u00fe\r\n\r\n',
  ),
  fc.string({ maxLength: 200 }).map((s) => `NATS/1.0\r\n${s.replace(/\r\n/g, '')}\r\n\r\n`),
  fc.string({ maxLength: 200 }).map((s) => `${s.replace(/\r\n/g, '')}\r\n\r\n`),
);

interface Case {
  vault: string;
  subjectIndex: number;
  body: Buffer;
  caller: Caller;
  garbageToken: string;
  requestId: string | undefined;
  extra: Record<string, string>;
  reply: string | undefined;
  rawHeaders: string | undefined;
}
const cases: fc.Arbitrary<Case> = fc.record({
  vault: fc.oneof({ arbitrary: fc.constant(VAULT), weight: 4 }, { arbitrary: fc.constantFrom('no-such-vault', '_system', 'ab', 'A-b'), weight: 1 }, { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), weight: 1 }),
  subjectIndex: fc.nat({ max: SUBJECT_COUNT - 1 }),
  body,
  caller,
  garbageToken,
  requestId,
  extra: fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: extraHeaders, weight: 1 }),
  reply,
  rawHeaders: fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: rawHeaderBlock, weight: 1 }),
});

const describeCase = (c: Case) =>
  JSON.stringify({ ...c, body: `${c.body.length} bytes: ${c.body.subarray(0, 120).toString('latin1')}`, garbageToken: c.garbageToken.slice(0, 80), requestId: c.requestId?.slice(0, 80),
    extra: Object.fromEntries(Object.entries(c.extra).map(([k, v]) => [k, `${v.length} chars`])) });

const TYPED = new Set<string>(Object.values(ErrorCodes).filter((c) => c !== ErrorCodes.InternalError));

describe('fuzz: hostile requests on every public subject (real processes, client credentials)', () => {
  let stack: CofferStack;
  let attacker: NatsConnection;
  let watcher: NatsConnection;
  let inspector: NatsConnection;
  let raw: RawSender;
  let adminToken: string;
  let readerToken: string;
  const seenOnWatcher = new Map<string, Msg>();
  const waiting = new Map<string, (m: Msg) => void>();

  /** Stream states that must not move (the audit streams may only grow; nonces and the lease live their own life). */
  const streamStates = async () => {
    const jsm = await inspector.jetstreamManager();
    const out: Record<string, unknown> = {};
    for await (const s of jsm.streams.list()) {
      const { name } = s.config;
      const st = s.state;
      // Audit streams: records are added (every refusal is audited), none may be dropped from the start.
      if (/AUDIT/.test(name)) out[name] = { nothingDropped: st.first_seq <= 1 };
      else if (!/NONCE|LEASE/.test(name)) out[name] = { messages: st.messages, first_seq: st.first_seq, last_seq: st.last_seq, bytes: st.bytes };
    }
    return out;
  };

  beforeAll(async () => {
    // Throttled replies are held back up to 1 s by default; here they are answered at once so the runs stay fast.
    stack = await startCofferStack({ env: { COFFER_THROTTLE_HOLD_MS: '0' } });
    attacker = await connectTo(stack.clientUrl, { noAsyncTraces: true });
    watcher = await connectTo(stack.clientUrl, { noAsyncTraces: true });
    inspector = await connectTo(stack.adminUrl); // TEST-ONLY full access, to read stream states
    const sub = watcher.subscribe(`${INBOX}.>`);
    void (async () => {
      for await (const m of sub) {
        seenOnWatcher.set(m.subject, m);
        waiting.get(m.subject)?.(m);
      }
    })();
    await watcher.flush();
    raw = await RawSender.open(stack.clientUrl);

    adminToken = await tokenFor(attacker, adminCredentials(stack.home));
    await rawRequest(attacker, Subjects.vault(VAULT, 'create'), {}, adminToken);
    await rawRequest(attacker, Subjects.secret(VAULT, 'set'), { name: 'db', value: 's3cret' }, adminToken);
    await rawRequest(attacker, Subjects.key(VAULT, 'create'), { name: 'k', kty: 'EC' }, adminToken);
    const reader = await rawRequest(attacker, AuthSubjects.principal('create'), { name: 'fuzz-reader', type: 'servicePrincipal' }, adminToken);
    const secret = await rawRequest(attacker, AuthSubjects.principal('credential.add'), { id: reader.id, kind: 'secret' }, adminToken);
    // Not the change feed: a valid long poll (waitMs up to 30 s) would only make the run slow.
    for (const role of ['Key Vault Reader', 'Key Vault Secrets User', 'Key Vault Crypto User']) {
      const assigned = await rawRequest(attacker, AuthSubjects.roleAssignment('create'), { principalId: reader.id, role, scope: '/' }, adminToken);
      if (assigned.error) throw new Error(`role assignment: ${JSON.stringify(assigned.error)}`);
    }
    readerToken = await tokenFor(attacker, { clientId: reader.id, clientSecret: secret.clientSecret });
  });
  afterAll(async () => {
    raw?.close();
    await attacker?.close();
    await watcher?.close();
    await inspector?.close();
    await stack?.stop();
  });

  /** Waits for the message on `subject` at the watcher (a reply the vault sent to a raw sender's inbox). */
  const watched = (subject: string, timeoutMs: number) =>
    new Promise<Msg | undefined>((resolve) => {
      const seen = seenOnWatcher.get(subject);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => (waiting.delete(subject), resolve(undefined)), timeoutMs);
      waiting.set(subject, (m) => (clearTimeout(timer), waiting.delete(subject), resolve(m)));
    });

  it('answers every hostile request with a typed error (never InternalError), ignores refused reply subjects, changes nothing, keeps serving', async () => {
    const before = { streams: await streamStates(), readModel: await dumpReadModel(stack.dbUrl) };
    const pidsBefore = stack.pids();
    const stats = { runs: 0, answered: 0, succeeded: 0, dropped: 0, raw: 0, codes: new Map<string, number>() };
    let sentinel = 0;

    const property = fc.asyncProperty(cases, async (c) => {
      stats.runs++;
      const subject = publicSubjects(c.vault)[c.subjectIndex];
      const payload = c.caller === 'admin-poisoned' ? poisoned(c.body) : c.body;
      const token = { anonymous: undefined, 'garbage-token': c.garbageToken, reader: `Bearer ${readerToken}`, 'admin-poisoned': `Bearer ${adminToken}` }[c.caller];
      const size = payload.length + (token?.length ?? 0) + (c.requestId?.length ?? 0) + Object.values(c.extra).reduce((n, v) => n + v.length, 0);
      // Over nats-server's max_payload the client refuses to send (bounded-input.e2e-spec.ts covers that); keep under it.
      fc.pre(size < 1_900_000);

      let answer: Uint8Array | undefined;
      if (c.rawHeaders !== undefined) {
        // A header block nats.js would never write, straight on the protocol; the vault answers into the watcher's view.
        stats.raw++;
        const inbox = `${INBOX}.raw.${++sentinel}`;
        raw.hpub(subject, inbox, c.rawHeaders, payload);
        const m = await watched(inbox, REPLY_TIMEOUT_MS);
        if (!m) throw new Error(`no reply to a raw request on ${subject}`);
        answer = m.data;
      } else {
        const h = headers();
        for (const [k, v] of Object.entries(c.extra)) h.append(k, v);
        if (token !== undefined) h.set('Authorization', token);
        if (c.requestId !== undefined) h.set('Coffer-Request-Id', c.requestId);
        if (c.reply === undefined || isInboxReplySubject(c.reply)) {
          answer = (await attacker.request(subject, payload, { headers: h, timeout: REPLY_TIMEOUT_MS })).data;
        } else {
          stats.dropped++;
          attacker.publish(subject, payload, { headers: h, reply: c.reply });
          // Requests of one connection reach the vault in order and a refused reply subject is dropped before any
          // work: once a later request's reply reaches the watcher, nothing was sent to the refused one.
          const probe = `${INBOX}.sentinel.${++sentinel}`;
          attacker.publish(Subjects.status, '{}', { reply: probe });
          if (!(await watched(probe, REPLY_TIMEOUT_MS))) throw new Error('the sentinel status request was not answered');
          if (observable(c.reply)) expect(seenOnWatcher.has(c.reply)).toBe(false);
          return;
        }
      }
      stats.answered++;
      let parsed: { error?: { code?: string; innererror?: { code?: string } } };
      try {
        parsed = JSON.parse(Buffer.from(answer).toString('utf8'));
      } catch {
        throw new Error(`a reply that is not JSON: ${Buffer.from(answer).subarray(0, 200).toString('latin1')}`);
      }
      if (parsed.error === undefined) {
        if (c.caller === 'admin-poisoned') throw new Error(`a poisoned write body was accepted on ${subject}`);
        stats.succeeded++;
        return;
      }
      const code = `${parsed.error.code}/${parsed.error.innererror?.code ?? '-'}`;
      stats.codes.set(code, (stats.codes.get(code) ?? 0) + 1);
      if (!TYPED.has(parsed.error.code ?? '')) throw new Error(`untyped error on ${subject}: ${JSON.stringify(parsed.error).slice(0, 400)}`);
    });

    const started = Date.now();
    try {
      await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, verbose: 1,
        reporter: (out) => {
          if (out.failed) {
            const example = out.counterexample?.[0] as Case | undefined;
            throw new Error(`fuzz failed (seed ${SEED}, path ${out.counterexamplePath}; replay with COFFER_FUZZ_SEED=${SEED}): ${example ? describeCase(example) : ''}\n${out.errorInstance}`);
          }
        } });
    } finally {
       
      console.log(
        `fuzz seed ${SEED}: ${stats.runs} runs in ${Date.now() - started} ms over ${SUBJECT_COUNT} subjects: ${stats.answered} answered (${stats.succeeded} succeeded), ` +
          `${stats.dropped} refused reply subjects, ${stats.raw} raw header blocks; errors: ${[...stats.codes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
    }
    expect(stats.answered).toBeGreaterThan(50);

    // Nothing crashed, nothing changed, everything still works.
    expect(stack.pids()).toEqual(pidsBefore);
    expect(await streamStates()).toEqual(before.streams);
    expect(await dumpReadModel(stack.dbUrl)).toEqual(before.readModel);
    expect((await rawRequest(attacker, Subjects.secret(VAULT, 'get'), { name: 'db' }, readerToken)).value).toBe('s3cret');
    const status = await rawRequest(attacker, Subjects.status, {});
    expect(status.vault.ok).toBe(true);
    const written = await rawRequest(attacker, Subjects.secret(VAULT, 'set'), { name: 'after-fuzz', value: 'ok' }, adminToken);
    expect(written.error).toBeUndefined();
    expect(stack.logs('vault')).not.toContain('s3cret');
  });
});

/** A client speaking the NATS protocol itself, to send header blocks nats.js would refuse to write. */
class RawSender {
  private constructor(private readonly socket: Socket) {}

  static async open(url: string): Promise<RawSender> {
    const u = new URL(url.replace(/^nats:/, 'http:'));
    const socket = tcpConnect({ host: u.hostname, port: Number(u.port) });
    await new Promise<void>((resolve, reject) => {
      let text = '';
      socket.on('error', reject);
      socket.on('data', function onData(d) {
        text += d.toString('latin1');
        if (text.startsWith('INFO') && text.includes('\r\n') && !text.includes('PONG')) {
          socket.write(`CONNECT ${JSON.stringify({ user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password), verbose: false, pedantic: false, headers: true })}\r\nPING\r\n`);
          text += '(sent)';
        }
        if (text.includes('-ERR')) reject(new Error(text));
        if (text.includes('PONG')) {
          socket.off('data', onData);
          // Keep answering the server's PINGs so it does not drop the connection.
          socket.on('data', (x) => x.toString('latin1').includes('PING') && socket.write('PONG\r\n'));
          resolve();
        }
      });
    });
    return new RawSender(socket);
  }

  hpub(subject: string, reply: string, headerBlock: string, payload: Buffer): void {
    const hdr = Buffer.from(headerBlock, 'latin1');
    this.socket.write(`HPUB ${subject} ${reply} ${hdr.length} ${hdr.length + payload.length}\r\n`);
    this.socket.write(Buffer.concat([hdr, payload, Buffer.from('\r\n')]));
  }

  close(): void {
    this.socket.destroy();
  }
}
