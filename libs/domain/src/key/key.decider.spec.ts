import { ErrorCodes, InnerErrorCodes, KeyEvent, KeyVersionRecord } from '@coffer/contracts';
import { NewEvent } from '../new-event';
import { KeyCommand, NewKeyVersion } from './key.commands';
import { decideKey, evolveKey, initialKeyState } from './key.decider';

const now = new Date('2026-01-01T00:00:00.000Z');
const later = new Date('2026-01-02T00:00:00.000Z');
const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const V3 = 'c'.repeat(32);
const meta = { requestId: 'r', occurredAt: now.toISOString() };
const hsm = (v: string) => `vault1/k/${v}`;
const ecPublic = { kty: 'EC' as const, crv: 'P-256' as const, x: 'eA', y: 'eQ' };

/** Emmett-style given/when/then over the pure decider. */
function given(...events: NewEvent<KeyEvent>[]) {
  const state = events.reduce((s, e, i) => evolveKey(s, { ...e, metadata: meta } as KeyEvent, i + 1), initialKeyState());
  return {
    state,
    when: (command: KeyCommand) => ({
      then: (expected: object[]) => expect(decideKey(command, state)).toMatchObject(expected),
      thenThrows: (code: string, inner?: string) => {
        try {
          decideKey(command, state);
        } catch (e) {
          expect(e).toMatchObject({ code, ...(inner && { innerCode: inner }) });
          return;
        }
        throw new Error('expected the decider to refuse');
      },
    }),
  };
}

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
      given(created(), deleted).when(create()).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
    it('refuses key_ops the family cannot perform', () =>
      given().when(create({ keyOps: ['encrypt'] })).thenThrows(ErrorCodes.BadParameter, InnerErrorCodes.InvalidKeyParameters));
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
    it('refuses an unknown key', () => given().when(rotate).thenThrows(ErrorCodes.KeyNotFound));
    it('refuses a deleted key', () => given(created(), deleted).when(rotate).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
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
      given(created()).when(update({ keyOps: ['wrapKey'] })).thenThrows(ErrorCodes.BadParameter, InnerErrorCodes.InvalidKeyParameters));
    it('refuses an unknown version', () => given(created()).when(update({ version: V2 })).thenThrows(ErrorCodes.KeyNotFound));
    it('refuses an unknown key', () => given().when(update()).thenThrows(ErrorCodes.KeyNotFound));
    it('refuses a deleted key', () => given(created(), deleted).when(update()).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
    it('accepts ifMatch equal to the current version or the sequence', () => {
      given(created(), created(V2)).when(update({ ifMatch: V2 })).then([{ type: 'KeyAttributesUpdated' }]);
      given(created(), created(V2)).when(update({ ifMatch: '2' })).then([{ type: 'KeyAttributesUpdated' }]);
    });
    it('refuses a stale ifMatch', () => {
      given(created(), created(V2)).when(update({ ifMatch: V1 })).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch);
      given(created(), created(V2)).when(update({ ifMatch: '1' })).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch);
    });
  });

  describe('DeleteKey / RecoverKey', () => {
    const del = { type: 'DeleteKey', name: 'k', retentionDays: 7, recoveryId: 'rid', now } as KeyCommand;
    it('soft-deletes with a scheduled purge date retentionDays ahead', () =>
      given(created()).when(del).then([{ type: 'KeyDeleted', data: { deletedDate: now.toISOString(), scheduledPurgeDate: '2026-01-08T00:00:00.000Z', recoveryId: 'rid' } }]));
    it('refuses to delete what is not there', () => given().when(del).thenThrows(ErrorCodes.KeyNotFound));
    it('refuses to delete twice', () => given(created(), deleted).when(del).thenThrows(ErrorCodes.KeyNotFound));
    it('recovers a deleted key', () => given(created(), deleted).when({ type: 'RecoverKey', name: 'k', now }).then([{ type: 'KeyRecovered' }]));
    it('refuses to recover an active key', () => given(created()).when({ type: 'RecoverKey', name: 'k', now }).thenThrows(ErrorCodes.KeyNotFound));
  });

  describe('PurgeKey', () => {
    const purge = (purgeProtection: boolean, at = now) => ({ type: 'PurgeKey', name: 'k', purgeProtection, now: at }) as KeyCommand;
    it('purges a deleted key and names the HSM objects of every version', () =>
      given(created(V1), created(V2), deleted).when(purge(false)).then([{ type: 'KeyPurged', data: { destroyedHsmKeys: [hsm(V1), hsm(V2)] } }]));
    it('refuses to purge an active key', () => given(created()).when(purge(false)).thenThrows(ErrorCodes.KeyNotFound));
    it('refuses under purge protection before the retention ends', () =>
      given(created(), deleted).when(purge(true)).thenThrows(ErrorCodes.Forbidden, InnerErrorCodes.PurgeProtected));
    it('allows purge under purge protection once the retention has ended', () =>
      given(created(), deleted).when(purge(true, later)).then([{ type: 'KeyPurged' }]));
  });

  describe('SetKeyRotationPolicy', () => {
    const set = (extra: object = {}) =>
      ({ type: 'SetKeyRotationPolicy', name: 'k', lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Rotate' } }], now: later, ...extra }) as KeyCommand;
    it('sets a policy, keeping the first creation time on later changes', () => {
      given(created()).when(set({ expiryTime: 'P90D' })).then([{ type: 'KeyRotationPolicySet', data: { expiryTime: 'P90D', created: later.toISOString() } }]);
      given(created(), policySet()).when(set()).then([{ data: { created: now.toISOString(), updated: later.toISOString() } }]);
    });
    it('refuses an invalid policy', () =>
      given(created()).when(set({ lifetimeActions: [{ trigger: {}, action: { type: 'Rotate' } }] })).thenThrows(ErrorCodes.BadParameter, InnerErrorCodes.InvalidRotationPolicy));
    it('refuses an unknown or deleted key', () => {
      given().when(set()).thenThrows(ErrorCodes.KeyNotFound);
      given(created(), deleted).when(set()).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable);
    });
  });

  describe('RestoreKey', () => {
    const restore = { type: 'RestoreKey', name: 'k', versions: [record(V1)], now } as KeyCommand;
    it('restores into a free name', () => given().when(restore).then([{ type: 'KeyRestored', data: { versions: [{ version: V1 }] } }]));
    it('refuses when the name exists', () => given(created()).when(restore).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists));
    it('refuses when the name is deleted but recoverable', () =>
      given(created(), deleted).when(restore).thenThrows(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
  });

  describe('evolve', () => {
    it('tracks the current version, sequence, HSM ids and policy', () => {
      const { state } = given(created(V1), created(V2), policySet('P1Y'));
      expect(state).toMatchObject({ status: 'active', sequence: 3, currentVersion: V2, hsmKeyIds: [hsm(V1), hsm(V2)], rotationPolicy: { expiryTime: 'P1Y' } });
      expect(Object.keys(state.versions)).toEqual([V1, V2]);
      expect(state.versions[V1]).not.toHaveProperty('created');
    });
    it('applies attribute updates, deletion, recovery and restore', () => {
      const upd: NewEvent<KeyEvent> = { type: 'KeyAttributesUpdated', version: 1, data: { name: 'k', version: V1, keyOps: ['verify'], attributes: { enabled: false }, updated: later.toISOString() } };
      expect(given(created(), upd).state.versions[V1]).toMatchObject({ keyOps: ['verify'], attributes: { enabled: false } });
      expect(given(created(), deleted).state).toMatchObject({ status: 'deleted', scheduledPurgeDate: later.toISOString() });
      expect(given(created(), deleted, { type: 'KeyRecovered', version: 1, data: { name: 'k', recovered: now.toISOString() } }).state)
        .toMatchObject({ status: 'active', scheduledPurgeDate: undefined });
      const restored = given({ type: 'KeyRestored', version: 1, data: { name: 'k', restored: now.toISOString(), versions: [record(V1), record(V2, { hsmKeyId: 'vault1/k/' + 'd'.repeat(32) })] } }).state;
      expect(restored).toMatchObject({ status: 'active', currentVersion: V2, hsmKeyIds: [hsm(V1), 'vault1/k/' + 'd'.repeat(32)] });
    });
  });
});
