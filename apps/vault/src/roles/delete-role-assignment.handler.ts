import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, InnerErrorCodes, notFound, RoleAssignmentIdRequest, RoleAssignmentInfo } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { toRoleAssignmentInfo } from '../principals/principal-info.mapper';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { RoleAssignmentWriter } from './role-assignment-writer';

/** Deletes an assignment; replies with what was deleted. */
@Controller()
export class DeleteRoleAssignmentHandler {
  constructor(private readonly assignments: RoleAssignmentWriter, private readonly readModel: ReadModel) {}

  @MessagePattern(AuthSubjects.roleAssignment('delete'))
  @Access(DataActions.roleAssignmentsWrite, allScope)
  async handle(@Payload() req: RoleAssignmentIdRequest, @Idempotency() request: RequestKey): Promise<RoleAssignmentInfo> {
    const row = await this.readModel.getRoleAssignment(req.id);
    await this.assignments.delete(req.id, request);
    if (!row) throw notFound(`Role assignment '${req.id}' was not found.`, InnerErrorCodes.RoleAssignmentNotFound);
    return toRoleAssignmentInfo(row);
  }
}
