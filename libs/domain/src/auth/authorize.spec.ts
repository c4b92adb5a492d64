import { ALL_DATA_ACTIONS, BUILT_IN_ROLE_NAMES, BuiltInRoleName, DataAction, DataActions as A, formatScope, parseScope, Scope } from '@coffer/contracts';
import { authorize } from './authorize';

/** What each built-in role may do, written out independently of its definition (the test's oracle). */
const EXPECTED: Record<BuiltInRoleName, (action: DataAction) => boolean> = {
  'Key Vault Administrator': () => true,
  'Key Vault Reader': (a) =>
    [A.vaultsRead, A.secretsReadMetadata, A.keysRead, A.certificatesRead, A.certificateIssuersRead, A.keysRotationPolicyRead].includes(a as never),
  'Key Vault Secrets Officer': (a) => a.includes('/secrets/') || a === A.vaultsRead,
  'Key Vault Secrets User': (a) => a === A.secretsGet || a === A.secretsReadMetadata,
  'Key Vault Crypto Officer': (a) => a.includes('/keys/') || a === A.vaultsRead,
  'Key Vault Crypto User': (a) =>
    [A.keysRead, A.keysUpdate, A.keysBackup, A.keysEncrypt, A.keysDecrypt, A.keysWrap, A.keysUnwrap, A.keysSign, A.keysVerify].includes(a as never),
  'Key Vault Crypto Service Encryption User': (a) => a === A.keysRead || a === A.keysWrap || a === A.keysUnwrap,
  'Key Vault Certificates Officer': (a) =>
    /\/(certificates|certificatecas|certificatecontacts)\//.test(a) || [A.secretsGet, A.secretsReadMetadata, A.keysRead, A.vaultsRead].includes(a as never),
  'Key Vault Certificate User': (a) => [A.certificatesRead, A.secretsGet, A.secretsReadMetadata, A.keysRead].includes(a as never),
  'Coffer Events Reader': (a) => a === 'Coffer/changes/read',
  'Coffer Audit Reader': (a) => a === 'Coffer/audit/read',
  'Coffer Lifecycle Scheduler': (a) => [A.keysRotate, A.keysPurge, A.secretsPurge, A.secretsSet, 'Coffer/lifecycle/notify/action', A.certificatesCreate, A.certificatesPurge].includes(a as never),
};

const all: Scope = { level: 'all' };
const vault: Scope = { level: 'vault', vault: 'prod' };
const object: Scope = { level: 'object', vault: 'prod', kind: 'secrets', name: 'db' };
const sibling: Scope = { level: 'object', vault: 'prod', kind: 'secrets', name: 'other' };
const otherVault: Scope = { level: 'vault', vault: 'dev' };

describe('authorize: every built-in role × action × scope', () => {
  const cases = BUILT_IN_ROLE_NAMES.flatMap((role) => ALL_DATA_ACTIONS.map((action) => [role, action] as const));
  it.each(cases)('%s → %s', (role, action) => {
    const expected = EXPECTED[role](action);
    // Assigned at each level: it covers its own scope and what lies below, nothing beside or above.
    for (const [granted, target, covers] of [
      [all, object, true], [all, vault, true], [all, all, true],
      [vault, vault, true], [vault, object, true], [vault, otherVault, false], [vault, all, false],
      [object, object, true], [object, sibling, false], [object, vault, false],
    ] as const) {
      expect({ granted: formatScope(granted), target: formatScope(target), allowed: authorize([{ role, scope: granted }], action, target).allowed }).toEqual({
        granted: formatScope(granted),
        target: formatScope(target),
        allowed: expected && covers,
      });
    }
  });
});

describe('authorize', () => {
  it('denies by default and names the missing action', () =>
    expect(authorize([], A.secretsGet, object)).toEqual({ allowed: false, missingAction: A.secretsGet }));
  it('unknown roles grant nothing', () => expect(authorize([{ role: 'Owner', scope: all }], A.secretsGet, object).allowed).toBe(false));
  it('Reader sees metadata but never values', () => {
    const reader = [{ role: 'Key Vault Reader', scope: vault }];
    expect(authorize(reader, A.secretsReadMetadata, object).allowed).toBe(true);
    expect(authorize(reader, A.secretsGet, object).allowed).toBe(false);
  });
  it('combines assignments', () => {
    const both = [{ role: 'Key Vault Secrets User', scope: object }, { role: 'Key Vault Reader', scope: vault }];
    expect(authorize(both, A.secretsGet, object).allowed).toBe(true);
    expect(authorize(both, A.secretsGet, sibling).allowed).toBe(false);
    expect(authorize(both, A.secretsReadMetadata, sibling).allowed).toBe(true);
  });
});

describe('scopes', () => {
  it.each(['/', '/vaults/prod', '/vaults/prod/secrets/db', '/vaults/prod/keys/k-1', '/vaults/prod/certificates/web'])('round-trips %s', (text) =>
    expect(formatScope(parseScope(text)!)).toBe(text));
  it.each(['', 'vaults/prod', '/vaults/p', '/vaults/prod/secrets', '/vaults/prod/widgets/x', '/vaults/prod/secrets/bad name', '/vaults/prod/secrets/db/extra'])(
    'rejects %j',
    (text) => expect(parseScope(text)).toBeUndefined(),
  );
});
