import { Injectable } from '@nestjs/common';
import { RoleAssignmentCreated, RoleAssignmentDeleted, SystemStreams } from '@coffer/contracts';
import { decideRoleAssignment, requireScope, roleAssignmentIdFor, RoleAssignmentState } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { PrincipalAccessCache } from '../auth/principal-access.cache';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { RoleAssignmentStateLoader } from './role-assignment-state.loader';
import { RequestKey } from '../commands/request-key';

/** Creating an assignment (shared by the handler and the administrator bootstrap). */
@Injectable()
export class RoleAssignmentCommands {
  constructor(
    private readonly loader: RoleAssignmentStateLoader,
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
    private readonly access: PrincipalAccessCache,
    private readonly clock: Clock,
  ) {}

  async create(principalId: string, role: string, scopeText: string, request: RequestKey): Promise<CommandOutcome<RoleAssignmentCreated>> {
    const scope = requireScope(scopeText);
    const id = roleAssignmentIdFor(principalId, role, scope);
    const outcome = await this.runner.run<{ sequence: number; state: RoleAssignmentState; principalExists: boolean }, RoleAssignmentCreated>({
      subject: SystemStreams.roleAssignment(id),
      request,
      load: async () => {
        const [state, principal] = await Promise.all([this.loader.load(id), this.readModel.getPrincipal(principalId)]);
        return { sequence: state.sequence, state, principalExists: principal !== null };
      },
      decide: ({ state, principalExists }) =>
        decideRoleAssignment({ type: 'CreateRoleAssignment', id, principalId, principalExists, role, scope, now: this.clock.now() }, state)[0],
    });
    this.access.invalidate(principalId);
    return outcome;
  }

  async delete(id: string, request: RequestKey): Promise<RoleAssignmentState> {
    const before = await this.loader.load(id);
    await this.runner.run<RoleAssignmentState, RoleAssignmentDeleted>({
      subject: SystemStreams.roleAssignment(id),
      request,
      load: () => this.loader.load(id),
      decide: (state) => decideRoleAssignment({ type: 'DeleteRoleAssignment', id, now: this.clock.now() }, state)[0],
    });
    if (before.exists) this.access.invalidate(before.principalId);
    return before;
  }
}
