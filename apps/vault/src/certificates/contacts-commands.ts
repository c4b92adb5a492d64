import { Injectable } from '@nestjs/common';
import { CertificateContact, ContactsEvent, Streams } from '@coffer/contracts';
import { ContactsCommand, ContactsState, decideContacts } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { CertificateReadModel } from '@coffer/read-model';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { RequestKey } from '../commands/request-key';

/** load → decide → append for a vault's certificate contacts (one subject per vault). */
@Injectable()
export class ContactsCommands {
  constructor(private readonly certificates: CertificateReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter, private readonly runner: CommandRunner) {}

  async load(vault: string): Promise<ContactsState> {
    const row = await this.certificates.getContacts(vault);
    if (row) return { sequence: row.sequence, contacts: JSON.parse(row.contacts) as CertificateContact[] };
    const last = await this.events.lastSequence(Streams.events.contacts(vault));
    if (last > 0) await this.waiter.waitFor(last);
    const again = last > 0 ? await this.certificates.getContacts(vault) : null;
    return again ? { sequence: again.sequence, contacts: JSON.parse(again.contacts) as CertificateContact[] } : { sequence: last, contacts: [] };
  }

  run<E extends ContactsEvent>(vault: string, request: RequestKey, command: ContactsCommand): Promise<CommandOutcome<E>> {
    return this.runner.run<ContactsState, E>({
      subject: Streams.events.contacts(vault), request, load: () => this.load(vault), decide: (state) => decideContacts(command, state)[0],
    });
  }
}
