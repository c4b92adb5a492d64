import { Injectable } from '@nestjs/common';
import { IssuerEvent, Streams } from '@coffer/contracts';
import { absentIssuer, DecidedBy, decideIssuer, IssuerCommand, IssuerDecisions, IssuerState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { CertificateReadModel, readIssuerDecisionState } from '@coffer/read-model';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { RequestKey } from '../commands/request-key';

/** load → decide → append for one issuer (internal CA) on its own subject. */
@Injectable()
export class IssuerWriter {
  constructor(
    private readonly certificates: CertificateReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter,
    private readonly runner: CommandRunner,
  ) {}

  /** O(1): the head row and, for a revocation, whether that one serial is already revoked. */
  async load(vault: string, name: string, serial?: string): Promise<IssuerState> {
    const loaded = await readIssuerDecisionState(this.certificates, vault, name, serial);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(Streams.events.issuer(vault, name));
    if (last === 0) return absentIssuer(0);
    await this.waiter.waitFor(last);
    return (await readIssuerDecisionState(this.certificates, vault, name, serial)) ?? absentIssuer(last);
  }

  run<X extends IssuerCommand>(vault: string, name: string, request: RequestKey, command: X, serial?: string): Promise<CommandOutcome<DecidedBy<IssuerDecisions, X, IssuerEvent>>> {
    return this.runner.run<IssuerState, DecidedBy<IssuerDecisions, X, IssuerEvent>>({
      subject: Streams.events.issuer(vault, name),
      request,
      load: () => this.load(vault, name, serial),
      decide: (state) => decideIssuer(command, state)[0],
    });
  }
}
