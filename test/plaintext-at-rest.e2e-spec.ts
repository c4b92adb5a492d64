import { CofferClient } from '@coffer/client';
import { headers } from 'nats';
import { CofferStack, connectTo, filesContaining, startCofferStack } from '@coffer/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { adminCredentials, rawRequest, tokenFor } from './auth-helpers';

/**
 * Invariant 1 over real processes at debug log level: a planted secret value passes through every
 * path (set, get, versions, backup, restore, errors) and then appears in no file the system wrote —
 * JetStream store, read model, HSM token, logs — raw or base64-encoded.
 */
const bearerHeaders = (token: string) => {
  const h = headers();
  h.set('Authorization', `Bearer ${token}`);
  return h;
};

describe('no plaintext at rest or in logs', () => {
  let stack: CofferStack;
  const marker = `PLANTED-${randomBytes(10).toString('hex')}`;

  beforeAll(async () => {
    stack = await startCofferStack({ env: { COFFER_LOG_LEVEL: 'debug' } });
  }, 60_000);
  afterAll(async () => stack?.stop());

  it('never writes the value anywhere', async () => {
    const admin = adminCredentials(stack.home);
    const client = await CofferClient.connect({ url: stack.natsUrl, credentials: admin });
    const secrets = client.secrets('planted');
    await client.vaults.create('planted');
    const v1 = await secrets.set('db', marker);
    await secrets.set('db', `${marker}-two`, { contentType: 'text/plain' });
    expect((await secrets.get('db', v1.version)).value).toBe(marker);
    const blob = await secrets.backup('db');
    await secrets.delete('db');
    await secrets.purge('db');
    await secrets.restore(blob);
    expect((await secrets.get('db')).value).toBe(`${marker}-two`);
    // Failing requests that carry the value must not echo or log it either.
    await expect(secrets.set('db', marker.repeat(2000))).rejects.toMatchObject({ code: 'BadParameter' });
    await expect(secrets.set('bad name', marker)).rejects.toBeDefined();
    const raw = await connectTo(stack.natsUrl);
    const token = await tokenFor(raw, admin);
    const reply = await raw.request('coffer.v1.vault.planted.secret.set', Buffer.from(`{"name":"db","value":"${marker}",`), {
      timeout: 5000, headers: bearerHeaders(token),
    });
    // Credentials and tokens: a new client secret, a token, a failed exchange and a forged token leave no trace either.
    const bot = await rawRequest(raw, 'coffer.v1.principals.create', { name: 'marker-bot', type: 'servicePrincipal' }, token);
    const created = await rawRequest(raw, 'coffer.v1.principals.credential.add', { id: bot.id, kind: 'secret' }, token);
    const botToken = await tokenFor(raw, { clientId: bot.id, clientSecret: created.clientSecret });
    await rawRequest(raw, 'coffer.v1.auth.token', { clientId: bot.id, clientSecret: `${marker}-guess` });
    expect((await rawRequest(raw, 'coffer.v1.vaults.list', {}, `${botToken}x`)).error.code).toBe('Unauthorized');
    expect(Buffer.from(reply.data).toString()).not.toContain(marker);
    await raw.close();
    await client.close();
    await new Promise((r) => setTimeout(r, 500)); // let loggers flush

    expect(stack.logs('vault').length).toBeGreaterThan(0);
    expect(filesContaining(stack.home, marker)).toEqual([]);
    for (const secret of [created.clientSecret as string, botToken, token]) expect(filesContaining(stack.home, secret)).toEqual([]);
    // The administrator's secret is in its own 0600 file and nowhere else.
    expect(filesContaining(stack.home, admin.clientSecret)).toEqual([join(stack.home, 'admin.credentials')]);
    expect(filesContaining(stack.token.dir, marker)).toEqual([]);
  }, 60_000);
});
