import { ErrorCodes, EncryptedValue, InnerErrorCodes, SecretEvent } from '@coffer/contracts';
import { deciderScenarios, secretDecider } from '@coffer/read-model/testing';
import { NewEvent } from '../new-event';
import { SecretCommand } from './secret.commands';
import { DAY_MS } from '../lifecycle/due-times';

const now = new Date('2026-01-01T00:00:00.000Z');
const later = new Date('2026-01-02T00:00:00.000Z');
const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const value = (dek = 7): EncryptedValue => ({ alg: 'A256GCM', dek, iv: 'aXY=', ct: 'Y3Q=' });

const { given } = deciderScenarios(secretDecider('s'));

const set = (version = V1, dek = 7): NewEvent<SecretEvent> => ({
  type: 'SecretSet', version: 1,
  data: { name: 's', version, value: value(dek), attributes: { enabled: true }, created: now.toISOString(), updated: now.toISOString() },
});
const deleted: NewEvent<SecretEvent> = {
  type: 'SecretDeleted', version: 1,
  data: { name: 's', deletedDate: now.toISOString(), scheduledPurgeDate: later.toISOString(), recoveryId: 'coffer://v/deletedsecrets/s' },
};
const setCmd = (extra: Partial<SecretCommand> = {}): SecretCommand =>
  ({ type: 'SetSecret', name: 's', version: V2, value: value(), attributes: { enabled: true }, now, ...extra }) as SecretCommand;

describe('secret decider', () => {
  describe('SetSecret', () => {
    it('creates the first version of a new secret', () =>
      given().when(setCmd()).then([{ type: 'SecretSet', data: { name: 's', version: V2, attributes: { enabled: true } } }]));
    it('adds a version to an existing secret', () => given(set()).when(setCmd()).then([{ type: 'SecretSet', data: { version: V2 } }]));
    it('refuses a name that is deleted but recoverable', () =>
      given(set(), deleted).when(setCmd()).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
    it('accepts ifMatch equal to the current version', () => given(set()).when(setCmd({ ifMatch: V1 })).then([{ type: 'SecretSet' }]));
    it('accepts ifMatch equal to the sequence', () => given(set()).when(setCmd({ ifMatch: '1' })).then([{ type: 'SecretSet' }]));
    it('refuses a stale ifMatch version', () =>
      given(set(), set(V2)).when(setCmd({ ifMatch: V1 })).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch));
    it('refuses a stale ifMatch sequence', () =>
      given(set(), set(V2)).when(setCmd({ ifMatch: '1' })).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch));
    it('refuses ifMatch on a secret that does not exist', () =>
      given().when(setCmd({ ifMatch: V1 })).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch));
    it('starts afresh after a purge', () =>
      given(set(), deleted, { type: 'SecretPurged', version: 1, data: { name: 's', purged: now.toISOString(), shreddedKeys: [7] } })
        .when(setCmd({ ifMatch: undefined })).then([{ type: 'SecretSet' }]));
  });

  describe('UpdateSecretAttributes', () => {
    const update = (extra: object = {}) => ({ type: 'UpdateSecretAttributes', name: 's', now: later, ...extra }) as SecretCommand;
    it('merges attributes into the current version and keeps the rest', () =>
      given(set()).when(update({ attributes: { enabled: false }, tags: { a: 'b' } })).then([{
        type: 'SecretAttributesUpdated',
        data: { version: V1, attributes: { enabled: false }, tags: { a: 'b' }, updated: later.toISOString() },
      }]));
    it('targets a named version', () =>
      given(set(), set(V2)).when(update({ version: V1, contentType: 'text/plain' })).then([{ data: { version: V1, contentType: 'text/plain' } }]));
    it('refuses an unknown version', () =>
      given(set()).when(update({ version: V2 })).thenFails(ErrorCodes.SecretNotFound));
    it('refuses an unknown secret', () => given().when(update()).thenFails(ErrorCodes.SecretNotFound));
    it('refuses a stale ifMatch', () =>
      given(set(), set(V2)).when(update({ ifMatch: V1 })).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch));
  });

  describe('DeleteSecret / RecoverSecret', () => {
    const del = { type: 'DeleteSecret', name: 's', retentionDays: 7, recoveryId: 'rid', now } as SecretCommand;
    it('soft-deletes with a scheduled purge date retentionDays ahead', () =>
      given(set()).when(del).then([{
        type: 'SecretDeleted',
        data: { deletedDate: now.toISOString(), scheduledPurgeDate: '2026-01-08T00:00:00.000Z', recoveryId: 'rid' },
      }]));
    it('refuses to delete what is not there', () => given().when(del).thenFails(ErrorCodes.SecretNotFound));
    it('refuses to delete twice', () => given(set(), deleted).when(del).thenFails(ErrorCodes.SecretNotFound));
    it('recovers a deleted secret', () =>
      given(set(), deleted).when({ type: 'RecoverSecret', name: 's', now }).then([{ type: 'SecretRecovered' }]));
    it('refuses to recover an active secret', () =>
      given(set()).when({ type: 'RecoverSecret', name: 's', now }).thenFails(ErrorCodes.SecretNotFound));
  });

  describe('PurgeSecret', () => {
    const purge = (purgeProtection: boolean, at = now) => ({ type: 'PurgeSecret', name: 's', purgeProtection, now: at }) as SecretCommand;
    it('purges a deleted secret and names every data key to shred', () =>
      given(set(V1, 7), set(V2, 7), deleted).when(purge(false)).then([{ type: 'SecretPurged', data: { shreddedKeys: [7] } }]));
    it('refuses to purge an active secret', () => given(set()).when(purge(false)).thenFails(ErrorCodes.SecretNotFound));
    it('refuses under purge protection before the retention ends', () =>
      given(set(), deleted).when(purge(true)).thenFails(ErrorCodes.Forbidden, InnerErrorCodes.PurgeProtected));
    it('allows purge under purge protection once the retention has ended', () =>
      given(set(), deleted).when(purge(true, later)).then([{ type: 'SecretPurged' }]));
  });

  describe('RestoreSecret', () => {
    const restore = { type: 'RestoreSecret', name: 's', versions: [], now } as unknown as SecretCommand;
    it('restores into a free name', () => given().when(restore).then([{ type: 'SecretRestored' }]));
    it('refuses when the name exists', () => given(set()).when(restore).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists));
    it('refuses when the name is deleted but recoverable', () =>
      given(set(), deleted).when(restore).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectIsDeletedButRecoverable));
  });

  describe('the state it decides on', () => {
    it('has the head (current version, sequence, its data key) and only the addressed version', async () => {
      const update = { type: 'UpdateSecretAttributes', name: 's', version: V1, now } as SecretCommand;
      const state = await given(set(V1, 3), set(V2, 4)).state(update);
      expect(state).toMatchObject({ status: 'active', sequence: 2, currentVersion: V2, deks: [4] });
      expect(Object.keys(state.versions)).toEqual([V1]);
    });
  });
});

