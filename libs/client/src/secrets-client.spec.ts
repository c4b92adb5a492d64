import { Requester } from './request';
import { SecretsClient } from './secrets-client';
import { VaultsClient } from './vaults-client';

/** A Requester that records what would be sent and answers with `reply`. */
function recordingRequester(reply: unknown = {}) {
  const sent: { subject: string; body: unknown; options: unknown }[] = [];
  const requester = {
    request: async (subject: string, body: object, options: unknown) => {
      sent.push({ subject, body: JSON.parse(JSON.stringify(body)), options });
      return reply;
    },
  } as unknown as Requester;
  return { requester, sent };
}

describe('SecretsClient wire bodies', () => {
  it('set sends name, value, content type, tags, attributes (nbf/exp as ISO) and ifMatch as a string', async () => {
    const { requester, sent } = recordingRequester();
    await new SecretsClient(requester, 'vault-1').set('db-pass', 's3cret', {
      contentType: 'text/plain', tags: { env: 'prod' }, enabled: false,
      notBefore: new Date(Date.UTC(2030, 0, 1)), expiresOn: '2031-01-01', ifMatch: 7, timeoutMs: 500,
    });
    expect(sent[0]).toEqual({
      subject: 'coffer.v1.vault.vault-1.secret.set',
      body: {
        name: 'db-pass', value: 's3cret', contentType: 'text/plain', tags: { env: 'prod' },
        attributes: { enabled: false, nbf: '2030-01-01T00:00:00.000Z', exp: '2031-01-01T00:00:00.000Z' }, ifMatch: '7',
      },
      options: { timeoutMs: 500, requestId: undefined, retries: undefined },
    });
  });

  it('omits attributes when none are given', async () => {
    const { requester, sent } = recordingRequester();
    await new SecretsClient(requester, 'vault-1').set('a', 'v');
    expect(sent[0].body).toEqual({ name: 'a', value: 'v' });
  });

  it('updateProperties sends the version and the patch, never a value', async () => {
    const { requester, sent } = recordingRequester();
    await new SecretsClient(requester, 'vault-1').updateProperties('a', 'f'.repeat(32), { enabled: true, tags: {} });
    expect(sent[0]).toMatchObject({
      subject: 'coffer.v1.vault.vault-1.secret.update',
      body: { name: 'a', version: 'f'.repeat(32), attributes: { enabled: true }, tags: {} },
    });
  });

  it.each([
    ['get', (s: SecretsClient) => s.get('a'), 'get', { name: 'a' }],
    ['listPage', (s: SecretsClient) => s.listPage({ maxResults: 5, continuationToken: 't' }), 'list', { maxResults: 5, continuationToken: 't' }],
    ['listVersionsPage', (s: SecretsClient) => s.listVersionsPage('a', { maxResults: 2 }), 'versions', { name: 'a', maxResults: 2 }],
    ['delete', (s: SecretsClient) => s.delete('a'), 'delete', { name: 'a' }],
    ['listDeletedPage', (s: SecretsClient) => s.listDeletedPage(), 'deleted.list', {}],
    ['getDeleted', (s: SecretsClient) => s.getDeleted('a'), 'deleted.get', { name: 'a' }],
    ['recover', (s: SecretsClient) => s.recover('a'), 'recover', { name: 'a' }],
    ['purge', (s: SecretsClient) => s.purge('a'), 'purge', { name: 'a' }],
    ['restore', (s: SecretsClient) => s.restore('blob'), 'restore', { value: 'blob' }],
  ])('%s sends the documented body', async (_name, call, op, body) => {
    const { requester, sent } = recordingRequester({ value: [] });
    await call(new SecretsClient(requester, 'vault-1'));
    expect(sent[0]).toMatchObject({ subject: `coffer.v1.vault.vault-1.secret.${op}`, body });
    expect(sent[0].body).toEqual(body);
  });

  it('backup returns the blob itself', async () => {
    const { requester } = recordingRequester({ value: 'BLOB' });
    await expect(new SecretsClient(requester, 'vault-1').backup('a')).resolves.toBe('BLOB');
  });

  it('refuses a vault name that would change the subject', () => {
    const { requester } = recordingRequester();
    for (const bad of ['a.b.c', 'vault.*', 'vault>', 'v']) {
      expect(() => new SecretsClient(requester, bad)).toThrow(expect.objectContaining({ code: 'BadParameter' }));
    }
  });
});

describe('VaultsClient', () => {
  it('sends settings on create/update and an empty body on show', async () => {
    const { requester, sent } = recordingRequester();
    const vaults = new VaultsClient(requester);
    await vaults.create('vault-1', { retentionDays: 30, purgeProtection: true });
    await vaults.update('vault-1', { retentionDays: 60 });
    await vaults.show('vault-1');
    expect(sent.map((s) => [s.subject, s.body])).toEqual([
      ['coffer.v1.vault.vault-1.create', { retentionDays: 30, purgeProtection: true }],
      ['coffer.v1.vault.vault-1.update', { retentionDays: 60 }],
      ['coffer.v1.vault.vault-1.show', {}],
    ]);
  });

  it('list iterates every page with the page size', async () => {
    const pages: Record<string, unknown> = { first: { value: [{ name: 'a' }], continuationToken: 'next' }, next: { value: [{ name: 'b' }] } };
    const sent: unknown[] = [];
    const requester = {
      request: async (_subject: string, body: { continuationToken?: string }) => {
        sent.push(JSON.parse(JSON.stringify(body)));
        return pages[body.continuationToken ?? 'first'];
      },
    } as unknown as Requester;
    const names: string[] = [];
    for await (const v of new VaultsClient(requester).list({ pageSize: 1 })) names.push(v.name);
    expect(names).toEqual(['a', 'b']);
    expect(sent).toEqual([{ maxResults: 1 }, { maxResults: 1, continuationToken: 'next' }]);
  });
});
