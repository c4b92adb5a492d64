import { loadConfig, natsConnectOptions } from '@coffer/config';
import { connect } from 'nats';
import { startPostgresRotationHook } from './postgres-rotation-hook';

/**
 * npm run nats-user -- add pg-hook --hooks apps      (a NATS user that may serve coffer.hooks.apps.>)
 * COFFER_NATS_URL=$(cat .coffer/nats/clients/pg-hook.url) HOOK_SUBJECT=coffer.hooks.apps.postgres \
 *   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres PG_ROLE=app node dist/examples/postgres-rotation-hook/main.js
 * The secret's tag `coffer-rotation-hook` must name a subject in coffer.hooks.<its vault>.… (the vault
 * refuses anything else with BadParameter/InvalidHookSubject).
 */
async function main(): Promise<void> {
  const nc = await connect(natsConnectOptions(loadConfig(), 'coffer-example-pg-hook'));
  const subject = process.env.HOOK_SUBJECT ?? 'coffer.hooks.apps.postgres';
  startPostgresRotationHook(nc, { subject, adminUrl: process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', role: process.env.PG_ROLE ?? 'app' });
  console.log(`rotation hook listening on ${subject}`);
}

void main();
