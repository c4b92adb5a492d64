import { CommandRunner } from '../commands/command-runner';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { DataKeysService } from '../crypto/data-keys.service';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { VaultFeature } from '../vault-feature';
import { infrastructureProviders, InfrastructureShutdown } from './infrastructure.providers';
import { VaultReadiness } from './vault-readiness';

/** What every feature stands on: NATS, the event log, the read model, the crypto-worker clients, the command runner. */
export const INFRASTRUCTURE_FEATURE: VaultFeature = {
  controllers: [],
  providers: [...infrastructureProviders, InfrastructureShutdown, VaultReadiness, CryptoWorkerClient, KeyCryptoClient, DataKeysService, ProjectionWaiter, CommandRunner],
};
