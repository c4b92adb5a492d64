import { Injectable } from '@nestjs/common';
import { SystemStreams } from '@coffer/contracts';
import { noRoleAssignment, RoleAssignmentState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { ReadModel } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

/** Decision state of a role assignment; a deleted one has no row but its subject keeps its sequence. */
@Injectable()
export class RoleAssignmentStateLoader {
  constructor(private readonly readModel: ReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter) {}

  async load(id: string): Promise<RoleAssignmentState> {
    const row = await this.readModel.getRoleAssignment(id);
    if (row) return { exists: true, id: row.id, principalId: row.principalId, role: row.role, scope: row.scope, sequence: row.sequence };
    const last = await this.events.lastSequence(SystemStreams.roleAssignment(id));
    if (last === 0) return noRoleAssignment(0);
    await this.waiter.waitFor(last);
    const caught = await this.readModel.getRoleAssignment(id);
    return caught
      ? { exists: true, id: caught.id, principalId: caught.principalId, role: caught.role, scope: caught.scope, sequence: caught.sequence }
      : noRoleAssignment(last);
  }
}
