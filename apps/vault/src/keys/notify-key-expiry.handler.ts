import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, ExpiryNotice, NotifyExpiryRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { noticeWindowMs } from '../lifecycle/notice-window';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope, KeyWriter } from './key.kind';

/** Records KeyNearExpiry / KeyExpired for a version (the window: the rotation policy's Notify trigger, else the request's). */
@Controller()
export class NotifyKeyExpiryHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: KeyWriter) {}

  @MessagePattern(Patterns.key('notify'))
  @Access(DataActions.lifecycleNotify, keyScope)
  async handle(@Payload() req: NotifyExpiryRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<ExpiryNotice> {
    await this.vaults.require(vaultName);
    const outcome = await this.writer.run(vaultName, req.name, request, { version: req.version, policy: true }, (now) => ({
      type: 'NotifyKeyExpiry', name: req.name, version: req.version, kind: req.kind, windowMs: noticeWindowMs(req.nearExpiryDays), now,
    }));
    const { name: _n, ...notice } = outcome.event.data;
    return notice;
  }
}
