import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { headers, NatsConnection } from 'nats';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The bootstrap administrator's credentials, written by the vault on first start. */
export const adminCredentials = (home: string): ClientCredentials =>
  JSON.parse(readFileSync(join(home, 'admin.credentials'), 'utf8')) as ClientCredentials;

/** A raw JSON request over NATS, optionally with a bearer token (what any NATS client can do). */
export async function rawRequest(nc: NatsConnection, subject: string, body: unknown, token?: string, requestId?: string): Promise<any> {
  const h = headers();
  if (token) h.set('Authorization', `Bearer ${token}`);
  if (requestId) h.set('Coffer-Request-Id', requestId);
  const m = await nc.request(subject, Buffer.from(JSON.stringify(body)), { timeout: 10_000, headers: h });
  return JSON.parse(Buffer.from(m.data).toString('utf8'));
}

export async function tokenFor(nc: NatsConnection, creds: ClientCredentials): Promise<string> {
  const reply = await rawRequest(nc, 'coffer.v1.auth.token', creds);
  if (!reply.accessToken) throw new Error(`no token: ${JSON.stringify(reply.error)}`);
  return reply.accessToken as string;
}
