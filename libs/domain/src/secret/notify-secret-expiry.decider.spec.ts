import { ErrorCodes, InnerErrorCodes, SecretEvent } from '@coffer/contracts';
import { DAY_MS } from '../lifecycle/due-times';
import { SecretCommand } from './secret.commands';
import { decideSecret, evolveSecret, initialSecretState } from './secret.decider';

const V1 = 'a'.repeat(32);
const EXP = '2030-02-01T00:00:00.000Z';
const meta = { requestId: 'r', occurredAt: '2030-01-01T00:00:00.000Z' };
const set = (exp?: string) => ({
  type: 'SecretSet', version: 1, metadata: meta,
  data: { name: 's', version: V1, value: { alg: 'A256GCM', dek: 1, iv: 'aXY=', ct: 'Y3Q=' }, attributes: { enabled: true, ...(exp && { exp }) }, created: meta.occurredAt, updated: meta.occurredAt },
}) as SecretEvent;
const state = (...events: SecretEvent[]) => events.reduce((s, e, i) => evolveSecret(s, e, i + 1), initialSecretState());
const notify = (kind: 'NearExpiry' | 'Expired', now: string): SecretCommand =>
  ({ type: 'NotifySecretExpiry', name: 's', version: V1, kind, windowMs: 30 * DAY_MS, now: new Date(now) });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
};

describe('secret decider: expiry notices', () => {
  it('records NearExpiry once inside the window, with the version\'s validity', () => {
    const [event] = decideSecret(notify('NearExpiry', '2030-01-05T00:00:00Z'), state(set(EXP)));
    expect(event).toMatchObject({ type: 'SecretExpiryNotified', data: { name: 's', version: V1, kind: 'NearExpiry', exp: EXP, notified: '2030-01-05T00:00:00.000Z' } });
  });

  it('refuses before the window (NotYetDue), and Expired before exp', () => {
    expect(refusal(() => decideSecret(notify('NearExpiry', '2029-12-31T00:00:00Z'), state(set(EXP))))).toMatchObject({ code: ErrorCodes.Conflict, innerCode: InnerErrorCodes.NotYetDue });
    expect(refusal(() => decideSecret(notify('Expired', '2030-01-31T23:59:59Z'), state(set(EXP))))).toMatchObject({ innerCode: InnerErrorCodes.NotYetDue });
  });

  it('refuses a version without exp (NoExpiry) and an unknown version', () => {
    expect(refusal(() => decideSecret(notify('Expired', '2031-01-01T00:00:00Z'), state(set())))).toMatchObject({ code: ErrorCodes.BadParameter, innerCode: InnerErrorCodes.NoExpiry });
    expect(refusal(() => decideSecret({ ...notify('Expired', '2031-01-01T00:00:00Z'), version: 'b'.repeat(32) } as SecretCommand, state(set(EXP))))).toMatchObject({ code: ErrorCodes.SecretNotFound });
  });

  it('notices once per version, kind and exp: a second is AlreadyNotified, a changed exp re-arms it', () => {
    const [first] = decideSecret(notify('Expired', '2030-03-01T00:00:00Z'), state(set(EXP)));
    const after = state(set(EXP), { ...first, metadata: meta } as SecretEvent);
    expect(refusal(() => decideSecret(notify('Expired', '2030-03-02T00:00:00Z'), after))).toMatchObject({ code: ErrorCodes.Conflict, innerCode: InnerErrorCodes.AlreadyNotified });
    expect(decideSecret(notify('NearExpiry', '2030-01-20T00:00:00Z'), after)).toHaveLength(1);
    const extended = evolveSecret(after, { type: 'SecretAttributesUpdated', version: 1, metadata: meta, data: { name: 's', version: V1, attributes: { enabled: true, exp: '2031-01-01T00:00:00.000Z' }, updated: meta.occurredAt } }, 9);
    expect(decideSecret(notify('Expired', '2031-02-01T00:00:00Z'), extended)[0]).toMatchObject({ data: { exp: '2031-01-01T00:00:00.000Z' } });
  });

  it('refuses a deleted secret', () => {
    const deleted = evolveSecret(state(set(EXP)), { type: 'SecretDeleted', version: 1, metadata: meta, data: { name: 's', deletedDate: 'd', scheduledPurgeDate: 'p', recoveryId: 'r' } }, 5);
    expect(refusal(() => decideSecret(notify('Expired', '2031-01-01T00:00:00Z'), deleted))).toMatchObject({ code: ErrorCodes.SecretNotFound });
  });
});
