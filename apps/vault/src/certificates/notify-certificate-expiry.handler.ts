import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNotifyRequest, DataActions, ExpiryNotice, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { noticeWindowMs } from '../lifecycle/notice-window';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope, CertificateWriter } from './certificate.kind';
import { ContactsWriter } from './contacts-writer';

/**
 * Records CertificateNearExpiry for a version once its policy's EmailContacts action is due (without
 * one, 30 days before notAfter), addressed to the vault's contact emails at that time. No mail is
 * sent: subscribers of the change feed deliver it. No contacts: still recorded, with an empty list.
 */
@Controller()
export class NotifyCertificateExpiryHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: CertificateWriter, private readonly contacts: ContactsWriter) {}

  @MessagePattern(Patterns.certificate('notify'))
  @Access(DataActions.lifecycleNotify, certificateScope)
  async handle(@Payload() req: CertificateNotifyRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<ExpiryNotice & { contacts: string[] }> {
    await this.vaults.require(vaultName);
    const contacts = (await this.contacts.load(vaultName)).contacts.map((c) => c.email);
    const outcome = await this.writer.run(vaultName, req.name, request, req.version, (now) => ({
      type: 'NotifyCertificateExpiry', name: req.name, version: req.version, contacts, windowMs: noticeWindowMs(undefined), now,
    }));
    const { name: _n, ...notice } = outcome.event.data;
    return notice;
  }
}
