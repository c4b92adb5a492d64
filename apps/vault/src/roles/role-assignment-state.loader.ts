import { Injectable } from '@nestjs/common';
import { SystemStreams } from '@coffer/contracts';
import { noRoleAssignment, RoleAssignmentState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { ReadModel, readRoleAssignmentDecisionState } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

/** Decision state of a role assignment; a deleted one has no row but its subject keeps its sequence. */
@Injectable()
export class RoleAssignmentStateLoader {
  constructor(private readonly readModel: ReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter) {}

  async load(id: string): Promise<RoleAssignmentState> {
    const loaded = await readRoleAssignmentDecisionState(this.readModel, id);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(SystemStreams.roleAssignment(id));
    if (last === 0) return noRoleAssignment(0);
    await this.waiter.waitFor(last);
    return (await readRoleAssignmentDecisionState(this.readModel, id)) ?? noRoleAssignment(last);
  }
}
