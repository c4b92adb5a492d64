import { Access } from '../auth/access.decorator';
import { secretScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Patterns, PurgeResult, SecretNameRequest, SecretPurged, DataActions } from '@coffer/contracts';
import { DataKeysService } from '../crypto/data-keys.service';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretCommands } from './secret-commands';

/**
 * Permanent deletion by crypto-shredding: the purge is recorded first, then the object's wrapped
 * data keys are erased from the keyring, so its ciphertext (still in the immutable event log) can
 * never be decrypted again. A retried purge repeats the (idempotent) erasure.
 */
@Controller()
export class PurgeSecretHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: SecretCommands, private readonly dataKeys: DataKeysService) {}

  @MessagePattern(Patterns.secret('purge'))

  @Access(DataActions.secretsPurge, secretScope)
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<PurgeResult> {
    const vault = await this.vaults.require(vaultName);
    const outcome = await this.commands.run<SecretPurged>(vaultName, req.name, request, false, (now) => ({
      type: 'PurgeSecret', name: req.name, purgeProtection: vault.purgeProtection, now,
    }));
    await this.dataKeys.shred(outcome.event.data.shreddedKeys);
    return { name: req.name, purged: outcome.event.data.purged };
  }
}
