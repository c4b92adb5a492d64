import { DynamicModule, Module } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { LoggerModule } from 'nestjs-pino';
import { CommandRunner } from './commands/command-runner';
import { CryptoWorkerClient } from './crypto/crypto-worker.client';
import { DataKeysService } from './crypto/data-keys.service';
import { Clock } from './infrastructure/clock';
import { infrastructureProviders, InfrastructureShutdown } from './infrastructure/infrastructure.providers';
import { COFFER_CONFIG } from './infrastructure/tokens';
import { ProjectionWaiter } from './projection/projection-waiter';
import { BackupSecretHandler } from './secrets/backup-secret.handler';
import { DeleteSecretHandler } from './secrets/delete-secret.handler';
import { GetDeletedSecretHandler } from './secrets/get-deleted-secret.handler';
import { GetSecretHandler } from './secrets/get-secret.handler';
import { ListDeletedSecretsHandler } from './secrets/list-deleted-secrets.handler';
import { ListSecretVersionsHandler } from './secrets/list-secret-versions.handler';
import { ListSecretsHandler } from './secrets/list-secrets.handler';
import { PurgeSecretHandler } from './secrets/purge-secret.handler';
import { RecoverSecretHandler } from './secrets/recover-secret.handler';
import { RestoreSecretHandler } from './secrets/restore-secret.handler';
import { SecretCommands } from './secrets/secret-commands';
import { SecretItemReader } from './secrets/secret-item.reader';
import { SecretStateLoader } from './secrets/secret-state.loader';
import { SecretValuesService } from './secrets/secret-values.service';
import { SetSecretHandler } from './secrets/set-secret.handler';
import { UpdateSecretHandler } from './secrets/update-secret.handler';
import { StatusHandler } from './status/status.handler';
import { CreateVaultHandler } from './vaults/create-vault.handler';
import { ListVaultsHandler } from './vaults/list-vaults.handler';
import { ShowVaultHandler } from './vaults/show-vault.handler';
import { UpdateVaultHandler } from './vaults/update-vault.handler';
import { VaultDirectory } from './vaults/vault-directory';
import { VaultStateLoader } from './vaults/vault-state.loader';

/** The vault API: command and query handlers over NATS request-reply. */
@Module({})
export class VaultModule {
  static forRoot(config: CofferConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: VaultModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, base: { app: 'vault' } } })],
      controllers: [
        StatusHandler,
        CreateVaultHandler, ShowVaultHandler, UpdateVaultHandler, ListVaultsHandler,
        SetSecretHandler, GetSecretHandler, ListSecretsHandler, ListSecretVersionsHandler, UpdateSecretHandler,
        DeleteSecretHandler, ListDeletedSecretsHandler, GetDeletedSecretHandler, RecoverSecretHandler, PurgeSecretHandler,
        BackupSecretHandler, RestoreSecretHandler,
      ],
      providers: [
        { provide: COFFER_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        ...infrastructureProviders,
        InfrastructureShutdown,
        CryptoWorkerClient, DataKeysService, ProjectionWaiter, CommandRunner,
        VaultDirectory, VaultStateLoader, SecretStateLoader, SecretCommands, SecretValuesService, SecretItemReader,
      ],
    };
  }
}
