import { lifecycleHandlers } from '../objects/lifecycle-handlers';
import { VaultFeature } from '../vault-feature';
import { GetSecretHandler } from './get-secret.handler';
import { ListSecretVersionsHandler } from './list-secret-versions.handler';
import { ListSecretsHandler } from './list-secrets.handler';
import { NotifySecretExpiryHandler } from './notify-secret-expiry.handler';
import { SecretBackupFormat } from './secret-backup.format';
import { SecretItemReader } from './secret-item.reader';
import { SecretStateLoader } from './secret-state.loader';
import { SecretValuesService } from './secret-values.service';
import { SECRET_KIND, SecretWriter } from './secret.kind';
import { SetSecretHandler } from './set-secret.handler';
import { UpdateSecretHandler } from './update-secret.handler';

/** One handler per secret subject (SECRET_OPS); the lifecycle ones are the kit's. */
export const SECRET_FEATURE: VaultFeature = {
  controllers: [
    SetSecretHandler, GetSecretHandler, ListSecretsHandler, ListSecretVersionsHandler, UpdateSecretHandler, ...lifecycleHandlers(SECRET_KIND),
    NotifySecretExpiryHandler,
  ],
  providers: [SecretStateLoader, SecretWriter, SecretItemReader, SecretBackupFormat, SecretValuesService],
};
