import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, Limits, Patterns, Streams, VaultEvent, VaultInfo, VaultSettingsRequest } from '@coffer/contracts';
import { decideVault, VaultCommand, VaultState } from '@coffer/domain';
import { randomBytes } from 'node:crypto';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { MaterialHook } from '../objects/material-hook';
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
    private readonly material: MaterialHook,
  ) {}

  @MessagePattern(Patterns.vault('create'))
  @Access(DataActions.vaultsWrite, vaultScope)
  async handle(@Payload() req: VaultSettingsRequest, @VaultName() name: string, @Idempotency() request: RequestKey): Promise<VaultInfo> {
    // A fresh KEK id per vault: a KEK is never shared, not even with an earlier vault of the same name.
    const kekId = `vault-${name}-${randomBytes(6).toString('hex')}`;
    // The KEK is made (idempotently) after the dry-run decide and before the append; it is not tracked,
    // so one made for a request that then fails stays in the HSM unused (it is named per request).
    await this.material.run<VaultState, VaultCommand, VaultEvent, { state: VaultState }, string>({
      subject: Streams.events.vault(name),
      request,
      load: async () => ({ state: await this.loader.load(name) }),
      decide: decideVault,
    }, {
      make: async () => {
        await this.crypto.ensureKek(kekId);
        return kekId;
      },
      command: (_made, now) => ({
        type: 'CreateVault', name, kekId, retentionDays: req.retentionDays ?? Limits.retentionDaysDefault, purgeProtection: req.purgeProtection ?? false, now,
      }),
    });
    return toVaultInfo(await this.directory.require(name));
  }
}
