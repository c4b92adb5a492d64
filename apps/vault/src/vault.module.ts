import { DynamicModule, Module } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { REQUEST_GATE } from '@coffer/transport';
import { LoggerModule } from 'nestjs-pino';
import { AUDIT_CONTROLLERS, AUDIT_PROVIDERS } from './audit';
import { KEY_CONTROLLERS, KEY_PROVIDERS } from './keys';
import { CERTIFICATE_CONTROLLERS, CERTIFICATE_PROVIDERS } from './certificates';
import { CHANGE_CONTROLLERS, CHANGE_PROVIDERS } from './changes';
import { LIFECYCLE_CONTROLLERS, LIFECYCLE_PROVIDERS } from './lifecycle';
import { devTimeProviders } from './dev/dev-time.provider';
import { AccessControlGate } from './auth/access-control.gate';
import { AdminBootstrap } from './auth/admin-bootstrap';
import { authSettingsProvider } from './auth/auth-settings';
import { ChallengeHandler } from './auth/challenge.handler';
import { CredentialExchange } from './auth/credential-exchange';
import { CredentialLockout } from './auth/credential-lockout';
import { RequestThrottle } from './auth/request-throttle';
import { SecretVerifier } from './auth/secret-verifier';
import { throttleSettingsProvider } from './auth/throttle-settings';
import { NonceStore } from './auth/nonce-store';
import { PrincipalAccessCache } from './auth/principal-access.cache';
import { SigningKeys } from './auth/signing-keys';
import { TokenAuthenticator } from './auth/token-authenticator';
import { TokenHandler } from './auth/token.handler';
import { TokenIssuer } from './auth/token-issuer';
import { WhoAmIHandler } from './auth/whoami.handler';
import { CommandRunner } from './commands/command-runner';
import { AddCredentialHandler } from './principals/add-credential.handler';
import { CreatePrincipalHandler } from './principals/create-principal.handler';
import { DisablePrincipalHandler } from './principals/disable-principal.handler';
import { EnablePrincipalHandler } from './principals/enable-principal.handler';
import { ListPrincipalsHandler } from './principals/list-principals.handler';
import { PrincipalCommands } from './principals/principal-commands';
import { PrincipalStateLoader } from './principals/principal-state.loader';
import { RemoveCredentialHandler } from './principals/remove-credential.handler';
import { ShowPrincipalHandler } from './principals/show-principal.handler';
import { CreateRoleAssignmentHandler } from './roles/create-role-assignment.handler';
import { DeleteRoleAssignmentHandler } from './roles/delete-role-assignment.handler';
import { ListRoleAssignmentsHandler } from './roles/list-role-assignments.handler';
import { ListRolesHandler } from './roles/list-roles.handler';
import { RoleAssignmentCommands } from './roles/role-assignment-commands';
import { RoleAssignmentStateLoader } from './roles/role-assignment-state.loader';
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
  static forRoot(config: CofferConfig, clock?: Clock): DynamicModule {
    return {
      module: VaultModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, base: { app: 'vault' } } })],
      controllers: [
        StatusHandler,
        CreateVaultHandler, ShowVaultHandler, UpdateVaultHandler, ListVaultsHandler,
        SetSecretHandler, GetSecretHandler, ListSecretsHandler, ListSecretVersionsHandler, UpdateSecretHandler,
        DeleteSecretHandler, ListDeletedSecretsHandler, GetDeletedSecretHandler, RecoverSecretHandler, PurgeSecretHandler,
        BackupSecretHandler, RestoreSecretHandler,
        ...KEY_CONTROLLERS,
        ...CERTIFICATE_CONTROLLERS,
        ChallengeHandler, TokenHandler, WhoAmIHandler,
        CreatePrincipalHandler, ListPrincipalsHandler, ShowPrincipalHandler, DisablePrincipalHandler, EnablePrincipalHandler,
        AddCredentialHandler, RemoveCredentialHandler,
        ListRolesHandler, CreateRoleAssignmentHandler, ListRoleAssignmentsHandler, DeleteRoleAssignmentHandler,
        ...AUDIT_CONTROLLERS,
        ...CHANGE_CONTROLLERS,
        ...LIFECYCLE_CONTROLLERS,
      ],
      providers: [
        { provide: COFFER_CONFIG, useValue: config },
        // The clock: real time, or shifted by `coffer dev time-shift` in dev mode.
        ...devTimeProviders(clock),
        ...infrastructureProviders,
        InfrastructureShutdown,
        CryptoWorkerClient, DataKeysService, ProjectionWaiter, CommandRunner,
        VaultDirectory, VaultStateLoader, SecretStateLoader, SecretCommands, SecretValuesService, SecretItemReader,
        ...KEY_PROVIDERS,
        ...CERTIFICATE_PROVIDERS,
        // Identity and access: every request passes AccessControlGate (authenticate, authorize, audit).
        authSettingsProvider, SigningKeys, TokenIssuer, TokenAuthenticator, PrincipalAccessCache, NonceStore, CredentialExchange,
        throttleSettingsProvider, RequestThrottle, CredentialLockout, SecretVerifier,
        PrincipalStateLoader, PrincipalCommands, RoleAssignmentStateLoader, RoleAssignmentCommands, AdminBootstrap,
        ...AUDIT_PROVIDERS,
        ...CHANGE_PROVIDERS,
        ...LIFECYCLE_PROVIDERS,
        AccessControlGate,
        { provide: REQUEST_GATE, useExisting: AccessControlGate },
      ],
    };
  }
}
