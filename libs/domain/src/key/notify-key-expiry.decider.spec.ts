import { ErrorCodes, InnerErrorCodes, KeyEvent } from '@coffer/contracts';
import { DAY_MS } from '../lifecycle/due-times';
import { KeyCommand } from './key.commands';
import { decideKey, evolveKey, initialKeyState } from './key.decider';

const V1 = 'a'.repeat(32);
const EXP = '2030-02-01T00:00:00.000Z';
const meta = { requestId: 'r', occurredAt: '2030-01-01T00:00:00.000Z' };
const created = {
  type: 'KeyCreated', version: 1, metadata: meta,
  data: { name: 'k', version: V1, hsmKeyId: `v/k/${V1}`, kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign'], publicKey: { kty: 'EC' }, attributes: { enabled: true, exp: EXP }, created: meta.occurredAt, updated: meta.occurredAt },
} as KeyEvent;
const policy = (lifetimeActions: object[]) => ({
  type: 'KeyRotationPolicySet', version: 1, metadata: meta, data: { name: 'k', lifetimeActions, expiryTime: 'P90D', created: 'c', updated: 'u' },
}) as KeyEvent;
const state = (...events: KeyEvent[]) => events.reduce((s, e, i) => evolveKey(s, e, i + 1), initialKeyState());
const notify = (kind: 'NearExpiry' | 'Expired', now: string): KeyCommand => ({ type: 'NotifyKeyExpiry', name: 'k', version: V1, kind, windowMs: 30 * DAY_MS, now: new Date(now) });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
};

describe('key decider: expiry notices and check-and-set rotation', () => {
  it('uses the policy\'s Notify window when there is one', () => {
    const s = state(created, policy([{ trigger: { timeBeforeExpiry: 'P7D' }, action: { type: 'Notify' } }]));
    expect(refusal(() => decideKey(notify('NearExpiry', '2030-01-20T00:00:00Z'), s))).toMatchObject({ innerCode: InnerErrorCodes.NotYetDue });
    expect(decideKey(notify('NearExpiry', '2030-01-26T00:00:00Z'), s)[0]).toMatchObject({ type: 'KeyExpiryNotified', data: { kind: 'NearExpiry', version: V1, exp: EXP } });
  });

  it('records KeyExpired once', () => {
    const [event] = decideKey(notify('Expired', '2030-02-01T00:00:00Z'), state(created));
    const after = evolveKey(state(created), { ...event, metadata: meta } as KeyEvent, 3);
    expect(refusal(() => decideKey(notify('Expired', '2030-02-02T00:00:00Z'), after))).toMatchObject({ code: ErrorCodes.Conflict, innerCode: InnerErrorCodes.AlreadyNotified });
  });

  it('rotate with ifMatch refuses a version that is no longer current (no double rotation)', () => {
    const rotate = (ifMatch?: string): KeyCommand => ({ type: 'RotateKey', name: 'k', version: 'b'.repeat(32), hsmKeyId: 'h', publicKey: { kty: 'EC' } as never, ifMatch, now: new Date('2030-01-10T00:00:00Z') });
    const s = state(created, policy([{ trigger: { timeAfterCreate: 'P1D' }, action: { type: 'Rotate' } }]));
    expect(decideKey(rotate(V1), s)[0]).toMatchObject({ type: 'KeyRotated', data: { attributes: { exp: '2030-04-10T00:00:00.000Z' } } });
    expect(refusal(() => decideKey(rotate('c'.repeat(32)), s))).toMatchObject({ code: ErrorCodes.Conflict, innerCode: InnerErrorCodes.VersionMismatch });
  });
});
