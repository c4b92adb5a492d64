import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, ListRoleAssignmentsRequest, Page, RoleAssignmentInfo } from '@coffer/contracts';
import { requireScope } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { decodeToken, encodeToken, pageSize } from '../paging/continuation-token';
import { toRoleAssignmentInfo } from '../principals/principal-info.mapper';

/** Assignments, optionally of one principal and/or at exactly one scope. */
@Controller()
export class ListRoleAssignmentsHandler {
  constructor(private readonly readModel: ReadModel) {}

  @MessagePattern(AuthSubjects.roleAssignment('list'))
  @Access(DataActions.roleAssignmentsRead, allScope)
  async handle(@Payload() req: ListRoleAssignmentsRequest): Promise<Page<RoleAssignmentInfo>> {
    const filter = { principalId: req.principalId, scope: req.scope === undefined ? undefined : requireScope(req.scope) };
    const page = await this.readModel.listRoleAssignments(filter, decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const last = page.rows[page.rows.length - 1];
    return { value: page.rows.map(toRoleAssignmentInfo), ...(page.hasMore && last && { continuationToken: encodeToken(last.id) }) };
  }
}
