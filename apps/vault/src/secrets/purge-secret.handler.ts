import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Patterns, PurgeResult, SecretNameRequest, SecretPurged, Streams } from '@coffer/contracts';
import { decideSecret } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { DataKeysService } from '../crypto/data-keys.service';
import { Clock } from '../infrastructure/clock';
import { RequestId, VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretStateLoader } from './secret-state.loader';

/**
 * Permanent deletion by crypto-shredding: the purge is recorded first, then the object's wrapped
 * data keys are erased from the keyring, so its ciphertext (still in the immutable event log) can
 * never be decrypted again. A retried purge repeats the (idempotent) erasure.
 */
@Controller()
export class PurgeSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly loader: SecretStateLoader,
    private readonly dataKeys: DataKeysService,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.secret('purge'))
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string, @RequestId() requestId: string): Promise<PurgeResult> {
    const vault = await this.vaults.require(vaultName);
    const outcome = await this.runner.run<Awaited<ReturnType<SecretStateLoader['load']>>['state'], SecretPurged>({
      subject: Streams.events.secret(vaultName, req.name),
      requestId,
      load: async () => (await this.loader.load(vaultName, req.name, false)).state,
      decide: (state) => decideSecret({ type: 'PurgeSecret', name: req.name, purgeProtection: vault.purgeProtection, now: this.clock.now() }, state)[0],
    });
    await this.dataKeys.shred(outcome.event.data.shreddedKeys);
    return { name: req.name, purged: outcome.event.data.purged };
  }
}
