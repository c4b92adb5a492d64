import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateContacts, CertificateContactsSetRequest, DataActions, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { contactsId } from './certificate-ids';
import { ContactsWriter } from './contacts-writer';

/** Replaces the vault's certificate contacts (EmailContacts lifetime actions notify them, as events). */
@Controller()
export class SetContactsHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: ContactsWriter, private readonly clock: Clock) {}

  @MessagePattern(Patterns.contacts('set'))
  @Access(DataActions.certificateContactsWrite, vaultScope)
  async handle(@Payload() req: CertificateContactsSetRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateContacts> {
    await this.vaults.require(vaultName);
    const contacts = req.contacts.map((c) => ({ email: c.email, ...(c.name && { name: c.name }), ...(c.phone && { phone: c.phone }) }));
    const outcome = await this.commands.run(vaultName, request, { type: 'SetContacts', contacts, now: this.clock.now() });
    return { id: contactsId(vaultName), contacts: outcome.event.data.contacts };
  }
}
