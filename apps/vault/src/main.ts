import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { CofferConfig, usePrivateUmask } from '@coffer/config';
import { createCofferMicroservice, runCofferMicroservice } from '@coffer/transport';
import { Clock } from './infrastructure/clock';
import { VaultModule } from './vault.module';

/** Builds the vault service without listening, so tests can run it in-process with their config. */
export function createVault(config: CofferConfig, clock?: Clock): Promise<INestMicroservice> {
  return createCofferMicroservice(VaultModule.forRoot(config, clock), config, 'coffer-vault');
}

if (require.main === module) {
  usePrivateUmask();
  void runCofferMicroservice('vault', (config) => createVault(config));
}
