import { EventEnvelope, Streams, SystemStreams } from '@coffer/contracts';
import { EventStore } from '@coffer/event-store';
import { CofferStack, connectTo, dumpReadModel, filesContaining, startCofferStack } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rebuildReadModel } from '../apps/projector/src/rebuild.command';
import { generateClientSecret, legacyScryptHash } from '../apps/vault/src/auth/client-secret';
import { adminCredentials, rawRequest, tokenFor } from './auth-helpers';

/**
 * Client secrets are stored as a keyed hash (HMAC-SHA256 under an HSM key that never leaves the
 * HSM), and credentials stored in the old scrypt format are migrated on their first successful use,
 * exactly once, through a CredentialRehashed event that a rebuild reproduces. Real processes (logs
 * to read), real SoftHSM and NATS; the in-memory proof cache is off, so every sign-in is checked.
 */

const P = (op: string) => `coffer.v1.principals.${op}`;
const KEYED = /^hmac-sha256\$client-secret-mac\$[A-Za-z0-9_-]{43}$/;

interface CredentialRow { id: string; principalId: string; hash: string | null }

describe('client-secret hashing', () => {
  let stack: CofferStack;
  let nc: NatsConnection;
  let adminNc: NatsConnection;
  let events: EventStore;
  let admin: string;

  const credentialRows = async (principalId: string): Promise<CredentialRow[]> =>
    ((await dumpReadModel(stack.dbUrl)).principal_credentials as CredentialRow[]).filter((c) => c.principalId === principalId);
  const eventsOf = async (principalId: string) => (await events.history(SystemStreams.principal(principalId))).map((e) => e.event as EventEnvelope);
  const token = (clientId: string, clientSecret: string) => rawRequest(nc, 'coffer.v1.auth.token', { clientId, clientSecret });

  /** A principal whose secret credential was stored before keyed hashes (a CredentialAdded with a scrypt hash, appended as the vault did). */
  async function legacyPrincipal(name: string): Promise<{ clientId: string; clientSecret: string; credentialId: string; oldHash: string }> {
    const { id } = await rawRequest(nc, P('create'), { name, type: 'servicePrincipal' }, admin);
    const clientSecret = generateClientSecret();
    const oldHash = await legacyScryptHash(clientSecret);
    const credentialId = `c-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const subject = SystemStreams.principal(id);
    const last = await events.lastSequence(subject);
    await events.append(subject, {
      type: 'CredentialAdded', version: 1,
      data: { principalId: id, credential: { id: credentialId, kind: 'secret', hash: oldHash, hint: clientSecret.slice(0, 3), created: new Date().toISOString() } },
    }, { expectedSequence: last, msgId: randomUUID(), metadata: { requestId: randomUUID(), occurredAt: new Date().toISOString(), expectedSequence: last } });
    for (let i = 0; (await credentialRows(id)).length === 0; i++) {
      if (i > 300) throw new Error('the old credential never reached the read model');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { clientId: id, clientSecret, credentialId, oldHash };
  }

  beforeAll(async () => {
    stack = await startCofferStack({ env: { COFFER_CREDENTIAL_PROOF_TTL_MS: '0' } });
    nc = await connectTo(stack.clientUrl);
    adminNc = await connectTo(stack.adminUrl);
    events = await EventStore.open(adminNc, Streams.events.name);
    admin = await tokenFor(nc, adminCredentials(stack.home));
  });
  afterAll(async () => {
    await nc?.close();
    await adminNc?.close();
    await stack?.stop();
  });

  it('stores a new secret as a keyed hash: the right secret gets tokens, a wrong one is refused, nothing is rehashed', async () => {
    const { id } = await rawRequest(nc, P('create'), { name: 'keyed', type: 'servicePrincipal' }, admin);
    const { clientSecret } = await rawRequest(nc, P('credential.add'), { id, kind: 'secret' }, admin);
    const [row] = await credentialRows(id);
    expect(row.hash).toMatch(KEYED);
    // The bootstrap administrator's credential is keyed too.
    expect((await credentialRows(adminCredentials(stack.home).clientId))[0].hash).toMatch(KEYED);
    for (let i = 0; i < 3; i++) expect((await token(id, clientSecret)).accessToken).toEqual(expect.any(String));
    const wrong = await token(id, `${clientSecret.slice(0, -1)}${clientSecret.endsWith('A') ? 'B' : 'A'}`);
    expect(wrong.error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'InvalidCredential' } });
    // Another principal's secret does not open this one (the client id is part of the hashed input).
    const adminSecret = adminCredentials(stack.home).clientSecret;
    expect((await token(id, adminSecret)).error).toMatchObject({ code: 'Unauthorized' });
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(['PrincipalCreated', 'CredentialAdded']);
  });

  it('migrates an old scrypt credential on its first successful use, exactly once (concurrent first sign-ins included), and a rebuild keeps it', async () => {
    const old = await legacyPrincipal('legacy');
    // A wrong secret neither gets a token nor migrates anything.
    expect((await token(old.clientId, generateClientSecret())).error).toMatchObject({ code: 'Unauthorized' });
    expect((await credentialRows(old.clientId))[0].hash).toBe(old.oldHash);

    const replies = await Promise.all(Array.from({ length: 6 }, () => token(old.clientId, old.clientSecret)));
    for (const reply of replies) expect(reply.accessToken).toEqual(expect.any(String));
    const rehashed = (await eventsOf(old.clientId)).filter((e) => e.type === 'CredentialRehashed');
    expect(rehashed).toHaveLength(1);
    const data = rehashed[0].data as { principalId: string; credentialId: string; hash: string };
    expect(data).toMatchObject({ principalId: old.clientId, credentialId: old.credentialId, hash: expect.stringMatching(KEYED) });
    const [row] = await credentialRows(old.clientId);
    expect(row.hash).toBe(data.hash);

    // From now on the keyed hash is what is checked: more sign-ins, no more events.
    for (let i = 0; i < 3; i++) expect((await token(old.clientId, old.clientSecret)).accessToken).toEqual(expect.any(String));
    expect((await token(old.clientId, generateClientSecret())).error).toMatchObject({ code: 'Unauthorized' });
    expect((await eventsOf(old.clientId)).filter((e) => e.type === 'CredentialRehashed')).toHaveLength(1);

    // A rebuild from sequence 0 gives the same read model: the keyed hash, not the old one.
    const rebuiltUrl = `sqlite:${join(stack.home, `rebuilt-${randomUUID()}.sqlite`)}`;
    await rebuildReadModel({ natsUrl: stack.nats.userUrl('coffer-projector'), dbUrl: rebuiltUrl });
    const rebuilt = await dumpReadModel(rebuiltUrl);
    expect(rebuilt).toEqual(await dumpReadModel(stack.dbUrl));
    expect((rebuilt.principal_credentials as CredentialRow[]).find((c) => c.id === old.credentialId)?.hash).toBe(data.hash);
  });

  it('keeps every secret out of logs, audit records and files; hashes stay out of logs and audit', async () => {
    const { id } = await rawRequest(nc, P('create'), { name: 'leaks', type: 'servicePrincipal' }, admin);
    const { clientSecret } = await rawRequest(nc, P('credential.add'), { id, kind: 'secret' }, admin);
    const old = await legacyPrincipal('leaks-legacy');
    expect((await token(id, clientSecret)).accessToken).toBeDefined();
    expect((await token(old.clientId, old.clientSecret)).accessToken).toBeDefined();
    expect((await token(id, generateClientSecret())).error).toBeDefined();
    const hashes = [...(await credentialRows(id)), ...(await credentialRows(old.clientId))].map((c) => c.hash as string).concat(old.oldHash);
    // The audit trail has the token requests, never a secret or a hash.
    let trail = '';
    for (let i = 0; !trail.includes(old.clientId) || !trail.includes(id); i++) {
      if (i > 300) throw new Error('the token requests never reached the audit trail');
      trail = JSON.stringify(await rawRequest(nc, 'coffer.v1.audit.query', { action: 'Coffer/auth/token' }, admin));
      await new Promise((r) => setTimeout(r, 100));
    }
    const logs = ['vault', 'crypto-worker', 'projector', 'audit', 'scheduler'].map((app) => stack.logs(app as never)).join('\n');
    for (const needle of [clientSecret, old.clientSecret, ...hashes]) {
      expect(trail).not.toContain(needle);
      expect(logs).not.toContain(needle);
    }
    for (const secret of [clientSecret, old.clientSecret]) expect(filesContaining(stack.home, secret)).toEqual([]);
  });
});

