import { Injectable } from '@nestjs/common';
import { PrincipalEvent, PrincipalInfo, SystemStreams } from '@coffer/contracts';
import { DecidedBy, decidePrincipal, PrincipalCommand, PrincipalDecisions, principalNotFound } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { PrincipalAccessCache } from '../auth/principal-access.cache';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { toPrincipalInfo } from './principal-info.mapper';
import { PrincipalStateLoader } from './principal-state.loader';
import { RequestKey } from '../commands/request-key';

/** load → decide → append for one principal, then the principal as it now is (this replica's cache dropped). */
@Injectable()
export class PrincipalWriter {
  constructor(
    private readonly loader: PrincipalStateLoader,
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
    private readonly access: PrincipalAccessCache,
  ) {}

  async run<X extends PrincipalCommand>(id: string, request: RequestKey, command: X): Promise<CommandOutcome<DecidedBy<PrincipalDecisions, X, PrincipalEvent>>> {
    const outcome = await this.runner.run<Awaited<ReturnType<PrincipalStateLoader['load']>>['state'], DecidedBy<PrincipalDecisions, X, PrincipalEvent>>({
      subject: SystemStreams.principal(id),
      request,
      load: async () => (await this.loader.load(id)).state,
      decide: (state) => decidePrincipal(command, state)[0],
    });
    this.access.invalidate(id);
    return outcome;
  }

  async info(id: string): Promise<PrincipalInfo> {
    const row = await this.readModel.getPrincipal(id);
    if (!row) throw principalNotFound(id);
    return toPrincipalInfo(row, await this.readModel.credentialsOf(id));
  }
}
