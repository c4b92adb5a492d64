import { Injectable } from '@nestjs/common';
import { ContactsEvent, Streams } from '@coffer/contracts';
import { ContactsCommand, ContactsDecisions, ContactsState, DecidedBy, decideContacts } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { CertificateReadModel, readContactsDecisionState } from '@coffer/read-model';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { RequestKey } from '../commands/request-key';

/** load → decide → append for a vault's certificate contacts (one subject per vault). */
@Injectable()
export class ContactsWriter {
  constructor(private readonly certificates: CertificateReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter, private readonly runner: CommandRunner) {}

  async load(vault: string): Promise<ContactsState> {
    const loaded = await readContactsDecisionState(this.certificates, vault);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(Streams.events.contacts(vault));
    if (last === 0) return { sequence: 0, contacts: [] };
    await this.waiter.waitFor(last);
    return (await readContactsDecisionState(this.certificates, vault)) ?? { sequence: last, contacts: [] };
  }

  run<X extends ContactsCommand>(vault: string, request: RequestKey, command: X): Promise<CommandOutcome<DecidedBy<ContactsDecisions, X, ContactsEvent>>> {
    return this.runner.run<ContactsState, DecidedBy<ContactsDecisions, X, ContactsEvent>>({
      subject: Streams.events.contacts(vault), request, load: () => this.load(vault), decide: (state) => decideContacts(command, state)[0],
    });
  }
}
