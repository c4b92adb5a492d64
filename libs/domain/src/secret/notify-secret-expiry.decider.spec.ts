import { ErrorCodes, InnerErrorCodes, SecretEvent } from '@coffer/contracts';
import { deciderScenarios, secretDecider } from '@coffer/read-model/testing';
import { DAY_MS } from '../lifecycle/due-times';
import { NewEvent } from '../new-event';
import { SecretCommand } from './secret.commands';

const V1 = 'a'.repeat(32);
const EXP = '2030-02-01T00:00:00.000Z';
const at = '2030-01-01T00:00:00.000Z';
const set = (exp?: string): NewEvent<SecretEvent> => ({
  type: 'SecretSet', version: 1,
  data: { name: 's', version: V1, value: { alg: 'A256GCM', dek: 1, iv: 'aXY=', ct: 'Y3Q=' }, attributes: { enabled: true, ...(exp && { exp }) }, created: at, updated: at },
});
const notify = (kind: 'NearExpiry' | 'Expired', now: string): SecretCommand =>
  ({ type: 'NotifySecretExpiry', name: 's', version: V1, kind, windowMs: 30 * DAY_MS, now: new Date(now) });

const { given } = deciderScenarios(secretDecider('s'));

describe('secret decider: expiry notices', () => {
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
