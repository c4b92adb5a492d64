import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Limits, Patterns, Streams, VaultInfo, VaultSettingsRequest, DataActions } from '@coffer/contracts';
import { decideVault } from '@coffer/domain';
import { randomBytes } from 'node:crypto';
import { CommandRunner } from '../commands/command-runner';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { toVaultInfo } from './vault-info.mapper';
import { VaultDirectory } from './vault-directory';
import { VaultStateLoader } from './vault-state.loader';

/** Creates a vault and its key-encryption key (AES-256, non-extractable, in the HSM). */
@Controller()
export class CreateVaultHandler {
  constructor(
    private readonly loader: VaultStateLoader,
    private readonly directory: VaultDirectory,
    private readonly crypto: CryptoWorkerClient,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.vault('create'))

  @Access(DataActions.vaultsWrite, vaultScope)
  async handle(@Payload() req: VaultSettingsRequest, @VaultName() name: string, @Idempotency() request: RequestKey): Promise<VaultInfo> {
    // A fresh KEK id per vault: a KEK is never shared, not even with an earlier vault of the same name.
    const kekId = `vault-${name}-${randomBytes(6).toString('hex')}`;
    let kekEnsured = false;
    await this.runner.run({
      subject: Streams.events.vault(name),
      request,
      load: () => this.loader.load(name),
      decide: (state) => {
        const [event] = decideVault(
          {
            type: 'CreateVault',
            name,
            kekId,
            retentionDays: req.retentionDays ?? Limits.retentionDaysDefault,
            purgeProtection: req.purgeProtection ?? false,
            now: this.clock.now(),
          },
          state,
        );
        return event;
      },
      beforeAppend: async () => {
        if (!kekEnsured) await this.crypto.ensureKek(kekId);
        kekEnsured = true;
      },
    });
    return toVaultInfo(await this.directory.require(name));
  }
}
