import { Streams } from '@coffer/contracts';
import { CofferStack, connectTo, startCofferStack } from '@coffer/testing';
import { JetStreamManager, NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { adminCredentials, rawRequest, tokenFor } from '../auth-helpers';
import { E2E_BACKENDS, eventsOn } from '../idempotency-helpers';

const VAULT = 'replay';
const S = (op: string) => `coffer.v1.vault.${VAULT}.secret.${op}`;

/**
 * Issue 9, defect 6: a principal that may set but not read a secret sent a `set` with another
 * caller's request id and got the original reply back, value included. Request ids are now scoped
 * to the principal: the same id from someone else is a request of its own. Real processes, the
 * client NATS credentials (what every application on the machine holds), a low-privilege principal.
 */
describe.each(E2E_BACKENDS)('request ids are scoped to the caller, on $name', (backend) => {
  let stack: CofferStack;
  let drop: () => Promise<void>;
  let nc: NatsConnection;
  let internal: NatsConnection;
  let jsm: JetStreamManager;
  let admin: string;
  let attacker: string;
  let attackerId: string;

  beforeAll(async () => {
    const db = await backend.dbUrl();
    drop = db.drop;
    stack = await startCofferStack(db.url ? { dbUrl: db.url } : {});
    nc = await connectTo(stack.clientUrl);
    internal = await connectTo(stack.adminUrl); // TEST-ONLY full access: inspects the event stream
    jsm = await internal.jetstreamManager();
    admin = await tokenFor(nc, adminCredentials(stack.home));
    await rawRequest(nc, `coffer.v1.vault.${VAULT}.create`, {}, admin);
    // May set secrets (and purge, rotate…) but never read them: the built-in scheduler role.
    const p = await rawRequest(nc, 'coffer.v1.principals.create', { name: 'set-only', type: 'servicePrincipal' }, admin);
    attackerId = p.id;
    const c = await rawRequest(nc, 'coffer.v1.principals.credential.add', { id: p.id, kind: 'secret' }, admin);
    await rawRequest(nc, 'coffer.v1.roleassignments.create', { principalId: p.id, role: 'Coffer Lifecycle Scheduler', scope: `/vaults/${VAULT}` }, admin);
    attacker = await tokenFor(nc, { clientId: p.id, clientSecret: c.clientSecret });
  });
  afterAll(async () => {
    await nc?.close();
    await internal?.close();
    await stack?.stop();
    await drop?.();
  });

  it("another principal's request id gives an independent request, never the first one's reply", async () => {
    const requestId = randomUUID();
    const victim = await rawRequest(nc, S('set'), { name: 'db-password', value: 'victim-value' }, admin, requestId);
    expect(victim).toMatchObject({ value: 'victim-value', version: expect.any(String) });
    expect((await rawRequest(nc, S('get'), { name: 'db-password' }, attacker)).error).toMatchObject({ code: 'Forbidden' });

    // The reproduction: another body under the victim's id…
    const replayed = await rawRequest(nc, S('set'), { name: 'db-password', value: 'attacker-value' }, attacker, requestId);
    expect(replayed.error).toBeUndefined();
    expect(replayed.value).toBe('attacker-value');
    expect(replayed.version).not.toBe(victim.version);
    expect(JSON.stringify(replayed)).not.toContain('victim-value');
    // The id is now the attacker's own too: the victim's body under it is refused as reuse, not replayed.
    expect((await rawRequest(nc, S('set'), { name: 'db-password', value: 'victim-value' }, attacker, requestId)).error)
      .toMatchObject({ code: 'Conflict', innererror: { code: 'RequestIdReused' } });
    // A fresh guess of the victim's exact request gives the attacker a version of its own, never the victim's reply.
    const guessedId = randomUUID();
    const guessed = await rawRequest(nc, S('set'), { name: 'db-password', value: 'guess' }, admin, guessedId);
    const sameBody = await rawRequest(nc, S('set'), { name: 'db-password', value: 'guess' }, attacker, guessedId);
    expect(sameBody.version).not.toBe(guessed.version);

    // The victim's own retry still replays the victim's outcome.
    expect(await rawRequest(nc, S('set'), { name: 'db-password', value: 'victim-value' }, admin, requestId))
      .toMatchObject({ version: victim.version, value: 'victim-value', sequence: victim.sequence });

    const events = await eventsOn(jsm, Streams.events.secret(VAULT, 'db-password'));
    const adminId = adminCredentials(stack.home).clientId;
    expect(events.map((e) => [e.event.metadata.principalId, e.event.metadata.requestId])).toEqual([
      [adminId, requestId], [attackerId, requestId], [adminId, guessedId], [attackerId, guessedId],
    ]);
  });

  it("a reused id from another principal is not refused as reuse, and the owner's reuse with another body is", async () => {
    const requestId = randomUUID();
    await rawRequest(nc, S('set'), { name: 'api-key', value: 'one' }, admin, requestId);
    expect((await rawRequest(nc, S('set'), { name: 'other', value: 'two' }, attacker, requestId)).error).toBeUndefined();
    expect((await rawRequest(nc, S('set'), { name: 'other', value: 'two' }, admin, requestId)).error)
      .toMatchObject({ code: 'Conflict', innererror: { code: 'RequestIdReused' } });
  });
});
