import { DomainEvent, EVENT_VERSIONS, eventShapeProblem, KeyVersionRecord, StoredCredential } from '@coffer/contracts';
import {
  absentCertificate, absentIssuer, absentKey, absentSecret, CertificateState, ContactsState, IssuerState, KeyState, NO_VAULT, noPrincipal, noRoleAssignment,
  PrincipalState, RoleAssignmentState, SecretState, VaultState,
} from '@coffer/domain';
import {
  certificateAttributesUpdated, certificateDeleted, certificateExpiryNotified, certificateImported, certificateMerged, certificateOperationCancelled,
  certificateOperationStarted, certificateParts, certificatePolicy, certificatePolicySet, certificatePurged, certificateRecovered, certificateRestored,
  certificateRevoked, certIssued, contactsDeleted, contactsSet, credentialAdded, credentialRehashed, credentialRemoved, FixtureEvent, issuerCreated, keyAttributesUpdated,
  keyDeleted, keyExpiryNotified, keyPurged, keyRecovered, keyRestored, keyRotationPolicy, keyRotationPolicySet, keyVersionAdded, keyVersionRecord,
  principalCreated, principalDisabled, principalEnabled, roleAssignmentCreated, roleAssignmentDeleted, secretAttributesUpdated, secretDeleted,
  secretExpiryNotified, secretPurged, secretRecovered, secretRestored, secretSet, vaultCreated, vaultUpdated, versionRecord,
} from '../testing/event-fixtures';
import { ProjectedReadModel } from '../testing/projected-read-model';
import { postgresBackend, sqliteBackend, TestBackend, TestDatabase } from '../testing/read-model-backends';
import { readCertificateDecisionState } from './certificate.decision-state';
import { readContactsDecisionState } from './contacts.decision-state';
import { readIssuerDecisionState } from './issuer.decision-state';
import { KeyLoadNeeds, readKeyDecisionState } from './key.decision-state';
import { readPrincipalDecisionState } from './principal.decision-state';
import { readRoleAssignmentDecisionState } from './role-assignment.decision-state';
import { readSecretDecisionState } from './secret.decision-state';
import { readVaultDecisionState } from './vault.decision-state';

/**
 * The state a decider sees is what the vault's loaders build from the read model: every event type
 * is projected here (production projectBatch) and loaded back (production decision-state reads, with
 * the loaders' fallback to the subject's last sequence when there is no row). It must equal the state
 * stated below whether the events arrive in one batch, one by one, or are replayed after a rebuild,
 * on SQLite and on PostgreSQL alike.
 */
interface Case {
  name: string;
  events: FixtureEvent[];
  /** As the loader: the read-model state, or the absent state at the subject's last sequence. */
  load(rm: ProjectedReadModel, lastSequence: number): Promise<unknown>;
  expected: unknown;
}

const V = 'v';
const A1 = 'a1'.repeat(16);
const A2 = 'a2'.repeat(16);
const EXP = '2030-01-01T00:00:00.000Z';
const dataOf = <T>(f: FixtureEvent): T => f.event.data as T;

const secretCase = (name: string, events: FixtureEvent[], version: string | false | undefined, expected: SecretState): Case => ({
  name, events, expected,
  load: async (rm, last) => (await readSecretDecisionState(rm.readModel, V, 's', version))?.state ?? absentSecret(last),
});
const keyCase = (name: string, events: FixtureEvent[], needs: KeyLoadNeeds, expected: KeyState): Case => ({
  name, events, expected,
  load: async (rm, last) => (await readKeyDecisionState(rm.readModel, V, 'k', needs))?.state ?? absentKey(last),
});
const certificateCase = (name: string, events: FixtureEvent[], version: string | false | undefined, expected: CertificateState): Case => ({
  name, events, expected,
  load: async (rm, last) => (await readCertificateDecisionState(rm.certificates, rm.readModel, V, 'c', version))?.state ?? absentCertificate(last),
});

const recordOf = (f: FixtureEvent): KeyVersionRecord => {
  const { name: _n, ...record } = dataOf<KeyVersionRecord & { name: string }>(f);
  return record;
};
/** A key version as the decider sees it: the record without its times, with the notices the row records. */
const keyVersionState = ({ created: _c, updated: _u, ...v }: KeyVersionRecord, notices = {}) => ({ ...v, notices });

