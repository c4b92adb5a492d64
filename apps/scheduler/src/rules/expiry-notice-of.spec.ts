import { DAY_MS } from '@coffer/domain';
import { expiryNoticeOf } from './expiry-notice-of';

const EXP = '2030-02-01T00:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
const v = (extra: object = {}) => ({ exp: EXP, nearExpiryNotified: null, expiredNotified: null, ...extra });

describe('which expiry notice a version needs', () => {
  it('none before the window; NearExpiry inside it; Expired from exp on', () => {
    expect(expiryNoticeOf(v(), at('2029-12-01T00:00:00Z'), 30 * DAY_MS)).toBeUndefined();
    expect(expiryNoticeOf(v(), at('2030-01-15T00:00:00Z'), 30 * DAY_MS)).toBe('NearExpiry');
    expect(expiryNoticeOf(v(), at('2030-02-01T00:00:00Z'), 30 * DAY_MS)).toBe('Expired');
  });

  it('skips what was already noticed for this exp, but not for an earlier exp', () => {
    expect(expiryNoticeOf(v({ nearExpiryNotified: EXP }), at('2030-01-15T00:00:00Z'), 30 * DAY_MS)).toBeUndefined();
    expect(expiryNoticeOf(v({ expiredNotified: EXP }), at('2030-03-01T00:00:00Z'), 30 * DAY_MS)).toBeUndefined();
    expect(expiryNoticeOf(v({ nearExpiryNotified: '2029-01-01T00:00:00.000Z' }), at('2030-01-15T00:00:00Z'), 30 * DAY_MS)).toBe('NearExpiry');
  });

  it('without a window (a key without Notify) only Expired; without exp nothing', () => {
    expect(expiryNoticeOf(v(), at('2030-01-31T00:00:00Z'), undefined)).toBeUndefined();
    expect(expiryNoticeOf(v(), at('2030-02-02T00:00:00Z'), undefined)).toBe('Expired');
    expect(expiryNoticeOf(v({ exp: null }), at('2040-01-01T00:00:00Z'), DAY_MS)).toBeUndefined();
  });
});
