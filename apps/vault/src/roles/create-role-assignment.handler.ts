import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, CreateRoleAssignmentRequest, DataActions, RoleAssignmentInfo } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { RoleAssignmentWriter } from './role-assignment-writer';

@Controller()
export class CreateRoleAssignmentHandler {
  constructor(private readonly assignments: RoleAssignmentWriter) {}

  @MessagePattern(AuthSubjects.roleAssignment('create'))
  @Access(DataActions.roleAssignmentsWrite, allScope)
  async handle(@Payload() req: CreateRoleAssignmentRequest, @Idempotency() request: RequestKey): Promise<RoleAssignmentInfo> {
    const { event } = await this.assignments.create(req.principalId, req.role, req.scope, request);
    const { id, principalId, role, scope, created } = event.data;
    return { id, principalId, role, scope, created };
  }
}