describe('secret decider: expiry notices', () => {
  const V1 = 'a'.repeat(32);
  const EXP = '2030-02-01T00:00:00.000Z';
  const at = '2030-01-01T00:00:00.000Z';
  const set = (exp?: string): NewEvent<SecretEvent> => ({
    type: 'SecretSet', version: 1,
    data: { name: 's', version: V1, value: { alg: 'A256GCM', dek: 1, iv: 'aXY=', ct: 'Y3Q=' }, attributes: { enabled: true, ...(exp && { exp }) }, created: at, updated: at },
  });
  const notify = (kind: 'NearExpiry' | 'Expired', now: string): SecretCommand =>
    ({ type: 'NotifySecretExpiry', name: 's', version: V1, kind, windowMs: 30 * DAY_MS, now: new Date(now) });

  it('records NearExpiry once inside the window, with the version\'s validity', () =>
    given(set(EXP)).when(notify('NearExpiry', '2030-01-05T00:00:00Z')).then([
      { type: 'SecretExpiryNotified', data: { name: 's', version: V1, kind: 'NearExpiry', exp: EXP, notified: '2030-01-05T00:00:00.000Z' } },
    ]));

  it('refuses before the window (NotYetDue), and Expired before exp', async () => {
    await given(set(EXP)).when(notify('NearExpiry', '2029-12-31T00:00:00Z')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.NotYetDue);
    await given(set(EXP)).when(notify('Expired', '2030-01-31T23:59:59Z')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.NotYetDue);
  });

  it('refuses a version without exp (NoExpiry) and an unknown version', async () => {
    await given(set()).when(notify('Expired', '2031-01-01T00:00:00Z')).thenFails(ErrorCodes.BadParameter, InnerErrorCodes.NoExpiry);
    await given(set(EXP)).when({ ...notify('Expired', '2031-01-01T00:00:00Z'), version: 'b'.repeat(32) } as SecretCommand).thenFails(ErrorCodes.SecretNotFound);
  });

  it('notices once per version, kind and exp: a second is AlreadyNotified, a changed exp re-arms it', async () => {
    const noticed = await given(set(EXP)).when(notify('Expired', '2030-03-01T00:00:00Z')).decided();
    await given(set(EXP), ...noticed).when(notify('Expired', '2030-03-02T00:00:00Z')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.AlreadyNotified);
    await given(set(EXP), ...noticed).when(notify('NearExpiry', '2030-01-20T00:00:00Z')).then([{ type: 'SecretExpiryNotified' }]);
    const extended: NewEvent<SecretEvent> = {
      type: 'SecretAttributesUpdated', version: 1, data: { name: 's', version: V1, attributes: { enabled: true, exp: '2031-01-01T00:00:00.000Z' }, updated: at },
    };
    await given(set(EXP), ...noticed, extended).when(notify('Expired', '2031-02-01T00:00:00Z')).then([{ data: { exp: '2031-01-01T00:00:00.000Z' } }]);
  });

  it('refuses a deleted secret', () =>
    given(set(EXP), { type: 'SecretDeleted', version: 1, data: { name: 's', deletedDate: at, scheduledPurgeDate: '2030-04-01T00:00:00.000Z', recoveryId: 'r' } })
      .when(notify('Expired', '2031-01-01T00:00:00Z')).thenFails(ErrorCodes.SecretNotFound));
});
