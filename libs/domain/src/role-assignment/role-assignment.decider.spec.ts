import { ErrorCodes, InnerErrorCodes, RoleAssignmentEvent } from '@coffer/contracts';
import { deciderScenarios, roleAssignmentDecider } from '@coffer/read-model/testing';
import { NewEvent } from '../new-event';
import { principalIdFor, roleAssignmentIdFor } from '../principal/principal-ids';
import { RoleAssignmentCommand } from './role-assignment.commands';

const now = new Date('2026-01-01T00:00:00.000Z');
const P = principalIdFor('alice');
const ID = roleAssignmentIdFor(P, 'Key Vault Reader', '/vaults/prod');

const { given } = deciderScenarios(roleAssignmentDecider(ID));

const create = (o: Partial<RoleAssignmentCommand> = {}): RoleAssignmentCommand =>
  ({ type: 'CreateRoleAssignment', id: ID, principalId: P, principalExists: true, vaultExists: true, role: 'Key Vault Reader', scope: '/vaults/prod', now, ...o }) as RoleAssignmentCommand;
const created: NewEvent<RoleAssignmentEvent> = {
  type: 'RoleAssignmentCreated', version: 1, data: { id: ID, principalId: P, role: 'Key Vault Reader', scope: '/vaults/prod', created: now.toISOString() },
};
const deleted: NewEvent<RoleAssignmentEvent> = { type: 'RoleAssignmentDeleted', version: 1, data: { id: ID, deleted: now.toISOString() } };

describe('role assignment decider', () => {
  it('creates an assignment', () =>
    given().when(create()).then([{ type: 'RoleAssignmentCreated', data: { id: ID, principalId: P, role: 'Key Vault Reader', scope: '/vaults/prod' } }]));
  it('accepts object scopes and the root', async () => {
    await given().when(create({ scope: '/vaults/prod/secrets/db' } as never)).then([{ data: { scope: '/vaults/prod/secrets/db' } }]);
    await given().when(create({ scope: '/' } as never)).then([{ data: { scope: '/' } }]);
  });
  it('refuses an unknown role, listing the valid ones', () =>
    given().when(create({ role: 'God' } as never)).thenFails(ErrorCodes.BadParameter, undefined, /Key Vault Secrets User/));
  it.each(['vaults/prod', '/vaults/x', '/vaults/prod/blobs/a', '/vaults/prod/secrets', ''])('refuses scope %p', (scope) =>
    given().when(create({ scope } as never)).thenFails(ErrorCodes.BadParameter));
  it('refuses an unknown principal', () =>
    given().when(create({ principalExists: false } as never)).thenFails(ErrorCodes.NotFound, InnerErrorCodes.PrincipalNotFound));
  it('refuses a vault or object scope on a vault that does not exist (VaultNotFound); the root needs no vault', async () => {
    await given().when(create({ vaultExists: false } as never)).thenFails(ErrorCodes.VaultNotFound, undefined, /'prod'/);
    await given().when(create({ vaultExists: false, scope: '/vaults/prod/keys/k' } as never)).thenFails(ErrorCodes.VaultNotFound);
    await given().when(create({ vaultExists: false, scope: '/' } as never)).then([{ data: { scope: '/' } }]);
  });
  it('refuses the same assignment twice', () => given(created).when(create()).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists));
  it('deletes, and the assignment can be made again', async () => {
    await given(created).when({ type: 'DeleteRoleAssignment', id: ID, now }).then([{ type: 'RoleAssignmentDeleted', data: { id: ID, scope: '/vaults/prod' } }]);
    await given(created, deleted).when(create()).then([{ type: 'RoleAssignmentCreated' }]);
  });
  it('refuses to delete an unknown assignment', () =>
    given().when({ type: 'DeleteRoleAssignment', id: ID, now }).thenFails(ErrorCodes.NotFound, InnerErrorCodes.RoleAssignmentNotFound));
});
