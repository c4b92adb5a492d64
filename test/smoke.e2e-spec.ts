import { connectTo } from '@coffer/testing';
import { headers, NatsConnection } from 'nats';
import { adminCredentials, tokenFor } from './auth-helpers';
import { startInProcessStack, InProcessStack } from './in-process-stack';

describe('smoke', () => {
  let stack: InProcessStack;
  let nc: NatsConnection;
  let token: string;
  const req = async (subject: string, body: unknown, id?: string) => {
    const h = headers();
    if (id) h.set('Coffer-Request-Id', id);
    h.set('Authorization', `Bearer ${token}`);
    const m = await nc.request(subject, Buffer.from(JSON.stringify(body)), { timeout: 10000, headers: h });
    return JSON.parse(Buffer.from(m.data).toString());
  };
  beforeAll(async () => {
    stack = await startInProcessStack();
    nc = await connectTo(stack.nats.url);
    token = await tokenFor(nc, adminCredentials(stack.home));
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
  });
  it('creates a vault, sets and gets a secret', async () => {
    console.log(JSON.stringify(await req('coffer.v1.status', {})));
    console.log(JSON.stringify(await req('coffer.v1.vault.demo.create', {})));
    const set = await req('coffer.v1.vault.demo.secret.set', { name: 'db', value: 'hunter2' });
    console.log(JSON.stringify(set));
    const got = await req('coffer.v1.vault.demo.secret.get', { name: 'db' });
    expect(got.value).toBe('hunter2');
  });
});
