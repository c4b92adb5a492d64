import { AuditVerifyReply, ObjectUsage, PrincipalInfo, WhoAmIReply } from '@coffer/contracts';
import { render } from './output';
import { auditRecordView, auditVerifyView, credentialCreatedView, objectUsageView, principalView, roleAssignmentView, roleView, whoamiView } from './views';

const principal: PrincipalInfo = {
  id: 'p-0123456789abcdef', name: 'ci-bot', type: 'servicePrincipal', enabled: true, created: '2030-01-01T00:00:00.000Z',
  credentials: [
    { id: 'c-0000000000000001', kind: 'secret', hint: 'abc', created: '2030-01-01T00:00:00.000Z' },
    { id: 'c-0000000000000002', kind: 'ed25519', created: '2030-01-01T00:00:00.000Z', expires: '2031-01-01T00:00:00.000Z' },
  ],
};
const assignment = { id: 'ra-0123456789abcdef', principalId: principal.id, role: 'Key Vault Secrets User', scope: '/vaults/prod', created: '2030-01-02T00:00:00.000Z' };

describe('identity and access views', () => {
  it('principal: credentials in one cell; json unchanged', () => {
    expect(render(principal, principalView, { format: 'tsv' })).toBe(
      'p-0123456789abcdef\tci-bot\tservicePrincipal\ttrue\t2030-01-01T00:00:00.000Z\t' +
        'c-0000000000000001:secret, c-0000000000000002:ed25519 (expires 2031-01-01T00:00:00.000Z)\n',
    );
    expect(render([principal, { ...principal, credentials: [] }], principalView, { format: 'tsv' }).split('\n')).toHaveLength(3);
    expect(JSON.parse(render(principal, principalView, { format: 'json' }))).toEqual(principal);
  });

  it('whoami: one row per role assignment; one row without a role when there is none', () => {
    const me: WhoAmIReply = { principal, assignments: [assignment, { ...assignment, role: 'Key Vault Reader', scope: '/' }], tokenExpiresOn: '2030-01-01T00:15:00.000Z' };
    expect(render(me, whoamiView, { format: 'tsv' })).toBe(
      'p-0123456789abcdef\tci-bot\tservicePrincipal\tKey Vault Secrets User\t/vaults/prod\t2030-01-01T00:15:00.000Z\n' +
        'p-0123456789abcdef\tci-bot\tservicePrincipal\tKey Vault Reader\t/\t2030-01-01T00:15:00.000Z\n',
    );
    expect(render({ ...me, assignments: [] }, whoamiView, { format: 'tsv' })).toBe('p-0123456789abcdef\tci-bot\tservicePrincipal\t\t\t2030-01-01T00:15:00.000Z\n');
    expect(render(me, whoamiView, { format: 'table' })).toMatch(/Principal.*Name.*Type.*Role.*Scope.*TokenExpiresOn/);
    expect(render(me, whoamiView, { format: 'json', field: 'principal.id' })).toBe('p-0123456789abcdef\n');
  });

  it('roles: data actions space-separated; role assignments; a new client secret', () => {
    expect(render([{ name: 'R', description: 'd', dataActions: ['a/read', 'b/*'] }], roleView, { format: 'tsv' })).toBe('R\td\ta/read b/*\n');
    expect(render([assignment], roleAssignmentView, { format: 'tsv' })).toBe('ra-0123456789abcdef\tp-0123456789abcdef\tKey Vault Secrets User\t/vaults/prod\t2030-01-02T00:00:00.000Z\n');
    expect(render({ principalId: principal.id, credentialId: 'c-1', clientSecret: 'shh' }, credentialCreatedView, { format: 'json', field: 'clientSecret' })).toBe('shh\n');
  });
});

describe('audit views', () => {
  it('records', () => {
    const record = { time: 't', requestId: 'r', principal: null, action: 'a', objectId: '/vaults/prod', outcome: 'unauthenticated', errorCode: 'Unauthorized', subject: 's' };
    expect(render([record], auditRecordView, { format: 'tsv' })).toBe('t\t\ta\t/vaults/prod\t\tunauthenticated\tUnauthorized\tr\t\t\n');
    const summary = { ...record, requestId: 'summary', count: 97, lastTime: 'u' };
    expect(render([summary], auditRecordView, { format: 'tsv' })).toBe('t\t\ta\t/vaults/prod\t\tunauthenticated\tUnauthorized\tsummary\t97\tu\n');
  });

  it('verify: a summary row when ok; one row per problem (kind, sequence, detail) when not', () => {
    const ok: AuditVerifyReply = { ok: true, checkedRecords: 10, checkpoints: 2, problems: [] };
    expect(render(ok, auditVerifyView, { format: 'tsv' })).toBe('true\t10\t2\t\t\t\n');
    const bad: AuditVerifyReply = {
      ok: false, checkedRecords: 10, checkpoints: 2,
      problems: [{ kind: 'modified', sequence: 4, detail: 'hash mismatch' }, { kind: 'removed', sequence: 7, detail: 'gap' }],
    };
    expect(render(bad, auditVerifyView, { format: 'tsv' })).toBe('false\t10\t2\tmodified\t4\thash mismatch\nfalse\t10\t2\tremoved\t7\tgap\n');
  });

  it('usage: one row per version', () => {
    const usage: ObjectUsage = {
      objectId: '/vaults/prod/secrets/db',
      versions: [{ version: 'v1', lastReadBy: 'p-0123456789abcdef', lastReadAt: '2030-01-01T00:00:00.000Z', reads: 3 }],
    };
    expect(render(usage, objectUsageView, { format: 'tsv' })).toBe('/vaults/prod/secrets/db\tv1\tp-0123456789abcdef\t2030-01-01T00:00:00.000Z\t3\n');
    expect(render({ ...usage, versions: [] }, objectUsageView, { format: 'tsv' })).toBe('');
  });
});
