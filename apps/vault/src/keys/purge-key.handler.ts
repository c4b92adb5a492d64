import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyNameRequest, KeyPurged, Patterns, PurgeResult } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { KeyCommands } from './key-commands';
import { keyScope } from './key-scope';

/**
 * Permanent deletion: the purge is recorded first (naming every version's HSM objects), then the
 * HSM objects are destroyed, so the key can never be used again and a rebuild cannot bring it back.
 * A retried purge (same request id) replays the event and repeats the idempotent destruction.
 */
@Controller()
export class PurgeKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: KeyCommands, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('purge'))
  @Access(DataActions.keysPurge, keyScope)
  async handle(@Payload() req: KeyNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<PurgeResult & { destroyed: number }> {
    const vault = await this.vaults.require(vaultName);
    const outcome = await this.commands.run<KeyPurged>(vaultName, req.name, request, { version: false }, (now) => ({
      type: 'PurgeKey', name: req.name, purgeProtection: vault.purgeProtection, now,
    }));
    const destroyed = await this.crypto.destroy(outcome.event.data.destroyedHsmKeys);
    return { name: req.name, purged: outcome.event.data.purged, destroyed };
  }
}
