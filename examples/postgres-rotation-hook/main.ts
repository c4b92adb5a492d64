import { loadConfig, natsConnectOptions } from '@coffer/config';
import { connect } from 'nats';
import { startPostgresRotationHook } from './postgres-rotation-hook';

/**
 * PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres PG_ROLE=app node dist/examples/postgres-rotation-hook/main.js
 * (connects to NATS as the apps do: COFFER_NATS_URL / COFFER_NATS_USER / COFFER_NATS_PASSWORD_FILE; the
 * user must be allowed to subscribe to the hook subject).
 */
async function main(): Promise<void> {
  const nc = await connect(natsConnectOptions(loadConfig(), 'coffer-example-pg-hook'));
  const subject = process.env.HOOK_SUBJECT ?? 'coffer.hooks.postgres.app';
  startPostgresRotationHook(nc, { subject, adminUrl: process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', role: process.env.PG_ROLE ?? 'app' });
  console.log(`rotation hook listening on ${subject}`);
}

void main();
