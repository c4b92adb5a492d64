import { TokenReply } from '@coffer/contracts';
import { AuditClient } from './audit-client';
import { accessTokenOf, AuthClient } from './auth-client';
import { createKeyPair, signNonce } from './credentials';
import { PrincipalsClient } from './principals-client';
import { RequestFlags, Requester } from './request';
import { RoleAssignmentsClient, RolesClient } from './roles-client';

const ID = 'p-0123456789abcdef';

/** A Requester that records what would be sent and answers with `answer(subject)`. */
const lastVerifyPage = { ok: true, checkedRecords: 0, checkpoints: 0, problems: [] };
function recordingRequester(answer: (subject: string, body: Record<string, unknown>) => unknown = (s) => (s.endsWith('audit.verify') ? lastVerifyPage : { value: [] })) {
  const sent: { subject: string; body: Record<string, unknown>; flags?: RequestFlags }[] = [];
  const requester = {
    request: async (subject: string, body: object, _options: unknown, flags?: RequestFlags) => {
      const copy = JSON.parse(JSON.stringify(body));
      sent.push({ subject, body: copy, flags });
      return answer(subject, copy);
    },
  } as unknown as Requester;
  return { requester, sent };
}

describe('wire bodies of the identity, access and audit clients', () => {
  it.each([
    ['principal create', (r: Requester) => new PrincipalsClient(r).create('ci-bot', 'servicePrincipal'), 'principals.create', { name: 'ci-bot', type: 'servicePrincipal' }],
    ['principal listPage', (r: Requester) => new PrincipalsClient(r).listPage({ maxResults: 5, continuationToken: 't' }), 'principals.list', { maxResults: 5, continuationToken: 't' }],
    ['principal show', (r: Requester) => new PrincipalsClient(r).show(ID), 'principals.show', { id: ID }],
    ['principal disable', (r: Requester) => new PrincipalsClient(r).disable(ID), 'principals.disable', { id: ID }],
    ['principal enable', (r: Requester) => new PrincipalsClient(r).enable(ID), 'principals.enable', { id: ID }],
    ['add secret', (r: Requester) => new PrincipalsClient(r).addCredential(ID, { kind: 'secret', expires: '2031-01-01' }), 'principals.credential.add', { id: ID, kind: 'secret', expires: '2031-01-01T00:00:00.000Z' }],
    ['add key', (r: Requester) => new PrincipalsClient(r).addCredential(ID, { kind: 'ed25519', publicKey: 'UABC' }), 'principals.credential.add', { id: ID, kind: 'ed25519', publicKey: 'UABC' }],
    ['remove credential', (r: Requester) => new PrincipalsClient(r).removeCredential(ID, 'c-0123456789abcdef'), 'principals.credential.remove', { id: ID, credentialId: 'c-0123456789abcdef' }],
    ['roles list', (r: Requester) => new RolesClient(r).list(), 'roles.list', {}],
    ['assignment create', (r: Requester) => new RoleAssignmentsClient(r).create({ principalId: ID, role: 'Key Vault Secrets User', scope: '/vaults/prod' }), 'roleassignments.create', { principalId: ID, role: 'Key Vault Secrets User', scope: '/vaults/prod' }],
    ['assignment listPage', (r: Requester) => new RoleAssignmentsClient(r).listPage({ principalId: ID, maxResults: 3 }), 'roleassignments.list', { principalId: ID, maxResults: 3 }],
    ['assignment delete', (r: Requester) => new RoleAssignmentsClient(r).delete('ra-0123456789abcdef'), 'roleassignments.delete', { id: 'ra-0123456789abcdef' }],
    ['audit queryPage', (r: Requester) => new AuditClient(r).queryPage({ principal: ID, outcome: 'denied', since: new Date(Date.UTC(2030, 0, 1)), maxResults: 10 }), 'audit.query', { principal: ID, outcome: 'denied', since: '2030-01-01T00:00:00.000Z', maxResults: 10 }],
    ['audit verify', (r: Requester) => new AuditClient(r).verify({ fromSequence: 7 }), 'audit.verify', { fromSequence: 7 }],
    ['audit usage', (r: Requester) => new AuditClient(r).usage('/vaults/prod/secrets/db'), 'audit.usage', { objectId: '/vaults/prod/secrets/db' }],
    ['whoami', (r: Requester) => new AuthClient(r).whoami(), 'auth.whoami', {}],
  ])('%s', async (_name, call, op, body) => {
    const { requester, sent } = recordingRequester();
    await call(requester);
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toBe(`coffer.v1.${op}`);
    expect(sent[0].body).toEqual(body);
    expect(sent[0].flags?.anonymous).toBeFalsy();
  });

  it('audit verify drives pages to the end, each from the previous nextSequence up to the first upTo, and sums them', async () => {
    const reply = (from: number, next?: number) => ({ ok: true, checkedRecords: 10, checkpoints: 1, problems: [], upTo: 30, lastSequence: (next ?? 31) - 1, ...(next && { nextSequence: next }) });
    const { requester, sent } = recordingRequester((_s, body) => reply(body.fromSequence as number, { 1: 11, 11: 21 }[body.fromSequence as number]));
    const progress: number[] = [];
    const total = await new AuditClient(requester).verify({ fromSequence: 1, pageRecords: 10, onProgress: (p) => progress.push(p.lastSequence!) });
    expect(sent.map((s) => s.body)).toEqual([{ fromSequence: 1, maxRecords: 10 }, { fromSequence: 11, upTo: 30, maxRecords: 10 }, { fromSequence: 21, upTo: 30, maxRecords: 10 }]);
    expect(progress).toEqual([10, 20, 30]);
    expect(total).toMatchObject({ ok: true, checkedRecords: 30, checkpoints: 3, upTo: 30, lastSequence: 30 });
  });

  it('roles.list unwraps the value array', async () => {
    const { requester } = recordingRequester(() => ({ value: [{ name: 'Key Vault Reader', description: 'd', dataActions: [] }] }));
    await expect(new RolesClient(requester).list()).resolves.toEqual([{ name: 'Key Vault Reader', description: 'd', dataActions: [] }]);
  });

  it('audit query and role assignment list follow continuation tokens, keeping the filter', async () => {
    const pages = (subject: string, body: Record<string, unknown>) =>
      body.continuationToken ? { value: [{ n: 2 }] } : { value: [{ n: 1 }], continuationToken: `${subject}-next` };
    const { requester, sent } = recordingRequester(pages);
    const records: unknown[] = [];
    for await (const r of new AuditClient(requester).query({ objectId: '/vaults/prod', pageSize: 1 })) records.push(r);
    for await (const r of new RoleAssignmentsClient(requester).list({ scope: '/', pageSize: 2 })) records.push(r);
    expect(records).toHaveLength(4);
    expect(sent.map((s) => s.body)).toEqual([
      { objectId: '/vaults/prod', maxResults: 1 },
      { objectId: '/vaults/prod', maxResults: 1, continuationToken: 'coffer.v1.audit.query-next' },
      { scope: '/', maxResults: 2 },
      { scope: '/', maxResults: 2, continuationToken: 'coffer.v1.roleassignments.list-next' },
    ]);
  });

  it('audit query refuses a bad time before sending anything', () => {
    const { requester, sent } = recordingRequester();
    expect(() => new AuditClient(requester).query({ since: 'yesterday' })).toThrow(expect.objectContaining({ code: 'BadParameter' }));
    expect(sent).toHaveLength(0);
  });
});

