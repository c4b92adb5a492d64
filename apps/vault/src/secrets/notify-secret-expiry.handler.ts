import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, ExpiryNotice, NotifyExpiryRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { secretScope, SecretWriter } from './secret.kind';
import { VaultDirectory } from '../vaults/vault-directory';
import { noticeWindowMs } from '../lifecycle/notice-window';

/** Records SecretNearExpiry / SecretExpired for a version (the scheduler sends it; the decider says whether it is due). */
@Controller()
export class NotifySecretExpiryHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: SecretWriter) {}

  @MessagePattern(Patterns.secret('notify'))
  @Access(DataActions.lifecycleNotify, secretScope)
  async handle(@Payload() req: NotifyExpiryRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<ExpiryNotice> {
    await this.vaults.require(vaultName);
    const outcome = await this.writer.run(vaultName, req.name, request, req.version, (now) => ({
      type: 'NotifySecretExpiry', name: req.name, version: req.version, kind: req.kind, windowMs: noticeWindowMs(req.nearExpiryDays), now,
    }));
    const { name: _n, ...notice } = outcome.event.data;
    return notice;
  }
}
