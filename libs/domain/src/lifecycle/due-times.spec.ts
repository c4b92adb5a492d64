import { certificateActionDue, certificateTriggerDue, DAY_MS, expiryNoticeDue, isDue, notifyWindowMs, purgeDue, rotationDue } from './due-times';

const T = (iso: string) => Date.parse(iso);

describe('due times (pure)', () => {
  it('NearExpiry falls due the window before exp; Expired at exp', () => {
    expect(expiryNoticeDue('NearExpiry', '2030-01-31T00:00:00Z', 30 * DAY_MS)).toBe(T('2030-01-01T00:00:00Z'));
    expect(expiryNoticeDue('Expired', '2030-01-31T00:00:00Z', 30 * DAY_MS)).toBe(T('2030-01-31T00:00:00Z'));
  });

  it('Rotate timeAfterCreate counts from the current version\'s creation', () => {
    const actions = [{ trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' as const } }];
    expect(rotationDue(actions, { created: '2030-01-01T00:00:00.000Z' })).toBe(T('2030-04-01T00:00:00Z'));
  });

  it('Rotate timeBeforeExpiry counts back from exp, and never fires without exp', () => {
    const actions = [{ trigger: { timeBeforeExpiry: 'P7D' }, action: { type: 'Rotate' as const } }];
    expect(rotationDue(actions, { created: '2030-01-01T00:00:00Z', exp: '2030-02-01T00:00:00Z' })).toBe(T('2030-01-25T00:00:00Z'));
    expect(rotationDue(actions, { created: '2030-01-01T00:00:00Z' })).toBeUndefined();
  });

  it('no Rotate action, no rotation; Notify gives the warning window', () => {
    const notify = [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' as const } }];
    expect(rotationDue(notify, { created: '2030-01-01T00:00:00Z', exp: '2030-02-01T00:00:00Z' })).toBeUndefined();
    expect(notifyWindowMs(notify)).toBe(30 * DAY_MS);
    expect(notifyWindowMs([])).toBeUndefined();
  });

  it('short durations (seconds) work, so tests need not wait days', () => {
    const actions = [{ trigger: { timeAfterCreate: 'PT5S' }, action: { type: 'Rotate' as const } }];
    expect(rotationDue(actions, { created: '2030-01-01T00:00:00Z' })).toBe(T('2030-01-01T00:00:05Z'));
  });

  it('purge is due at the scheduled purge date; isDue is inclusive and rejects undefined/NaN', () => {
    expect(purgeDue('2030-01-08T00:00:00.000Z')).toBe(T('2030-01-08T00:00:00Z'));
    expect(isDue(10, 10)).toBe(true);
    expect(isDue(11, 10)).toBe(false);
    expect(isDue(undefined, 10)).toBe(false);
    expect(isDue(Number.NaN, 10)).toBe(false);
  });

  describe('certificate lifetime actions', () => {
    const validity = { nbf: '2030-01-01T00:00:00.000Z', exp: '2030-01-11T00:00:00.000Z' };

    it('lifetime_percentage p falls due at notBefore + p% of the validity', () => {
      expect(certificateTriggerDue({ lifetime_percentage: 80 }, validity)).toBe(T('2030-01-09T00:00:00Z'));
      expect(certificateTriggerDue({ lifetime_percentage: 1 }, validity)).toBe(T('2030-01-01T02:24:00Z'));
      expect(certificateTriggerDue({ lifetime_percentage: 99 }, validity)).toBe(T('2030-01-10T21:36:00Z'));
    });

    it('days_before_expiry d falls due d days before notAfter', () => {
      expect(certificateTriggerDue({ days_before_expiry: 3 }, validity)).toBe(T('2030-01-08T00:00:00Z'));
    });

    it('a trigger with neither (or unreadable dates) never falls due', () => {
      expect(certificateTriggerDue({}, validity)).toBeUndefined();
      expect(certificateTriggerDue({ days_before_expiry: 3 }, { nbf: 'x', exp: 'y' })).toBeUndefined();
    });

    it('picks the action of the requested type', () => {
      const actions = [
        { trigger: { lifetime_percentage: 50 }, action: { action_type: 'AutoRenew' as const } },
        { trigger: { days_before_expiry: 2 }, action: { action_type: 'EmailContacts' as const } },
      ];
      expect(certificateActionDue(actions, 'AutoRenew', validity)).toBe(T('2030-01-06T00:00:00Z'));
      expect(certificateActionDue(actions, 'EmailContacts', validity)).toBe(T('2030-01-09T00:00:00Z'));
      expect(certificateActionDue(actions.slice(0, 1), 'EmailContacts', validity)).toBeUndefined();
    });
  });
});
