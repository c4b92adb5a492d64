import { ErrorCodes, InnerErrorCodes, RoleAssignmentEvent } from '@coffer/contracts';
import { NewEvent } from '../new-event';
import { principalIdFor, roleAssignmentIdFor } from '../principal/principal-ids';
import { RoleAssignmentCommand } from './role-assignment.commands';
import { decideRoleAssignment, evolveRoleAssignment, initialRoleAssignmentState } from './role-assignment.decider';

const now = new Date('2026-01-01T00:00:00.000Z');
const meta = { requestId: 'r', occurredAt: now.toISOString() };
const P = principalIdFor('alice');
const ID = roleAssignmentIdFor(P, 'Key Vault Reader', '/vaults/prod');

function given(...events: NewEvent<RoleAssignmentEvent>[]) {
  const state = events.reduce((s, e, i) => evolveRoleAssignment(s, { ...e, metadata: meta } as RoleAssignmentEvent, i + 1), initialRoleAssignmentState());
  return {
    when: (command: RoleAssignmentCommand) => ({
      then: (expected: object[]) => expect(decideRoleAssignment(command, state)).toMatchObject(expected),
      thenThrows: (code: string, inner?: string, message?: RegExp) =>
        expect(() => decideRoleAssignment(command, state)).toThrow(
          expect.objectContaining({ code, ...(inner && { innerCode: inner }), ...(message && { message: expect.stringMatching(message) }) }),
        ),
    }),
  };
}

const create = (o: Partial<RoleAssignmentCommand> = {}): RoleAssignmentCommand =>
  ({ type: 'CreateRoleAssignment', id: ID, principalId: P, principalExists: true, vaultExists: true, role: 'Key Vault Reader', scope: '/vaults/prod', now, ...o }) as RoleAssignmentCommand;
const created: NewEvent<RoleAssignmentEvent> = {
  type: 'RoleAssignmentCreated', version: 1, data: { id: ID, principalId: P, role: 'Key Vault Reader', scope: '/vaults/prod', created: now.toISOString() },
};
const deleted: NewEvent<RoleAssignmentEvent> = { type: 'RoleAssignmentDeleted', version: 1, data: { id: ID, deleted: now.toISOString() } };

describe('role assignment decider', () => {
  it('creates an assignment', () =>
    given().when(create()).then([{ type: 'RoleAssignmentCreated', data: { id: ID, principalId: P, role: 'Key Vault Reader', scope: '/vaults/prod' } }]));
  it('accepts object scopes and the root', () => {
    given().when(create({ scope: '/vaults/prod/secrets/db' } as never)).then([{ data: { scope: '/vaults/prod/secrets/db' } }]);
    given().when(create({ scope: '/' } as never)).then([{ data: { scope: '/' } }]);
  });
  it('refuses an unknown role, listing the valid ones', () =>
    given().when(create({ role: 'God' } as never)).thenThrows(ErrorCodes.BadParameter, undefined, /Key Vault Secrets User/));
  it.each(['vaults/prod', '/vaults/x', '/vaults/prod/blobs/a', '/vaults/prod/secrets', ''])('refuses scope %p', (scope) =>
    given().when(create({ scope } as never)).thenThrows(ErrorCodes.BadParameter));
  it('refuses an unknown principal', () =>
    given().when(create({ principalExists: false } as never)).thenThrows(ErrorCodes.NotFound, InnerErrorCodes.PrincipalNotFound));
  it('refuses a vault or object scope on a vault that does not exist (VaultNotFound); the root needs no vault', () => {
    given().when(create({ vaultExists: false } as never)).thenThrows(ErrorCodes.VaultNotFound, undefined, /'prod'/);
    given().when(create({ vaultExists: false, scope: '/vaults/prod/keys/k' } as never)).thenThrows(ErrorCodes.VaultNotFound);
    given().when(create({ vaultExists: false, scope: '/' } as never)).then([{ data: { scope: '/' } }]);
  });
  it('refuses the same assignment twice', () => given(created).when(create()).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists));
  it('deletes, and the assignment can be made again', () => {
    given(created).when({ type: 'DeleteRoleAssignment', id: ID, now }).then([{ type: 'RoleAssignmentDeleted', data: { id: ID, scope: '/vaults/prod' } }]);
    given(created, deleted).when(create()).then([{ type: 'RoleAssignmentCreated' }]);
  });
  it('refuses to delete an unknown assignment', () =>
    given().when({ type: 'DeleteRoleAssignment', id: ID, now }).thenThrows(ErrorCodes.NotFound, InnerErrorCodes.RoleAssignmentNotFound));
});
