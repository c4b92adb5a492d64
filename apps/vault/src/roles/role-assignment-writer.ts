import { Injectable } from '@nestjs/common';
import { SystemStreams } from '@coffer/contracts';
import { decideRoleAssignment, requireScope, RoleAssignmentDecisions, roleAssignmentIdFor, RoleAssignmentState, scopeVault } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { PrincipalAccessCache } from '../auth/principal-access.cache';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { VaultStateLoader } from '../vaults/vault-state.loader';
import { RoleAssignmentStateLoader } from './role-assignment-state.loader';
import { RequestKey } from '../commands/request-key';

/** Creating an assignment (shared by the handler and the administrator bootstrap). */
@Injectable()
export class RoleAssignmentWriter {
  constructor(
    private readonly loader: RoleAssignmentStateLoader,
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
    private readonly access: PrincipalAccessCache,
    private readonly clock: Clock,
    private readonly vaults: VaultStateLoader,
  ) {}

  async create(principalId: string, role: string, scopeText: string, request: RequestKey): Promise<CommandOutcome<RoleAssignmentDecisions['CreateRoleAssignment']>> {
    const scope = requireScope(scopeText);
    const id = roleAssignmentIdFor(principalId, role, scope);
    const vault = scopeVault(scope);
    type Loaded = { sequence: number; state: RoleAssignmentState; principalExists: boolean; vaultExists: boolean };
    const outcome = await this.runner.run<Loaded, RoleAssignmentDecisions['CreateRoleAssignment']>({
      subject: SystemStreams.roleAssignment(id),
      request,
      load: async () => {
        // The vault loader catches up with the log, so a vault created just before is found (read-your-writes).
        const [state, principal, vaultState] = await Promise.all([
          this.loader.load(id), this.readModel.getPrincipal(principalId), vault === undefined ? undefined : this.vaults.load(vault),
        ]);
        return { sequence: state.sequence, state, principalExists: principal !== null, vaultExists: vaultState === undefined || vaultState.exists };
      },
      decide: ({ state, principalExists, vaultExists }) =>
        decideRoleAssignment({ type: 'CreateRoleAssignment', id, principalId, principalExists, vaultExists, role, scope, now: this.clock.now() }, state)[0],
    });
    this.access.invalidate(principalId);
    return outcome;
  }

  async delete(id: string, request: RequestKey): Promise<RoleAssignmentState> {
    const before = await this.loader.load(id);
    await this.runner.run<RoleAssignmentState, RoleAssignmentDecisions['DeleteRoleAssignment']>({
      subject: SystemStreams.roleAssignment(id),
      request,
      load: () => this.loader.load(id),
      decide: (state) => decideRoleAssignment({ type: 'DeleteRoleAssignment', id, now: this.clock.now() }, state)[0],
    });
    if (before.exists) this.access.invalidate(before.principalId);
    return before;
  }
}
