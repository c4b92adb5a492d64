import { Streams } from '@coffer/contracts';
import { DataSource } from 'typeorm';
import { clearReadModel } from './clear-read-model';
import { Columns, createDataSource, RowOf, runMigrations, tableRows, TableSpec } from '@coffer/sql';
import { openReadModel } from './read-model-data-source';
import { keyRotationPoliciesTable, keysTable, keyVersionsTable } from './tables/key.tables';
import { subjectHeadsTable, voidedEventsTable } from './tables/projection.tables';
import { secretsTable, secretVersionsTable } from './tables/secret.tables';
import { vaultsTable } from './tables/vault.tables';
import { projectBatch } from './project-batch';
import { ReadModel } from './read-model.queries';
import { UnprojectableEventError } from './read-model.errors';
import {
  credentialAdded, credentialRemoved, FixtureEvent, keyAttributesUpdated, keyDeleted, keyPurged, keyRecovered, keyRestored, keyRotationPolicy,
  keyRotationPolicySet, keyVersionAdded, keyVersionRecord, principalCreated, principalDisabled, principalEnabled, roleAssignmentCreated,
  roleAssignmentDeleted, secretAttributesUpdated, secretDeleted, secretPurged, secretRecovered, secretRestored, secretSet,
  sequenced, vaultCreated, vaultUpdated, versionRecord, FIXTURE_PRINCIPAL,
} from './testing/event-fixtures';
import { describeOn, postgresBackend, sqliteBackend, TestBackend, TestDatabase } from './testing/read-model-backends';

