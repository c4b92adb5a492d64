import './thread-pool';
import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { CofferConfig, usePrivateUmask } from '@coffer/config';
import { createCofferMicroservice, runCofferMicroservice } from '@coffer/transport';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoWorkerModule } from './crypto-worker.module';

/**
 * Builds the crypto-worker (HSM opened, backup KEK and signing keys ensured) without starting to listen, so tests
 * can run it in-process with their own config.
 */
export function createCryptoWorker(config: CofferConfig): Promise<INestMicroservice> {
  // Its requests carry a public request's values (already within the limit) in a small envelope.
  return createCofferMicroservice(CryptoWorkerModule.forRoot(config), config, 'coffer-crypto-worker', { extraRequestBytes: 64 * 1024 });
}

/**
 * The embedded mode keeps SoftHSM's config at <home>/hsm/softhsm2.conf (infra/scripts/init-token.sh).
 * SoftHSM reads SOFTHSM2_CONF when the module initialises, so point it there unless told otherwise.
 */
export function defaultSoftHsmConf(config: CofferConfig, env: NodeJS.ProcessEnv): string | undefined {
  if (env.SOFTHSM2_CONF) return undefined;
  const conf = join(config.home, 'hsm', 'softhsm2.conf');
  return existsSync(conf) ? conf : undefined;
}

if (require.main === module) {
  usePrivateUmask();
  void runCofferMicroservice('crypto-worker', (config) => {
    const conf = defaultSoftHsmConf(config, process.env);
    if (conf) process.env.SOFTHSM2_CONF = conf;
    return createCryptoWorker(config);
  });
}
