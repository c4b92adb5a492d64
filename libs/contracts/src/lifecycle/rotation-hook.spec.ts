import { CofferError } from '../errors';
import { assertHookTags, isHookSubject, RotationHookTags } from './rotation-hook';

describe('rotation hook subjects (coffer.hooks.<vault>.…)', () => {
  it.each(['coffer.hooks.prod.pg', 'coffer.hooks.prod.pg.app-1', 'coffer.hooks.prod.Rotate_DB'])('accepts %s for vault prod', (s) => {
    expect(isHookSubject('prod', s)).toBe(true);
  });

  it.each([
    '$JS.API.STREAM.PURGE.COFFER_AUDIT_CHECKPOINTS', 'coffer.events.prod.secret.db', 'coffer.hooks.other.pg', 'coffer.hooks.prod',
    'coffer.hooks.prod.', 'coffer.hooks.prod.>', 'coffer.hooks.prod.*', 'coffer.hooks.prod..x', 'coffer.hooks.prod.a b', 'coffer.hooks.prod.a\tb',
    'coffer.hooks.production.pg', `coffer.hooks.prod.${'x'.repeat(300)}`, 'coffer.v1.status', '_INBOX_coffer-client.x',
  ])('refuses %s for vault prod', (s) => {
    expect(isHookSubject('prod', s)).toBe(false);
  });

  it('assertHookTags: BadParameter/InvalidHookSubject for a bad hook, nothing for good or absent ones', () => {
    expect(() => assertHookTags('prod', undefined)).not.toThrow();
    expect(() => assertHookTags('prod', { owner: 'x' })).not.toThrow();
    expect(() => assertHookTags('prod', { [RotationHookTags.subject]: 'coffer.hooks.prod.pg' })).not.toThrow();
    let err: unknown;
    try {
      assertHookTags('prod', { [RotationHookTags.subject]: '$JS.API.STREAM.PURGE.COFFER_KEYRING' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CofferError);
    expect((err as CofferError).toWire()).toMatchObject({ code: 'BadParameter', innererror: { code: 'InvalidHookSubject' } });
    expect((err as CofferError).message).not.toContain('$JS');
  });
});