function cases(): Case[] {
  // Secrets
  const s1 = secretSet(V, 's', A1, 7, { tags: { env: 'prod' } });
  const s2 = secretSet(V, 's', A2, 8, { attributes: { enabled: true, exp: EXP } });
  const secretActive = [
    s1, s2, secretAttributesUpdated(V, 's', A1, { enabled: false }, { contentType: 'text/plain', tags: { env: 'test' } }),
    secretExpiryNotified(V, 's', A2, 'NearExpiry', EXP), secretExpiryNotified(V, 's', A2, 'Expired', EXP),
  ];
  const secretGone = secretDeleted(V, 's');
  const deletion = <T>(f: FixtureEvent) => {
    const { deletedDate, scheduledPurgeDate } = dataOf<{ deletedDate: string; scheduledPurgeDate: string }>(f);
    return { deletedDate, scheduledPurgeDate } as T;
  };

  // Keys
  const k1 = keyVersionAdded('KeyCreated', V, 'k', A1);
  const policy = keyRotationPolicy();
  const k2 = keyVersionAdded('KeyRotated', V, 'k', A2, { attributes: { enabled: true, exp: EXP } });
  const keyActive = [
    k1, keyRotationPolicySet(V, 'k', policy), k2, keyAttributesUpdated(V, 'k', A1, { keyOps: ['verify'], attributes: { enabled: false }, tags: { t: '1' } }),
    keyExpiryNotified(V, 'k', A2, 'NearExpiry', EXP),
  ];
  const kImported = keyVersionAdded('KeyImported', V, 'k', A1);
  const keyGone = keyDeleted(V, 'k');
  const restoredVersions = [keyVersionRecord(V, 'k', A1), keyVersionRecord(V, 'k', A2)];

  // Certificates
  const c1 = certificateParts(V, 'c', A1, 11);
  const c2 = certificateParts(V, 'c', A2, 12, { hsmKeyId: c1.key.hsmKeyId }); // reuse_key: the same HSM key
  const issued = certIssued(V, 'c', c1);
  const otherPolicy = certificatePolicy({ lifetime_actions: [] });
  const started = certificateOperationStarted(V, 'c', A1);
  const pending = dataOf<{ pending: { key: KeyVersionRecord } }>(started).pending;
  const merged = certificateParts(V, 'c', A1, 13, { hsmKeyId: pending.key.hsmKeyId });
  const certGone = certificateDeleted(V, 'c');
  const certificateVersion = (p: typeof c1, extra: object = {}) => ({
    [p.certificate.version]: { version: p.certificate.version, attributes: p.certificate.attributes, ...extra },
  });

  // Principals
  const P = 'p-0000000000000001';
  const secretCredential: StoredCredential = { id: 'c-0000000000000001', kind: 'secret', hash: 'scrypt$x', hint: 'abc', created: EXP };
  const keyCredential: StoredCredential = { id: 'c-0000000000000002', kind: 'ed25519', publicKey: 'UKEY', created: EXP };
  const RA = 'ra-0000000000000001';

  return [
    {
      name: 'vault: created and updated', events: [vaultCreated(V, { retentionDays: 30 }), vaultUpdated(V, 7, true)],
      load: async (rm) => (await readVaultDecisionState(rm.readModel, V)) ?? NO_VAULT,
      expected: { exists: true, name: V, kekId: `kek-${V}`, retentionDays: 7, purgeProtection: true, sequence: 2 } satisfies VaultState,
    },
    secretCase('secret: the current version, noticed twice', secretActive, undefined, {
      status: 'active', sequence: 5, currentVersion: A2, deks: [8],
      versions: { [A2]: { version: A2, attributes: { enabled: true, exp: EXP }, notices: { NearExpiry: EXP, Expired: EXP } } },
    }),
    secretCase('secret: an older version, updated', secretActive, A1, {
      status: 'active', sequence: 5, currentVersion: A2, deks: [8],
      versions: { [A1]: { version: A1, attributes: { enabled: false }, contentType: 'text/plain', tags: { env: 'test' }, notices: {} } },
    }),
    secretCase('secret: deleted (every data key, no version)', [s1, s2, secretGone], false, {
      status: 'deleted', sequence: 3, currentVersion: A2, deks: [7, 8], versions: {}, ...deletion<object>(secretGone),
    }),
    secretCase('secret: recovered', [s1, secretGone, secretRecovered(V, 's')], false, { status: 'active', sequence: 3, currentVersion: A1, deks: [7], versions: {} }),
    secretCase('secret: purged (absent at the subject\'s last sequence)', [s1, secretGone, secretPurged(V, 's', [7])], false, absentSecret(3)),
    secretCase('secret: restored', [secretRestored(V, 's', [versionRecord(A1, 3), versionRecord(A2, 3, { tags: { r: '1' } })])], undefined, {
      status: 'active', sequence: 1, currentVersion: A2, deks: [3], versions: { [A2]: { version: A2, attributes: { enabled: true }, tags: { r: '1' }, notices: {} } },
    }),
    keyCase('key: current version and rotation policy', keyActive, { policy: true }, {
      status: 'active', sequence: 5, currentVersion: A2, hsmKeyIds: [], rotationPolicy: policy,
      versions: { [A2]: keyVersionState(recordOf(k2), { NearExpiry: EXP }) },
    }),
    keyCase('key: an older version, updated', keyActive, { version: A1 }, {
      status: 'active', sequence: 5, currentVersion: A2, hsmKeyIds: [],
      versions: { [A1]: keyVersionState({ ...recordOf(k1), keyOps: ['verify'], attributes: { enabled: false }, tags: { t: '1' } }) },
    }),
    keyCase('key: imported, deleted (every HSM key, no version)', [kImported, keyVersionAdded('KeyCreated', V, 'k', A2), keyGone], { version: false }, {
      status: 'deleted', sequence: 3, currentVersion: A2, hsmKeyIds: [`${V}/k/${A1}`, `${V}/k/${A2}`], versions: {}, ...deletion<object>(keyGone),
    }),
    keyCase('key: recovered', [k1, keyGone, keyRecovered(V, 'k')], { version: false }, { status: 'active', sequence: 3, currentVersion: A1, hsmKeyIds: [], versions: {} }),
    keyCase('key: purged', [k1, keyGone, keyPurged(V, 'k', [`${V}/k/${A1}`])], { version: false }, absentKey(3)),
    keyCase('key: restored with its policy', [keyRestored(V, 'k', restoredVersions, policy)], { policy: true }, {
      status: 'active', sequence: 1, currentVersion: A2, hsmKeyIds: [], rotationPolicy: policy, versions: { [A2]: keyVersionState(restoredVersions[1]!) },
    }),
    certificateCase('certificate: issued, updated, policy changed, noticed', [
      issued, certificateAttributesUpdated(V, 'c', A1, { ...c1.certificate.attributes, enabled: false }, { t: '1' }), certificatePolicySet(V, 'c', otherPolicy),
      certificateExpiryNotified(V, 'c', A1, c1.certificate.attributes.exp, ['ops@example.com']),
    ], undefined, {
      status: 'active', sequence: 4, currentVersion: A1, policy: otherPolicy, hsmKeyIds: [], deks: [],
      versions: {
        [A1]: { version: A1, attributes: { ...c1.certificate.attributes, enabled: false }, tags: { t: '1' }, notices: { NearExpiry: c1.certificate.attributes.exp } },
      },
    }),
    certificateCase('certificate: imported', [certificateImported(V, 'c', c1)], undefined, {
      status: 'active', sequence: 1, currentVersion: A1, policy: certificatePolicy(), hsmKeyIds: [], deks: [], versions: certificateVersion(c1),
    }),
    certificateCase('certificate: pending operation (its key is what a purge destroys)', [started], false, {
      status: 'active', sequence: 1, policy: certificatePolicy({ issuer: { name: 'Unknown' } }), pending: dataOf<{ pending: never }>(started).pending,
      hsmKeyIds: [pending.key.hsmKeyId], deks: [], versions: {},
    }),
    certificateCase('certificate: pending operation merged', [started, certificateMerged(V, 'c', merged)], undefined, {
      status: 'active', sequence: 2, currentVersion: A1, policy: certificatePolicy({ issuer: { name: 'Unknown' } }), hsmKeyIds: [], deks: [],
      versions: certificateVersion(merged),
    }),
    certificateCase('certificate: its only operation cancelled', [started, certificateOperationCancelled(V, 'c', [pending.key.hsmKeyId])], false, absentCertificate(2)),
    certificateCase('certificate: deleted (each HSM key once, every data key)', [issued, certIssued(V, 'c', c2), certGone], false, {
      status: 'deleted', sequence: 3, currentVersion: A2, policy: certificatePolicy(), hsmKeyIds: [c1.key.hsmKeyId], deks: [11, 12], versions: {},
      ...deletion<object>(certGone),
    }),
    certificateCase('certificate: recovered', [issued, certGone, certificateRecovered(V, 'c')], false, {
      status: 'active', sequence: 3, currentVersion: A1, policy: certificatePolicy(), hsmKeyIds: [], deks: [], versions: {},
    }),
    certificateCase('certificate: purged', [issued, certGone, certificatePurged(V, 'c', [c1.key.hsmKeyId], [11])], false, absentCertificate(3)),
    certificateCase('certificate: restored', [certificateRestored(V, 'c', [c1, c2], otherPolicy)], undefined, {
      status: 'active', sequence: 1, currentVersion: A2, policy: otherPolicy, hsmKeyIds: [], deks: [], versions: certificateVersion(c2),
    }),
    {
      name: 'issuer: created, two revocations (the one asked about is looked up)',
      events: [issuerCreated(V, 'ca'), certificateRevoked(V, 'ca', 'ab', 1), certificateRevoked(V, 'ca', 'cd', 2)],
      load: async (rm) => [await readIssuerDecisionState(rm.certificates, V, 'ca', '00AB'), await readIssuerDecisionState(rm.certificates, V, 'ca', 'ef')],
      expected: [{ exists: true, sequence: 3, crlNumber: 2, revokedSerials: ['ab'] }, { exists: true, sequence: 3, crlNumber: 2, revokedSerials: [] }] satisfies IssuerState[],
    },
    {
      name: 'issuer: none', events: [],
      load: async (rm, last) => (await readIssuerDecisionState(rm.certificates, V, 'ca')) ?? absentIssuer(last),
      expected: absentIssuer(0),
    },
    {
      name: 'contacts: set', events: [contactsSet(V, ['ops@example.com'])],
      load: async (rm, last) => (await readContactsDecisionState(rm.certificates, V)) ?? { sequence: last, contacts: [] },
      expected: { sequence: 1, contacts: [{ email: 'ops@example.com' }] } satisfies ContactsState,
    },
    {
      name: 'contacts: deleted', events: [contactsSet(V, ['ops@example.com']), contactsDeleted(V)],
      load: async (rm, last) => (await readContactsDecisionState(rm.certificates, V)) ?? { sequence: last, contacts: [] },
      expected: { sequence: 2, contacts: [] } satisfies ContactsState,
    },
    {
      name: 'principal: credentials added and removed, disabled and enabled again',
      events: [
        principalCreated(P, 'alice'), credentialAdded(P, secretCredential), credentialAdded(P, keyCredential), credentialRemoved(P, secretCredential.id),
        principalDisabled(P), principalEnabled(P),
      ],
      load: async (rm, last) => (await readPrincipalDecisionState(rm.readModel, P))?.state ?? noPrincipal(last),
      expected: {
        exists: true, id: P, name: 'alice', type: 'user', enabled: true, sequence: 6, credentials: [{ id: keyCredential.id, kind: 'ed25519', publicKey: 'UKEY' }],
      } satisfies PrincipalState,
    },
    {
      name: 'principal: an old secret hash replaced by a keyed one',
      events: [principalCreated(P, 'alice'), credentialAdded(P, secretCredential), credentialRehashed(P, secretCredential.id, 'hmac-sha256$client-secret-mac$x')],
      load: async (rm, last) => (await readPrincipalDecisionState(rm.readModel, P))?.state ?? noPrincipal(last),
      expected: {
        exists: true, id: P, name: 'alice', type: 'user', enabled: true, sequence: 3,
        credentials: [{ id: secretCredential.id, kind: 'secret', hash: 'hmac-sha256$client-secret-mac$x' }],
      } satisfies PrincipalState,
    },
    {
      name: 'principal: disabled', events: [principalCreated(P, 'alice', 'servicePrincipal'), principalDisabled(P)],
      load: async (rm, last) => (await readPrincipalDecisionState(rm.readModel, P))?.state ?? noPrincipal(last),
      expected: { exists: true, id: P, name: 'alice', type: 'servicePrincipal', enabled: false, sequence: 2, credentials: [] } satisfies PrincipalState,
    },
    {
      name: 'role assignment: created', events: [roleAssignmentCreated(RA, P, 'Key Vault Reader', '/vaults/v')],
      load: async (rm, last) => (await readRoleAssignmentDecisionState(rm.readModel, RA)) ?? noRoleAssignment(last),
      expected: { exists: true, id: RA, principalId: P, role: 'Key Vault Reader', scope: '/vaults/v', sequence: 1 } satisfies RoleAssignmentState,
    },
    {
      name: 'role assignment: deleted', events: [roleAssignmentCreated(RA, P, 'Key Vault Reader', '/vaults/v'), roleAssignmentDeleted(RA)],
      load: async (rm, last) => (await readRoleAssignmentDecisionState(rm.readModel, RA)) ?? noRoleAssignment(last),
      expected: noRoleAssignment(2),
    },
  ];
}