/** The same suite on every backend: the read model must behave identically on SQLite and PostgreSQL. */
function readModelSuite(backend: TestBackend): void {
  describeOn(backend)(`read model on ${backend.name}`, () => {
    let db: TestDatabase;
    let ds: DataSource;
    let rm: ReadModel;
    let seq = 0;
    const project = (events: FixtureEvent[]) => {
      const batch = sequenced(events, seq + 1);
      seq += events.length;
      return projectBatch(ds, batch);
    };

    beforeAll(async () => {
      db = await backend.create();
      ds = await openReadModel(db.url);
      rm = new ReadModel(ds);
    });
    afterAll(async () => {
      await ds?.destroy();
      await db?.drop();
    });

    it('migrations are applied once (read-model-schema.int-spec checks they match the table specs)', async () => {
      expect(await runMigrations(ds)).toEqual([]);
    });

    it('projects vaults and secrets and reads them by key', async () => {
      const set1 = secretSet('v1', 'db-password', 'a1', 7, { contentType: 'text/plain', tags: { env: 'prod' }, requestId: 'req-set-1' });
      const r = await project([vaultCreated('v1', { requestId: 'req-vault' }), set1, secretSet('v1', 'db-password', 'a2', 8, { attributes: { enabled: true, exp: '2030-01-01T00:00:00.000Z' } })]);
      expect(r).toEqual({ checkpoint: seq, applied: 3, voided: 0, skipped: 0 });

      expect(await rm.getVault('v1')).toEqual(({
        name: 'v1', kekId: 'kek-v1', retentionDays: 90, purgeProtection: false,
        created: expect.any(String), updated: expect.any(String), sequence: seq - 2,
      }));
      const secret = await rm.getSecret('v1', 'db-password');
      expect(secret).toMatchObject({ status: 'active', currentVersion: 'a2', sequence: seq, dek: 8, versionCount: 2, deletedDate: null, recoveryId: null });
      const v1 = await rm.getSecretVersion('v1', 'db-password', 'a1');
      expect(v1).toMatchObject({ ordinal: 1, dek: 7, enabled: true, nbf: null, exp: null, contentType: 'text/plain' });
      expect(JSON.parse(v1!.tags!)).toEqual({ env: 'prod' });
      expect(JSON.parse(v1!.value)).toEqual((set1.event.data as { value: unknown }).value);
      expect(await rm.getSecretVersion('v1', 'db-password', 'a2')).toMatchObject({ ordinal: 2, exp: '2030-01-01T00:00:00.000Z', tags: null });
      expect(typeof secret!.sequence).toBe('number');
      expect(await rm.checkpoint()).toBe(seq);
      expect(await rm.findAppliedRequests(FIXTURE_PRINCIPAL, 'req-set-1')).toEqual([{
        principalId: FIXTURE_PRINCIPAL, requestId: 'req-set-1', sequence: seq - 1, subject: 'coffer.events.v1.secret.db-password',
        requestHash: 'hash-req-set-1', occurredAt: Date.parse(set1.event.metadata.occurredAt),
      }]);
      expect(await rm.findAppliedRequests(FIXTURE_PRINCIPAL, 'nope')).toEqual([]);
      expect(await rm.findAppliedRequests('p-other', 'req-set-1')).toEqual([]);
      expect(await rm.secretDeks('v1', 'db-password')).toEqual([7, 8]);
    });

    it('skips an already applied batch (redelivery changes nothing)', async () => {
      const before = await tableRows(ds, secretVersionsTable, { orderBy: ['version'] });
      const batch = sequenced([secretSet('v1', 'db-password', 'a2', 8)], seq);
      expect(await projectBatch(ds, batch)).toEqual({ checkpoint: seq, applied: 0, voided: 0, skipped: 1 });
      expect(await tableRows(ds, secretVersionsTable, { orderBy: ['version'] })).toEqual(before);
    });

    it('keeps the latest event of a request id on one object (the same key twice only happens past the horizon)', async () => {
      await project([vaultUpdated('v1', 30, true)]);
      const dup = vaultUpdated('v1', 31, true);
      dup.event.metadata.requestId = 'req-vault';
      await project([dup]);
      expect(await rm.findAppliedRequests(FIXTURE_PRINCIPAL, 'req-vault')).toMatchObject([{ sequence: seq }]);
      expect(await rm.getVault('v1')).toMatchObject({ retentionDays: 31, purgeProtection: true, sequence: seq });
    });

    it('updates attributes of one version', async () => {
      await project([secretAttributesUpdated('v1', 'db-password', 'a1', { enabled: false, nbf: '2025-06-01T00:00:00.000Z' }, { contentType: 'application/json' })]);
      expect(await rm.getSecretVersion('v1', 'db-password', 'a1')).toMatchObject({ enabled: false, nbf: '2025-06-01T00:00:00.000Z', contentType: 'application/json', tags: null });
      expect(await rm.getSecret('v1', 'db-password')).toMatchObject({ sequence: seq, currentVersion: 'a2' });
    });

    it('pages secrets by status and versions by ordinal', async () => {
      const names = ['s-01', 's-02', 's-03', 's-04', 's-05'];
      await project([vaultCreated('v2'), ...names.map((n, i) => secretSet('v2', n, `x${i}`, 100 + i)), secretDeleted('v2', 's-02'), secretDeleted('v2', 's-04')]);
      const p1 = await rm.listSecrets('v2', 'active', undefined, 2);
      expect(p1.rows.map((r) => r.name)).toEqual(['s-01', 's-03']);
      expect(p1.hasMore).toBe(true);
      const p2 = await rm.listSecrets('v2', 'active', 's-03', 2);
      expect(p2).toMatchObject({ rows: [{ name: 's-05' }], hasMore: false });
      const deleted = await rm.listSecrets('v2', 'deleted', undefined, 10);
      expect(deleted.rows.map((r) => [r.name, r.status, r.recoveryId])).toEqual([['s-02', 'deleted', 'recovery-s-02'], ['s-04', 'deleted', 'recovery-s-04']]);
      expect(deleted.rows[0]!.scheduledPurgeDate).toEqual(expect.any(String));

      await project(['b', 'c', 'd', 'e'].map((v) => secretSet('v2', 's-01', v, 200)));
      const versions = await rm.listVersions('v2', 's-01', undefined, 3);
      expect(versions.rows.map((v) => [v.version, v.ordinal])).toEqual([['x0', 1], ['b', 2], ['c', 3]]);
      expect(versions.hasMore).toBe(true);
      expect((await rm.listVersions('v2', 's-01', 3, 3)).rows.map((v) => v.version)).toEqual(['d', 'e']);
      expect(await rm.secretDeks('v2', 's-01')).toEqual([100, 200]);

      const vaults = await rm.listVaults(undefined, 1);
      expect(vaults).toMatchObject({ rows: [{ name: 'v1' }], hasMore: true });
      expect(await rm.listVaults('v1', 1)).toMatchObject({ rows: [{ name: 'v2' }], hasMore: false });
    });

    it('returns rows typed as their table specs say (booleans, bigints and nulls survive the raw SQL path)', async () => {
      const typed = <C extends Columns>(spec: TableSpec<C>, row: RowOf<C> | null) => {
        const family = { varchar: 'string', text: 'string', integer: 'number', bigint: 'number', boolean: 'boolean' } as const;
        return Object.fromEntries(spec.columnNames.map((c) => {
          const value = row![c] as unknown;
          return [c, value === null && spec.columns[c]!.isNullable ? 'null' : typeof value === family[spec.columns[c]!.type] ? 'ok' : typeof value];
        }));
      };
      const allOk = <C extends Columns>(spec: TableSpec<C>) => Object.fromEntries(spec.columnNames.map((c) => [c, expect.stringMatching(/^(ok|null)$/)]));
      expect(typed(vaultsTable, await rm.getVault('v1'))).toEqual(allOk(vaultsTable));
      expect(typed(secretsTable, await rm.getSecret('v2', 's-02'))).toEqual(allOk(secretsTable));
      expect(typed(secretVersionsTable, await rm.getSecretVersion('v1', 'db-password', 'a1'))).toEqual(allOk(secretVersionsTable));
      expect((await rm.listVersions('v2', 's-01', undefined, 10)).rows).toEqual(
        await tableRows(ds, secretVersionsTable, { where: { vault: 'v2', name: 's-01' }, orderBy: ['ordinal'] }),
      );
    });

    it('recovers a deleted secret', async () => {
      await project([secretRecovered('v2', 's-02')]);
      expect(await rm.getSecret('v2', 's-02')).toMatchObject({ status: 'active', deletedDate: null, scheduledPurgeDate: null, recoveryId: null, sequence: seq });
    });

    it('purge removes the object and a reused name starts a fresh object', async () => {
      await project([secretPurged('v2', 's-04', [103])]);
      expect(await rm.getSecret('v2', 's-04')).toBeNull();
      expect(await rm.getSecretVersion('v2', 's-04', 'x3')).toBeNull();
      expect(await tableRows(ds, secretVersionsTable, { where: { vault: 'v2', name: 's-04' } })).toEqual([]);
      await project([secretSet('v2', 's-04', 'fresh', 300)]);
      expect(await rm.getSecret('v2', 's-04')).toMatchObject({ versionCount: 1, currentVersion: 'fresh', dek: 300, status: 'active' });
      expect(await rm.getSecretVersion('v2', 's-04', 'fresh')).toMatchObject({ ordinal: 1 });
      expect(await rm.getSecretVersion('v2', 's-04', 'x3')).toBeNull();
    });

    it('restores an object with all its versions in order', async () => {
      const versions = [versionRecord('r1', 400), versionRecord('r2', 400, { tags: { k: 'v' } }), versionRecord('r3', 401)];
      await project([secretRestored('v2', 'restored', versions)]);
      expect(await rm.getSecret('v2', 'restored')).toMatchObject({ status: 'active', currentVersion: 'r3', dek: 401, versionCount: 3, created: versions[0]!.created });
      expect((await rm.listVersions('v2', 'restored', undefined, 10)).rows.map((v) => [v.version, v.ordinal])).toEqual([['r1', 1], ['r2', 2], ['r3', 3]]);
      await project([secretSet('v2', 'restored', 'r4', 402)]);
      expect(await rm.getSecretVersion('v2', 'restored', 'r4')).toMatchObject({ ordinal: 4 });
    });

    it('rolls back the whole batch when an event cannot be projected', async () => {
      const before = await rm.checkpoint();
      const bad = secretSet('v2', 'other-name', 'z', 1);
      bad.subject = 'coffer.events.v2.secret.not-the-same';
      const err = await project([secretSet('v2', 'good', 'g1', 1), bad]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnprojectableEventError);
      expect(err).toMatchObject({ sequence: before + 2 });
      expect(await rm.checkpoint()).toBe(before);
      expect(await rm.getSecret('v2', 'good')).toBeNull();
      seq = before;
    });

    it('projects principals, credentials and role assignments and queries them', async () => {
      const P1 = 'p-00000000000000a1', P2 = 'p-00000000000000a2';
      await project([
        principalCreated(P1, 'alice'), principalCreated(P2, 'build-bot', 'servicePrincipal'),
        credentialAdded(P1, { id: 'c-0000000000000001', kind: 'secret', hash: 'scrypt$x', hint: 'ab', created: '2026-01-01T00:00:00.000Z' }),
        credentialAdded(P1, { id: 'c-0000000000000002', kind: 'ed25519', publicKey: 'UKEY', created: '2026-01-02T00:00:00.000Z', expires: '2027-01-01T00:00:00.000Z' }),
        roleAssignmentCreated('ra-0000000000000001', P1, 'Key Vault Reader', '/'),
        roleAssignmentCreated('ra-0000000000000002', P1, 'Key Vault Secrets User', '/vaults/v1'),
        roleAssignmentCreated('ra-0000000000000003', P2, 'Key Vault Secrets User', '/vaults/v1'),
      ]);
      expect(await rm.getPrincipal(P1)).toEqual({ id: P1, name: 'alice', type: 'user', enabled: true, created: expect.any(String), sequence: seq - 3, revokedBefore: null });
      expect(await rm.getPrincipalByName('build-bot')).toMatchObject({ id: P2, type: 'servicePrincipal' });
      expect(await rm.getPrincipalByName('nobody')).toBeNull();
      expect(await rm.countPrincipals()).toBe(2);
      expect(await rm.credentialsOf(P1)).toEqual([
        { id: 'c-0000000000000001', principalId: P1, kind: 'secret', hash: 'scrypt$x', publicKey: null, hint: 'ab', created: '2026-01-01T00:00:00.000Z', expires: null },
        { id: 'c-0000000000000002', principalId: P1, kind: 'ed25519', hash: null, publicKey: 'UKEY', hint: null, created: '2026-01-02T00:00:00.000Z', expires: '2027-01-01T00:00:00.000Z' },
      ]);
      const first = await rm.listPrincipals(undefined, 1);
      expect(first).toMatchObject({ rows: [{ name: 'alice' }], hasMore: true });
      expect(await rm.listPrincipals('alice', 1)).toMatchObject({ rows: [{ name: 'build-bot' }], hasMore: false });
      expect((await rm.assignmentsOf(P1)).map((a) => a.role)).toEqual(['Key Vault Reader', 'Key Vault Secrets User']);
      expect(await rm.getRoleAssignment('ra-0000000000000003')).toEqual({
        id: 'ra-0000000000000003', principalId: P2, role: 'Key Vault Secrets User', scope: '/vaults/v1', created: expect.any(String), sequence: seq,
      });
      expect((await rm.listRoleAssignments({}, undefined, 25)).rows.map((r) => r.id)).toEqual(['ra-0000000000000001', 'ra-0000000000000002', 'ra-0000000000000003']);
      expect((await rm.listRoleAssignments({ scope: '/vaults/v1' }, undefined, 1))).toMatchObject({ rows: [{ id: 'ra-0000000000000002' }], hasMore: true });
      expect((await rm.listRoleAssignments({ scope: '/vaults/v1' }, 'ra-0000000000000002', 1))).toMatchObject({ rows: [{ id: 'ra-0000000000000003' }], hasMore: false });
      expect((await rm.listRoleAssignments({ principalId: P2, scope: '/vaults/v1' }, undefined, 5)).rows.map((r) => r.id)).toEqual(['ra-0000000000000003']);

      await project([principalDisabled(P1), credentialRemoved(P1, 'c-0000000000000001'), roleAssignmentDeleted('ra-0000000000000001')]);
      const disabled = await rm.getPrincipal(P1);
      expect(disabled).toMatchObject({ enabled: false, revokedBefore: expect.any(String), sequence: seq - 1 });
      expect((await rm.credentialsOf(P1)).map((c) => c.id)).toEqual(['c-0000000000000002']);
      expect(await rm.getRoleAssignment('ra-0000000000000001')).toBeNull();
      await project([principalEnabled(P1)]);
      expect(await rm.getPrincipal(P1)).toMatchObject({ enabled: true, revokedBefore: disabled!.revokedBefore === null ? null : expect.any(String) });
    });

    describe('keys', () => {
      const V = (c: string) => c.repeat(32);
      it('projects created, imported and rotated versions; reads heads, versions and pages', async () => {
        await project([
          vaultCreated('kv'),
          keyVersionAdded('KeyCreated', 'kv', 'sign', V('1'), { tags: { team: 'a' }, requestId: 'req-key-1' }),
          keyVersionAdded('KeyRotated', 'kv', 'sign', V('2'), { attributes: { enabled: true, exp: '2030-01-01T00:00:00.000Z' } }),
          keyVersionAdded('KeyImported', 'kv', 'wrap', V('3'), {
            kty: 'RSA-HSM', keySize: 2048, crv: undefined, keyOps: ['wrapKey', 'unwrapKey'], publicKey: { kty: 'RSA', n: 'bg', e: 'AQAB' },
          }),
          keyVersionAdded('KeyCreated', 'kv', 'aes', V('4'), { kty: 'oct-HSM', keySize: 256, crv: undefined, keyOps: ['encrypt'], publicKey: { kty: 'oct' } }),
        ]);
        expect(await rm.getKey('kv', 'sign')).toEqual({
          vault: 'kv', name: 'sign', status: 'active', currentVersion: V('2'), sequence: seq - 2, versionCount: 2, created: expect.any(String),
          updated: expect.any(String), deletedDate: null, scheduledPurgeDate: null, recoveryId: null, managedBy: null,
        });
        const v1 = await rm.getKeyVersion('kv', 'sign', V('1'));
        expect(v1).toMatchObject({ ordinal: 1, hsmKeyId: `kv/sign/${V('1')}`, kty: 'EC-HSM', crv: 'P-256', keySize: null, enabled: true, exp: null });
        expect(JSON.parse(v1!.keyOps)).toEqual(['sign', 'verify']);
        expect(JSON.parse(v1!.publicKey)).toMatchObject({ kty: 'EC', crv: 'P-256' });
        expect(JSON.parse(v1!.tags!)).toEqual({ team: 'a' });
        expect(await rm.getKeyVersion('kv', 'sign', V('2'))).toMatchObject({ ordinal: 2, exp: '2030-01-01T00:00:00.000Z' });
        expect(await rm.getKeyVersion('kv', 'wrap', V('3'))).toMatchObject({ kty: 'RSA-HSM', keySize: 2048, crv: null });
        expect(await rm.findAppliedRequests(FIXTURE_PRINCIPAL, 'req-key-1')).toMatchObject([{ subject: 'coffer.events.kv.key.sign' }]);
        expect(await rm.keyHsmKeyIds('kv', 'sign')).toEqual([`kv/sign/${V('1')}`, `kv/sign/${V('2')}`]);
        expect(await rm.getSecret('kv', 'sign')).toBeNull();

        const p1 = await rm.listKeys('kv', 'active', undefined, 2);
        expect(p1).toMatchObject({ rows: [{ name: 'aes' }, { name: 'sign' }], hasMore: true });
        expect(await rm.listKeys('kv', 'active', 'sign', 2)).toMatchObject({ rows: [{ name: 'wrap' }], hasMore: false });
        const versions = await rm.listKeyVersions('kv', 'sign', undefined, 1);
        expect(versions).toMatchObject({ rows: [{ version: V('1') }], hasMore: true });
        expect(await rm.listKeyVersions('kv', 'sign', 1, 1)).toMatchObject({ rows: [{ version: V('2') }], hasMore: false });
      });

      it('updates attributes and key_ops of one version', async () => {
        await project([keyAttributesUpdated('kv', 'sign', V('1'), { keyOps: ['verify'], attributes: { enabled: false, nbf: '2026-01-01T00:00:00.000Z' }, tags: { x: 'y' } })]);
        const v1 = await rm.getKeyVersion('kv', 'sign', V('1'));
        expect(v1).toMatchObject({ enabled: false, nbf: '2026-01-01T00:00:00.000Z', exp: null });
        expect(JSON.parse(v1!.keyOps)).toEqual(['verify']);
        expect(JSON.parse(v1!.tags!)).toEqual({ x: 'y' });
        expect(await rm.getKey('kv', 'sign')).toMatchObject({ sequence: seq, currentVersion: V('2') });
      });

      it('stores the rotation policy, deletes, recovers and purges (policy included)', async () => {
        const policy = keyRotationPolicy();
        await project([keyRotationPolicySet('kv', 'sign', policy)]);
        expect(await rm.getKeyRotationPolicy('kv', 'sign')).toEqual({
          vault: 'kv', name: 'sign', lifetimeActions: JSON.stringify(policy.lifetimeActions), expiryTime: 'P1Y', created: policy.created, updated: policy.updated,
        });
        expect((await rm.getKey('kv', 'sign'))!.sequence).toBe(seq);
        await project([keyDeleted('kv', 'sign'), keyDeleted('kv', 'aes')]);
        expect(await rm.getKey('kv', 'sign')).toMatchObject({ status: 'deleted', recoveryId: 'recovery-sign', scheduledPurgeDate: expect.any(String) });
        expect((await rm.listKeys('kv', 'deleted', undefined, 10)).rows.map((k) => k.name)).toEqual(['aes', 'sign']);
        await project([keyRecovered('kv', 'aes')]);
        expect(await rm.getKey('kv', 'aes')).toMatchObject({ status: 'active', deletedDate: null, recoveryId: null });
        await project([keyPurged('kv', 'sign', [`kv/sign/${V('1')}`, `kv/sign/${V('2')}`])]);
        expect(await rm.getKey('kv', 'sign')).toBeNull();
        expect(await rm.getKeyRotationPolicy('kv', 'sign')).toBeNull();
        expect(await tableRows(ds, keyVersionsTable, { where: { vault: 'kv', name: 'sign' } })).toEqual([]);
        await project([keyVersionAdded('KeyCreated', 'kv', 'sign', V('5'))]);
        expect(await rm.getKey('kv', 'sign')).toMatchObject({ versionCount: 1, currentVersion: V('5') });
        expect(await rm.getKeyVersion('kv', 'sign', V('5'))).toMatchObject({ ordinal: 1 });
      });

      it('restores every version in order with the policy, replacing whatever was there', async () => {
        const versions = [keyVersionRecord('kv', 'back', V('6')), keyVersionRecord('kv', 'back', V('7'), { hsmKeyId: `kv/back/${V('e')}` })];
        await project([keyRestored('kv', 'back', versions, keyRotationPolicy({ expiryTime: undefined }))]);
        expect(await rm.getKey('kv', 'back')).toMatchObject({ status: 'active', currentVersion: V('7'), versionCount: 2, created: versions[0]!.created });
        expect((await rm.listKeyVersions('kv', 'back', undefined, 10)).rows.map((v) => [v.version, v.ordinal, v.hsmKeyId]))
          .toEqual([[V('6'), 1, `kv/back/${V('6')}`], [V('7'), 2, `kv/back/${V('e')}`]]);
        expect(await rm.getKeyRotationPolicy('kv', 'back')).toMatchObject({ expiryTime: null });
        await project([keyVersionAdded('KeyRotated', 'kv', 'back', V('8'))]);
        expect(await rm.getKeyVersion('kv', 'back', V('8'))).toMatchObject({ ordinal: 3 });
      });

      it('returns key rows as the table holds them and skips a redelivered batch', async () => {
        expect([await rm.getKey('kv', 'wrap')]).toEqual(await tableRows(ds, keysTable, { where: { vault: 'kv', name: 'wrap' } }));
        expect([await rm.getKeyVersion('kv', 'wrap', V('3'))]).toEqual(await tableRows(ds, keyVersionsTable, { where: { vault: 'kv', name: 'wrap', version: V('3') } }));
        expect([await rm.getKeyRotationPolicy('kv', 'back')]).toEqual(await tableRows(ds, keyRotationPoliciesTable, { where: { vault: 'kv', name: 'back' } }));
        const before = await tableRows(ds, keyVersionsTable, { orderBy: ['version'] });
        expect(await projectBatch(ds, sequenced([keyVersionAdded('KeyRotated', 'kv', 'back', V('9'))], seq))).toMatchObject({ applied: 0, skipped: 1 });
        expect(await tableRows(ds, keyVersionsTable, { orderBy: ['version'] })).toEqual(before);
      });

      it('rejects a key event on a foreign subject', async () => {
        const bad = keyVersionAdded('KeyCreated', 'kv', 'x', V('a'));
        bad.subject = Streams.events.secret('kv', 'x');
        const before = seq;
        await expect(project([bad])).rejects.toBeInstanceOf(UnprojectableEventError);
        seq = before;
      });

      it('a rebuild from the same events equals the live projection', async () => {
        const events = [
          vaultCreated('rb'), keyVersionAdded('KeyCreated', 'rb', 'a', V('1')), keyVersionAdded('KeyRotated', 'rb', 'a', V('2')),
          keyAttributesUpdated('rb', 'a', V('1')), keyRotationPolicySet('rb', 'a'), keyVersionAdded('KeyImported', 'rb', 'b', V('3')),
          keyDeleted('rb', 'b'), keyPurged('rb', 'b', [`rb/b/${V('3')}`]), keyRestored('rb', 'b', [keyVersionRecord('rb', 'b', V('3'))]),
        ];
        const dump = async (d: DataSource) => ({
          keys: await tableRows(d, keysTable, { where: { vault: 'rb' }, orderBy: ['name'] }),
          versions: await tableRows(d, keyVersionsTable, { where: { vault: 'rb' }, orderBy: ['name', 'ordinal'] }),
          policies: await tableRows(d, keyRotationPoliciesTable, { where: { vault: 'rb' }, orderBy: ['name'] }),
        });
        const liveFirst = seq + 1;
        await project(events.slice(0, 4));
        await project(events.slice(4));
        const live = await dump(ds);
        const other = await backend.create();
        const rebuilt = await openReadModel(other.url);
        try {
          await projectBatch(rebuilt, sequenced(events, liveFirst));
          expect(await dump(rebuilt)).toEqual(live);
          expect(live.keys.map((k) => k.name)).toEqual(['a', 'b']);
        } finally {
          await rebuilt.destroy();
          await other.drop();
        }
      });
    });

    describe('check-and-set in the log (an append the server should have refused)', () => {
      /** An event decided against `expected` (what CommandRunner records). */
      const against = (e: FixtureEvent, expected: number): FixtureEvent => {
        e.event.metadata.expectedSequence = expected;
        return e;
      };

      it('voids the second of two events decided against the same sequence, and a rebuild voids the same', async () => {
        const first = seq + 1;
        const subject = Streams.events.secret('cas', 'c');
        const events = [
          vaultCreated('cas'),
          against(secretSet('cas', 'c', 'x1', 1), 0),
          against(secretSet('cas', 'c', 'x2', 2, { requestId: 'req-winner' }), first + 1),
          against(secretSet('cas', 'c', 'x3', 3, { requestId: 'req-loser' }), first + 1), // the same expectation: voided
          against(secretSet('cas', 'c', 'x4', 4), first + 3), // decided against the voided event (the head): applied
          secretSet('cas', 'c', 'x5', 5), // no expectation recorded (an older event): applied
        ];
        expect(await project(events.slice(0, 4))).toMatchObject({ applied: 3, voided: 1 });
        expect(await rm.isVoided(first + 3)).toBe(true);
        expect(await rm.isVoided(first + 2)).toBe(false);
        expect(await rm.subjectHead(subject)).toBe(first + 3);
        expect(await rm.getSecret('cas', 'c')).toMatchObject({ currentVersion: 'x2', sequence: first + 2, versionCount: 2 });
        expect(await rm.getSecretVersion('cas', 'c', 'x3')).toBeNull();
        expect(await rm.findAppliedRequests(FIXTURE_PRINCIPAL, 'req-loser')).toEqual([]);
        expect(await rm.findAppliedRequests(FIXTURE_PRINCIPAL, 'req-winner')).toHaveLength(1);
        expect(await project(events.slice(4))).toMatchObject({ applied: 2, voided: 0 });
        expect(await rm.getSecret('cas', 'c')).toMatchObject({ currentVersion: 'x5', versionCount: 4 });
        expect(await rm.voidedBetween(first, seq)).toEqual(new Set([first + 3]));

        const dump = async (d: DataSource) => ({
          secret: await new ReadModel(d).getSecret('cas', 'c'),
          versions: await tableRows(d, secretVersionsTable, { where: { vault: 'cas' }, orderBy: ['ordinal'] }),
          voided: [...(await new ReadModel(d).voidedBetween(0, Number.MAX_SAFE_INTEGER))],
        });
        const other = await backend.create();
        const rebuilt = await openReadModel(other.url);
        try {
          await projectBatch(rebuilt, sequenced(events, first));
          expect(await dump(rebuilt)).toEqual(await dump(ds));
        } finally {
          await rebuilt.destroy();
          await other.drop();
        }
      });

      it('accepts the first checked event on a subject whose history predates the check (no head row)', async () => {
        const e = against(secretSet('cas', 'legacy', 'l1', 1), 12_345);
        expect(await project([e])).toMatchObject({ applied: 1, voided: 0 });
        expect(await rm.subjectHead(Streams.events.secret('cas', 'legacy'))).toBe(seq);
      });
    });

    it('clears every table for a rebuild', async () => {
      await clearReadModel(ds);
      expect(await rm.checkpoint()).toBe(0);
      expect(await tableRows(ds, secretsTable)).toEqual([]);
      expect(await tableRows(ds, vaultsTable)).toEqual([]);
      expect(await tableRows(ds, keysTable)).toEqual([]);
      expect(await tableRows(ds, keyVersionsTable)).toEqual([]);
      expect(await tableRows(ds, keyRotationPoliciesTable)).toEqual([]);
      expect(await rm.listVaults(undefined, 10)).toEqual({ rows: [], hasMore: false });
      expect(await tableRows(ds, subjectHeadsTable)).toEqual([]); // every projected event had written one
      expect(await tableRows(ds, voidedEventsTable)).toEqual([]);
    });
  });
}

readModelSuite(sqliteBackend);
readModelSuite(postgresBackend);

describe('SQLite concurrency (WAL)', () => {
  let db: TestDatabase;
  let writer: DataSource;
  let reader: DataSource;
  beforeAll(async () => {
    db = await sqliteBackend.create();
    writer = await openReadModel(db.url);
    reader = createDataSource(db.url, { sqliteBusyTimeoutMs: 200 });
    await reader.initialize();
  });
  afterAll(async () => {
    await reader?.destroy();
    await writer?.destroy();
    await db?.drop();
  });

  it('uses WAL and lets a reader read while a write transaction is open', async () => {
    expect(await writer.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await writer.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
    await projectBatch(writer, sequenced([vaultCreated('w1')]));
    const qr = writer.createQueryRunner();
    await qr.startTransaction();
    await qr.query('UPDATE "vaults" SET "retentionDays" = ? WHERE "name" = ?', [7, 'w1']);
    // The uncommitted write is invisible and does not block the other connection.
    expect(await new ReadModel(reader).getVault('w1')).toMatchObject({ retentionDays: 90 });
    await qr.commitTransaction();
    await qr.release();
    expect(await new ReadModel(reader).getVault('w1')).toMatchObject({ retentionDays: 7 });
  });
});
