import { INestMicroservice } from '@nestjs/common';
import { CofferConfig, loadConfig } from '@coffer/config';
import {
  connectTo, createThrowawayToken, NatsApp, NatsEndpoint, provisionCofferStreams, untilAnswering, setHostEnv, startNatsServer, SpawnedNats, ThrowawayToken,
} from '@coffer/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCryptoWorker } from '../apps/crypto-worker/src/main';
import { Subjects } from '@coffer/contracts';
import { createAuditApp } from '../apps/audit/src/main';
import { ProjectorOptions } from '../apps/projector/src/projector-options';
import { RunningProjector, startProjector } from '../apps/projector/src/start-projector';
import { createVault } from '../apps/vault/src/main';

export interface InProcessStack {
  /** The vault's configuration (each app runs with its own NATS user: see configs). */
  config: CofferConfig;
  configs: Record<'vault' | 'crypto-worker' | 'projector' | 'audit', CofferConfig>;
  /** The configuration an app would get (its own NATS users), e.g. for a scheduler the test starts. */
  configFor(app: NatsApp): CofferConfig;
  /** NATS with authentication on: `nats.url`/`nats.clientUrl` connect as coffer-client, `nats.adminUrl` (tests only) with full access. */
  nats: SpawnedNats;
  token: ThrowawayToken;
  home: string;
  stop(): Promise<void>;
}

/**
 * The whole of Coffer in this process (real nats-server, real SoftHSM token, real database):
 * fast to start, for end-to-end tests that do not need to kill processes.
 */
export async function startInProcessStack(
  opts: {
    dbUrl?: string;
    env?: Record<string, string>;
    /** Rotation-hook NATS users, name → vault (nats.extraClientUrls). */
    hookUsers?: Record<string, string>;
    /** Run on this NATS (e.g. a cluster from startNatsCluster with `auth`) instead of a server of its own; stop() stops it too. */
    nats?: NatsEndpoint;
    /** How the projector runs (e.g. its database connection's options). */
    projector?: ProjectorOptions;
  } = {},
): Promise<InProcessStack> {
  const home = mkdtempSync(join(tmpdir(), 'coffer-e2e-'));
  // A given endpoint (a cluster) has only NatsEndpoint's members: tests that pass one use only those.
  const nats = (opts.nats as SpawnedNats | undefined) ?? await startNatsServer({ storeDir: join(home, 'nats'), auth: true, hookUsers: opts.hookUsers });
  const token = createThrowawayToken();
  const restoreEnv = setHostEnv('SOFTHSM2_CONF', token.conf);
  // One process, but each app with its own NATS user(s), as start.sh runs them.
  const configOf = (app: NatsApp) => loadConfig({
    COFFER_HOME: home,
    ...nats.appEnv(app),
    COFFER_DB_URL: opts.dbUrl ?? `sqlite:${join(home, 'readmodel.sqlite')}`,
    COFFER_LOG_LEVEL: 'warn',
    ...token.env,
    ...opts.env,
  });
  const configs = { vault: configOf('vault'), 'crypto-worker': configOf('crypto-worker'), projector: configOf('projector'), audit: configOf('audit') };
  const config = configs.vault;
  await provisionCofferStreams(nats, config);
  const crypto = await createCryptoWorker(configs['crypto-worker']);
  await crypto.listen();
  const projector: RunningProjector = await startProjector(configs.projector, opts.projector);
  const audit = await createAuditApp(configs.audit);
  await audit.listen();
  const vault: INestMicroservice = await createVault(config);
  await vault.listen();
  const probe = await connectTo(nats.url);
  await untilAnswering(probe, Subjects.status).finally(() => probe.close());
  return {
    config, configs, configFor: configOf, nats, token, home,
    async stop() {
      await vault.close();
      await audit.close();
      await projector.stop();
      await crypto.close();
      await nats.stop();
      token.remove();
      restoreEnv();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

