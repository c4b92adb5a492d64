import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { actionsOf, AuthSubjects, BUILT_IN_ROLES, DataActions, EmptyRequest, RoleInfo } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';

/** The built-in roles and the concrete data actions each grants. */
@Controller()
export class ListRolesHandler {
  @MessagePattern(AuthSubjects.roleList)
  @Access(DataActions.roleAssignmentsRead, allScope)
  handle(@Payload() _req: EmptyRequest): { value: RoleInfo[] } {
    return { value: BUILT_IN_ROLES.map((r) => ({ name: r.name, description: r.description, dataActions: actionsOf(r.name) })) };
  }
}
