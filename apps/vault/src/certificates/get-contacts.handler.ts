import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateContacts, DataActions, EmptyRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { contactsId } from './certificate-ids';
import { ContactsWriter } from './contacts-writer';

@Controller()
export class GetContactsHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: ContactsWriter) {}

  @MessagePattern(Patterns.contacts('get'))
  @Access(DataActions.certificatesRead, vaultScope)
  async handle(@Payload() _req: EmptyRequest, @VaultName() vaultName: string): Promise<CertificateContacts> {
    await this.vaults.require(vaultName);
    return { id: contactsId(vaultName), contacts: (await this.commands.load(vaultName)).contacts };
  }
}
