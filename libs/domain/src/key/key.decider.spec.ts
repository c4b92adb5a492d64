import { ErrorCodes, InnerErrorCodes, KeyEvent, KeyVersionRecord } from '@coffer/contracts';
import { deciderScenarios, keyDecider } from '@coffer/read-model/testing';
import { NewEvent } from '../new-event';
import { KeyCommand, NewKeyVersion } from './key.commands';
import { DAY_MS } from '../lifecycle/due-times';

const now = new Date('2026-01-01T00:00:00.000Z');
const later = new Date('2026-01-02T00:00:00.000Z');
const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const V3 = 'c'.repeat(32);
const hsm = (v: string) => `v/k/${v}`;
const ecPublic = { kty: 'EC' as const, crv: 'P-256' as const, x: 'eA', y: 'eQ' };

const { given } = deciderScenarios(keyDecider('k'));

const record = (version = V1, extra: Partial<KeyVersionRecord> = {}): KeyVersionRecord => ({
  version, hsmKeyId: hsm(version), kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign', 'verify'], publicKey: ecPublic,
  attributes: { enabled: true }, created: now.toISOString(), updated: now.toISOString(), ...extra,
});
const created = (version = V1, extra: Partial<KeyVersionRecord> = {}): NewEvent<KeyEvent> =>
  ({ type: 'KeyCreated', version: 1, data: { name: 'k', ...record(version, extra) } });