const CASES = cases();
/** What each backend loaded, by case and delivery; compared across backends at the end. */
const seen = new Map<TestBackend['name'], Map<string, unknown>>();

describe('event fixtures', () => {
  it('cover every event type, each in the shape the projector accepts', () => {
    const events = CASES.flatMap((c) => c.events.map((f) => f.event));
    expect([...new Set(events.map((e) => e.type))].sort()).toEqual(Object.keys(EVENT_VERSIONS).sort());
    for (const e of events) expect([e.type, eventShapeProblem(e as DomainEvent)]).toEqual([e.type, undefined]);
  });
});

for (const backend of [sqliteBackend, postgresBackend]) {
  if (!backend.available) {
    describe.skip(`decision state on ${backend.name} (not reachable: skipped)`, () => undefined);
    console.warn(`decision-state.int-spec: ${backend.name} does not answer at 127.0.0.1:5432, its cases are SKIPPED`);
    continue;
  }
  describe(`decision state on ${backend.name}`, () => {
    let db: TestDatabase;
    let rm: ProjectedReadModel;
    const results = new Map<string, unknown>();
    seen.set(backend.name, results);
    beforeAll(async () => {
      db = await backend.create();
      rm = await ProjectedReadModel.open(db.url);
    });
    afterAll(async () => {
      await rm?.close();
      await db?.drop();
    });

    const loadAfter = async (c: Case, deliver: (subject: string, events: DomainEvent[]) => Promise<unknown>) => {
      await rm.clear();
      const subject = c.events[0]?.subject ?? 'coffer.events.none';
      await deliver(subject, c.events.map((f) => f.event));
      return c.load(rm, rm.lastSequence(subject));
    };

    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const batch = await loadAfter(c, (subject, events) => rm.project(subject, events));
      const oneByOne = await loadAfter(c, (subject, events) => rm.project(subject, events, { oneByOne: true }));
      // A rebuild: the live projection is dropped and the same log replayed from sequence 1.
      const rebuilt = await loadAfter(c, async (subject, events) => {
        await rm.project(subject, events, { oneByOne: true });
        await rm.clear();
        await rm.project(subject, events);
      });
      expect(batch).toEqual(c.expected);
      expect(oneByOne).toEqual(c.expected);
      expect(rebuilt).toEqual(c.expected);
      results.set(c.name, batch);
    });
  });
}

describe('decision state across backends', () => {
  it('is identical on SQLite and PostgreSQL', () => {
    const [sqlite, postgres] = [seen.get('sqlite'), seen.get('postgres')];
    if (!postgres) {
      console.warn('decision-state.int-spec: PostgreSQL not reachable, the cross-backend comparison is SKIPPED');
      return;
    }
    expect(sqlite?.size).toBe(CASES.length);
    for (const c of CASES) expect([c.name, postgres.get(c.name)]).toStrictEqual([c.name, sqlite?.get(c.name)]);
  });
});
