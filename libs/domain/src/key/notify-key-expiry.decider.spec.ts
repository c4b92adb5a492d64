import { ErrorCodes, InnerErrorCodes, KeyEvent } from '@coffer/contracts';
import { deciderScenarios, keyDecider } from '@coffer/read-model/testing';
import { DAY_MS } from '../lifecycle/due-times';
import { NewEvent } from '../new-event';
import { KeyCommand } from './key.commands';

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

const { given } = deciderScenarios(keyDecider('k'));

describe('key decider: expiry notices and check-and-set rotation', () => {
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
