import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { CofferConfig, loadConfig, natsConnectOptions, usePrivateUmask } from '@coffer/config';
import { AuditVerifyReply, verifyAllPages } from '@coffer/contracts';
import { createCofferMicroservice, runCofferMicroservice } from '@coffer/transport';
import { connect } from 'nats';
import { AuditAppOverrides, AuditModule } from './audit.module';
import { AuditSigner, NatsAuditSigner } from './audit-signer';
import { openAuditDataSource } from './db/audit-data-source';
import { AuditStore } from './db/audit-store';
import { verifyStoredTrail } from './verify/audit-verifier';

/**
 * Builds the audit app without listening (tests run it in-process): `listen()` starts the chain
 * consumer and the internal audit subjects; `close()` stops both.
 */
export function createAuditApp(config: CofferConfig, overrides: AuditAppOverrides = {}): Promise<INestMicroservice> {
  return createCofferMicroservice(AuditModule.forRoot(config, overrides), config, 'coffer-audit');
}

/**
 * Verification without the running app (`node dist/apps/audit/src/main.js verify`): every stream
 * record not in the chain counts, so a record published while the app was stopped is reported.
 */
export async function verifyOffline(
  config: CofferConfig,
  opts: { fromSequence?: number; fromCheckpoint?: string; signer?: AuditSigner; onProgress?: (page: AuditVerifyReply) => void } = {},
): Promise<AuditVerifyReply> {
  const nc = await connect({ ...natsConnectOptions(config, 'coffer-audit-verify'), maxReconnectAttempts: 0 });
  const ds = await openAuditDataSource(config.audit.dbUrl, { migrate: false });
  try {
    const deps = { nc, jsm: await nc.jetstreamManager(), store: new AuditStore(ds), signer: opts.signer ?? new NatsAuditSigner(nc, undefined, config.cryptoTimeoutMs) };
    return await verifyAllPages((page) => verifyStoredTrail(deps, page), { fromSequence: opts.fromSequence, fromCheckpoint: opts.fromCheckpoint }, opts.onProgress);
  } finally {
    await ds.destroy().catch(() => undefined);
    await nc.close().catch(() => undefined);
  }
}

if (require.main === module) {
  usePrivateUmask();
  if (process.argv[2] === 'verify') {
    const arg = process.argv[3];
    const start = arg === undefined ? {} : /^checkpoint:/.test(arg) ? { fromCheckpoint: arg.slice('checkpoint:'.length) } : { fromSequence: Number(arg) };
    const progress = (p: AuditVerifyReply) => process.stderr.write(`verified up to sequence ${p.lastSequence} of ${p.upTo}\n`);
    verifyOffline(loadConfig(), { ...start, onProgress: progress }).then(
      (reply) => {
        process.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
        process.exit(reply.ok ? 0 : 2);
      },
      (err) => {
        process.stderr.write(`coffer-audit verify: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  } else {
    void runCofferMicroservice('audit', (config) => createAuditApp(config));
  }
}
