import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateContacts, DataActions, EmptyRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { contactsId } from './certificate-ids';
import { ContactsWriter } from './contacts-writer';

@Controller()
export class DeleteContactsHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: ContactsWriter, private readonly clock: Clock) {}

  @MessagePattern(Patterns.contacts('delete'))
  @Access(DataActions.certificateContactsWrite, vaultScope)
  async handle(@Payload() _req: EmptyRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateContacts> {
    await this.vaults.require(vaultName);
    const before = await this.commands.load(vaultName);
    await this.commands.run(vaultName, request, { type: 'DeleteContacts', now: this.clock.now() });
    return { id: contactsId(vaultName), contacts: before.contacts };
  }
}