describe('AuthClient.requestToken', () => {
  const tokenReply: TokenReply = { accessToken: 'jwt', tokenType: 'Bearer', expiresIn: 900, expiresOn: '2030-01-01T00:15:00Z' };

  it('sends a client secret to auth.token, anonymously', async () => {
    const { requester, sent } = recordingRequester(() => tokenReply);
    await expect(new AuthClient(requester).requestToken({ clientId: ID, clientSecret: 'x'.repeat(20) })).resolves.toEqual(tokenReply);
    expect(sent).toEqual([{ subject: 'coffer.v1.auth.token', body: { clientId: ID, clientSecret: 'x'.repeat(20) }, flags: { anonymous: true } }]);
  });

  it('with a key: asks for a challenge, then sends the nonce and its signature, never the seed', async () => {
    const { seed } = createKeyPair();
    const { requester, sent } = recordingRequester((subject) => (subject.endsWith('challenge') ? { nonce: 'n-123', expiresOn: 'x' } : tokenReply));
    await new AuthClient(requester).requestToken({ clientId: ID, seed });
    expect(sent.map((s) => [s.subject, s.flags])).toEqual([
      ['coffer.v1.auth.challenge', { anonymous: true }],
      ['coffer.v1.auth.token', { anonymous: true }],
    ]);
    expect(sent[0].body).toEqual({ clientId: ID });
    expect(sent[1].body).toEqual({ clientId: ID, nonce: 'n-123', signature: signNonce(seed, 'n-123') });
    expect(JSON.stringify(sent)).not.toContain(seed);
  });

  it('reports a token reply without a token as MalformedReply', async () => {
    const { requester } = recordingRequester(() => ({ tokenType: 'Bearer' }));
    await expect(new AuthClient(requester).requestToken({ clientId: ID, clientSecret: 'x'.repeat(20) })).rejects.toMatchObject({
      code: 'InternalError', innerCode: 'MalformedReply',
    });
  });

  it('accessTokenOf counts expiresIn from when the request was sent, falling back to expiresOn', () => {
    expect(accessTokenOf({ ...tokenReply, expiresIn: 900 }, 1_000)).toEqual({ token: 'jwt', obtainedMs: 1_000, expiresOnMs: 901_000 });
    expect(accessTokenOf({ ...tokenReply, expiresIn: undefined as unknown as number }, 1_000).expiresOnMs).toBe(Date.parse('2030-01-01T00:15:00Z'));
  });
});