const deleted: NewEvent<KeyEvent> = {
  type: 'KeyDeleted', version: 1,
  data: { name: 'k', deletedDate: now.toISOString(), scheduledPurgeDate: later.toISOString(), recoveryId: 'coffer://v/deletedkeys/k' },
};
const newKey = (version = V2, extra: Partial<NewKeyVersion> = {}): NewKeyVersion => ({
  version, hsmKeyId: hsm(version), kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign', 'verify'], publicKey: ecPublic, attributes: { enabled: true }, ...extra,
});
const create = (extra: Partial<NewKeyVersion> = {}): KeyCommand => ({ type: 'CreateKey', name: 'k', key: newKey(V2, extra), now });
const policySet = (expiryTime?: string): NewEvent<KeyEvent> => ({
  type: 'KeyRotationPolicySet', version: 1,
  data: { name: 'k', lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Rotate' } }], ...(expiryTime && { expiryTime }), created: now.toISOString(), updated: now.toISOString() },
});

describe('key decider', () => {
  describe('CreateKey / ImportKey', () => {
    it('creates the first version, carrying the public half and the HSM id but no private material', () =>
      given().when(create()).then([{
        type: 'KeyCreated',
        data: { name: 'k', version: V2, hsmKeyId: hsm(V2), kty: 'EC-HSM', crv: 'P-256', publicKey: ecPublic, created: now.toISOString() },
      }]));
    it('adds a version to an existing key (as Azure create does)', () => given(created()).when(create()).then([{ type: 'KeyCreated', data: { version: V2 } }]));
    it('imports as KeyImported', () => given().when({ type: 'ImportKey', name: 'k', key: newKey(), now }).then([{ type: 'KeyImported' }]));
    it('refuses a name that is deleted but recoverable', () =>
      given(created(), deleted).when(create()).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
    it('refuses key_ops the family cannot perform', () =>
      given().when(create({ keyOps: ['encrypt'] })).thenFails(ErrorCodes.BadParameter, InnerErrorCodes.InvalidKeyParameters));
    it('starts afresh after a purge', () =>
      given(created(), deleted, { type: 'KeyPurged', version: 1, data: { name: 'k', purged: now.toISOString(), destroyedHsmKeys: [hsm(V1)] } })
        .when(create()).then([{ type: 'KeyCreated' }]));
  });

  describe('RotateKey', () => {
    const rotate: KeyCommand = { type: 'RotateKey', name: 'k', version: V3, hsmKeyId: hsm(V3), publicKey: { ...ecPublic, x: 'bmV3' }, now };
    it('makes a new version like the current one, enabled, with the current key_ops and tags', () =>
      given(created(V1, { keyOps: ['sign'], tags: { t: '1' }, attributes: { enabled: false, exp: '2020-01-01T00:00:00.000Z' } })).when(rotate).then([{
        type: 'KeyRotated',
        data: { version: V3, hsmKeyId: hsm(V3), kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign'], tags: { t: '1' }, attributes: { enabled: true }, publicKey: { x: 'bmV3' } },
      }]));
    it('sets exp from the rotation policy expiryTime', () =>
      given(created(), policySet('P2D')).when(rotate).then([{ data: { attributes: { enabled: true, exp: '2026-01-03T00:00:00.000Z' } } }]));
    it('refuses an unknown key', () => given().when(rotate).thenFails(ErrorCodes.KeyNotFound));
    it('refuses a deleted key', () => given(created(), deleted).when(rotate).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
  });

  describe('UpdateKeyAttributes', () => {
    const update = (extra: object = {}) => ({ type: 'UpdateKeyAttributes', name: 'k', now: later, ...extra }) as KeyCommand;
    it('merges attributes into the current version and keeps key_ops and tags', () =>
      given(created(V1, { tags: { a: 'b' } })).when(update({ attributes: { enabled: false } })).then([{
        type: 'KeyAttributesUpdated',
        data: { version: V1, keyOps: ['sign', 'verify'], attributes: { enabled: false }, tags: { a: 'b' }, updated: later.toISOString() },
      }]));
    it('changes key_ops of a named version', () =>
      given(created(), created(V2)).when(update({ version: V1, keyOps: ['verify'] })).then([{ data: { version: V1, keyOps: ['verify'] } }]));
    it('refuses key_ops the family cannot perform', () =>
      given(created()).when(update({ keyOps: ['wrapKey'] })).thenFails(ErrorCodes.BadParameter, InnerErrorCodes.InvalidKeyParameters));
    it('refuses an unknown version', () => given(created()).when(update({ version: V2 })).thenFails(ErrorCodes.KeyNotFound));
    it('refuses an unknown key', () => given().when(update()).thenFails(ErrorCodes.KeyNotFound));
    it('refuses a deleted key', () => given(created(), deleted).when(update()).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
    it('accepts ifMatch equal to the current version or the sequence', async () => {
      await given(created(), created(V2)).when(update({ ifMatch: V2 })).then([{ type: 'KeyAttributesUpdated' }]);
      await given(created(), created(V2)).when(update({ ifMatch: '2' })).then([{ type: 'KeyAttributesUpdated' }]);
    });
    it('refuses a stale ifMatch', async () => {
      await given(created(), created(V2)).when(update({ ifMatch: V1 })).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch);
      await given(created(), created(V2)).when(update({ ifMatch: '1' })).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch);
    });
  });

  describe('DeleteKey / RecoverKey', () => {
    const del = { type: 'DeleteKey', name: 'k', retentionDays: 7, recoveryId: 'rid', now } as KeyCommand;
    it('soft-deletes with a scheduled purge date retentionDays ahead', () =>
      given(created()).when(del).then([{ type: 'KeyDeleted', data: { deletedDate: now.toISOString(), scheduledPurgeDate: '2026-01-08T00:00:00.000Z', recoveryId: 'rid' } }]));
    it('refuses to delete what is not there', () => given().when(del).thenFails(ErrorCodes.KeyNotFound));
    it('refuses to delete twice', () => given(created(), deleted).when(del).thenFails(ErrorCodes.KeyNotFound));
    it('recovers a deleted key', () => given(created(), deleted).when({ type: 'RecoverKey', name: 'k', now }).then([{ type: 'KeyRecovered' }]));
    it('refuses to recover an active key', () => given(created()).when({ type: 'RecoverKey', name: 'k', now }).thenFails(ErrorCodes.KeyNotFound));
  });

  describe('PurgeKey', () => {
    const purge = (purgeProtection: boolean, at = now) => ({ type: 'PurgeKey', name: 'k', purgeProtection, now: at }) as KeyCommand;
    it('purges a deleted key and names the HSM objects of every version', () =>
      given(created(V1), created(V2), deleted).when(purge(false)).then([{ type: 'KeyPurged', data: { destroyedHsmKeys: [hsm(V1), hsm(V2)] } }]));
    it('refuses to purge an active key', () => given(created()).when(purge(false)).thenFails(ErrorCodes.KeyNotFound));
    it('refuses under purge protection before the retention ends', () =>
      given(created(), deleted).when(purge(true)).thenFails(ErrorCodes.Forbidden, InnerErrorCodes.PurgeProtected));
    it('allows purge under purge protection once the retention has ended', () =>
      given(created(), deleted).when(purge(true, later)).then([{ type: 'KeyPurged' }]));
  });

  describe('SetKeyRotationPolicy', () => {
    const set = (extra: object = {}) =>
      ({ type: 'SetKeyRotationPolicy', name: 'k', lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Rotate' } }], now: later, ...extra }) as KeyCommand;
    it('sets a policy, keeping the first creation time on later changes', async () => {
      await given(created()).when(set({ expiryTime: 'P90D' })).then([{ type: 'KeyRotationPolicySet', data: { expiryTime: 'P90D', created: later.toISOString() } }]);
      await given(created(), policySet()).when(set()).then([{ data: { created: now.toISOString(), updated: later.toISOString() } }]);
    });
    it('refuses an invalid policy', () =>
      given(created()).when(set({ lifetimeActions: [{ trigger: {}, action: { type: 'Rotate' } }] })).thenFails(ErrorCodes.BadParameter, InnerErrorCodes.InvalidRotationPolicy));
    it('refuses an unknown or deleted key', async () => {
      await given().when(set()).thenFails(ErrorCodes.KeyNotFound);
      await given(created(), deleted).when(set()).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable);
    });
  });

  describe('RestoreKey', () => {
    const restore = { type: 'RestoreKey', name: 'k', versions: [record(V1)], now } as KeyCommand;
    it('restores into a free name', () => given().when(restore).then([{ type: 'KeyRestored', data: { versions: [{ version: V1 }] } }]));
    it('refuses when the name exists', () => given(created()).when(restore).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists));
    it('refuses when the name is deleted but recoverable', () =>
      given(created(), deleted).when(restore).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
  });

  describe('the state it decides on', () => {
    const rotate = { type: 'RotateKey', name: 'k', version: V3, hsmKeyId: hsm(V3), publicKey: ecPublic, now } as KeyCommand;
    const updateV1 = { type: 'UpdateKeyAttributes', name: 'k', version: V1, now } as KeyCommand;
    const purge = { type: 'PurgeKey', name: 'k', purgeProtection: false, now } as KeyCommand;
    it('has the head, the addressed version, the policy when the command needs it, and every HSM id of a deleted key', async () => {
      const state = await given(created(V1), created(V2), policySet('P1Y')).state(rotate);
      expect(state).toMatchObject({ status: 'active', sequence: 3, currentVersion: V2, hsmKeyIds: [], rotationPolicy: { expiryTime: 'P1Y' } });
      expect(Object.keys(state.versions)).toEqual([V2]);
      expect(state.versions[V2]).not.toHaveProperty('created');
      expect(await given(created(V1), created(V2), deleted).state(purge)).toMatchObject({ status: 'deleted', hsmKeyIds: [hsm(V1), hsm(V2)], versions: {} });
    });
    it('follows attribute updates, deletion, recovery and restore', async () => {
      const upd: NewEvent<KeyEvent> = { type: 'KeyAttributesUpdated', version: 1, data: { name: 'k', version: V1, keyOps: ['verify'], attributes: { enabled: false }, updated: later.toISOString() } };
      expect((await given(created(), upd).state(updateV1)).versions[V1]).toMatchObject({ keyOps: ['verify'], attributes: { enabled: false } });
      expect(await given(created(), deleted).state(purge)).toMatchObject({ status: 'deleted', scheduledPurgeDate: later.toISOString() });
      expect(await given(created(), deleted, { type: 'KeyRecovered', version: 1, data: { name: 'k', recovered: now.toISOString() } }).state(purge))
        .toMatchObject({ status: 'active', scheduledPurgeDate: undefined });
      const restored = await given({ type: 'KeyRestored', version: 1, data: { name: 'k', restored: now.toISOString(), versions: [record(V1), record(V2, { hsmKeyId: 'v/k/' + 'd'.repeat(32) })] } }).state(rotate);
      expect(restored).toMatchObject({ status: 'active', currentVersion: V2, versions: { [V2]: { hsmKeyId: 'v/k/' + 'd'.repeat(32) } } });
    });
  });
});

describe('key decider: expiry notices and check-and-set rotation', () => {
  const V1 = 'a'.repeat(32);
  const EXP = '2030-02-01T00:00:00.000Z';
  const at = '2030-01-01T00:00:00.000Z';
  const created: NewEvent<KeyEvent> = {
    type: 'KeyCreated', version: 1,
    data: {
      name: 'k', version: V1, hsmKeyId: `v/k/${V1}`, kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign'], publicKey: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' },
      attributes: { enabled: true, exp: EXP }, created: at, updated: at,
    },
  };
  const policy = (lifetimeActions: object[]) => ({
    type: 'KeyRotationPolicySet', version: 1, data: { name: 'k', lifetimeActions, expiryTime: 'P90D', created: at, updated: at },
  }) as NewEvent<KeyEvent>;
  const notify = (kind: 'NearExpiry' | 'Expired', now: string): KeyCommand => ({ type: 'NotifyKeyExpiry', name: 'k', version: V1, kind, windowMs: 30 * DAY_MS, now: new Date(now) });

  it('uses the policy\'s Notify window when there is one', async () => {
    const withNotify = given(created, policy([{ trigger: { timeBeforeExpiry: 'P7D' }, action: { type: 'Notify' } }]));
    await withNotify.when(notify('NearExpiry', '2030-01-20T00:00:00Z')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.NotYetDue);
    await withNotify.when(notify('NearExpiry', '2030-01-26T00:00:00Z')).then([{ type: 'KeyExpiryNotified', data: { kind: 'NearExpiry', version: V1, exp: EXP } }]);
  });

  it('records KeyExpired once', async () => {
    const noticed = await given(created).when(notify('Expired', '2030-02-01T00:00:00Z')).decided();
    await given(created, ...noticed).when(notify('Expired', '2030-02-02T00:00:00Z')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.AlreadyNotified);
  });

  it('rotate with ifMatch refuses a version that is no longer current (no double rotation)', async () => {
    const rotate = (ifMatch?: string): KeyCommand => ({
      type: 'RotateKey', name: 'k', version: 'b'.repeat(32), hsmKeyId: 'h', publicKey: { kty: 'EC' } as never, ifMatch, now: new Date('2030-01-10T00:00:00Z'),
    });
    const withRotate = given(created, policy([{ trigger: { timeAfterCreate: 'P1D' }, action: { type: 'Rotate' } }]));
    await withRotate.when(rotate(V1)).then([{ type: 'KeyRotated', data: { attributes: { exp: '2030-04-10T00:00:00.000Z' } } }]);
    await withRotate.when(rotate('c'.repeat(32))).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch);
  });
});
