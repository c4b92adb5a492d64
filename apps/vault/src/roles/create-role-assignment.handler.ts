import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, CreateRoleAssignmentRequest, DataActions, RoleAssignmentInfo } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { RequestId } from '../request/request-context.decorators';
import { RoleAssignmentCommands } from './role-assignment-commands';

@Controller()
export class CreateRoleAssignmentHandler {
  constructor(private readonly assignments: RoleAssignmentCommands) {}

  @MessagePattern(AuthSubjects.roleAssignment('create'))
  @Access(DataActions.roleAssignmentsWrite, allScope)
  async handle(@Payload() req: CreateRoleAssignmentRequest, @RequestId() requestId: string): Promise<RoleAssignmentInfo> {
    const { event } = await this.assignments.create(req.principalId, req.role, req.scope, requestId);
    const { id, principalId, role, scope, created } = event.data;
    return { id, principalId, role, scope, created };
  }
}
