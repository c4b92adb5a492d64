import { AuthSubjects, Page, RoleAssignmentInfo, RoleAssignmentOp, RoleInfo } from '@coffer/contracts/protocol';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';

/** Role definitions (the built-in roles): `coffer.v1.roles.list`. */
export class RolesClient {
  constructor(private readonly requester: Requester) {}

  async list(options: CallOptions = {}): Promise<RoleInfo[]> {
    const reply = await this.requester.request<{ value: RoleInfo[] }>(AuthSubjects.roleList, {}, callOptionsOf(options));
    return reply.value ?? [];
  }
}

export interface NewRoleAssignment {
  principalId: string;
  /** A role name, e.g. "Key Vault Secrets User". */
  role: string;
  /** `/`, `/vaults/<vault>` or `/vaults/<vault>/secrets/<name>` (likewise keys, certificates). */
  scope: string;
}

export interface RoleAssignmentFilter {
  principalId?: string;
  scope?: string;
}

/** Who has which role where: `coffer.v1.roleassignments.<op>`. */
export class RoleAssignmentsClient {
  constructor(private readonly requester: Requester) {}

  create(assignment: NewRoleAssignment, options: CallOptions = {}): Promise<RoleAssignmentInfo> {
    const { principalId, role, scope } = assignment;
    return this.call('create', { principalId, role, scope }, options);
  }

  listPage(options: RoleAssignmentFilter & PageOptions = {}): Promise<Page<RoleAssignmentInfo>> {
    return this.call('list', { principalId: options.principalId, scope: options.scope, ...pageBody(options) }, options);
  }

  list(options: RoleAssignmentFilter & ListOptions = {}): AsyncIterable<RoleAssignmentInfo> {
    const filter = { principalId: options.principalId, scope: options.scope };
    return iteratePages((token) => this.listPage({ ...filter, ...nextPage(options, token) }));
  }

  delete(id: string, options: CallOptions = {}): Promise<RoleAssignmentInfo> {
    return this.call('delete', { id }, options);
  }

  private call<T>(op: RoleAssignmentOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request<T>(AuthSubjects.roleAssignment(op), body, callOptionsOf(options));
  }
}
