import { InnerErrorCodes, LifetimeAction } from '@coffer/contracts';
import { addIsoDuration, isoDurationMs } from './iso-duration';
import { assertValidRotationPolicy } from './rotation-policy.rules';

const rotate = (trigger: LifetimeAction['trigger']): LifetimeAction => ({ trigger, action: { type: 'Rotate' } });
const notify = (trigger: LifetimeAction['trigger']): LifetimeAction => ({ trigger, action: { type: 'Notify' } });
const invalid = expect.objectContaining({ code: 'BadParameter', innerCode: InnerErrorCodes.InvalidRotationPolicy });

describe('ISO 8601 durations', () => {
  it('parses and adds durations', () => {
    expect(isoDurationMs('P1D')).toBe(86_400_000);
    expect(isoDurationMs('PT1H30M')).toBe(5_400_000);
    expect(isoDurationMs('P1Y2M3W4DT5H6M7S')).toBe(((365 + 60 + 21 + 4) * 24 * 3600 + 5 * 3600 + 6 * 60 + 7) * 1000);
    for (const bad of ['P', 'PT', '1D', 'P1H', 'P-1D', 'p1d', 'P1DT']) expect(isoDurationMs(bad)).toBeUndefined();
    expect(addIsoDuration(new Date('2026-01-01T00:00:00.000Z'), 'P2D')).toBe('2026-01-03T00:00:00.000Z');
  });
});

describe('rotation policy rules', () => {
  it('accepts Azure-shaped policies and the empty policy', () => {
    expect(() => assertValidRotationPolicy([rotate({ timeAfterCreate: 'P90D' }), notify({ timeBeforeExpiry: 'P30D' })], 'P1Y')).not.toThrow();
    expect(() => assertValidRotationPolicy([rotate({ timeBeforeExpiry: 'P7D' })], undefined)).not.toThrow();
    expect(() => assertValidRotationPolicy([], undefined)).not.toThrow();
  });
  it('needs exactly one trigger per action', () => {
    expect(() => assertValidRotationPolicy([rotate({})], undefined)).toThrow(invalid);
    expect(() => assertValidRotationPolicy([rotate({ timeAfterCreate: 'P1D', timeBeforeExpiry: 'P1D' })], undefined)).toThrow(invalid);
  });
  it('allows at most one Rotate and one Notify, Notify before expiry only', () => {
    expect(() => assertValidRotationPolicy([rotate({ timeAfterCreate: 'P1D' }), rotate({ timeAfterCreate: 'P2D' })], undefined)).toThrow(invalid);
    expect(() => assertValidRotationPolicy([notify({ timeAfterCreate: 'P1D' })], undefined)).toThrow(invalid);
  });
  it('needs positive durations shorter than expiryTime', () => {
    expect(() => assertValidRotationPolicy([rotate({ timeAfterCreate: 'P0D' })], undefined)).toThrow(invalid);
    expect(() => assertValidRotationPolicy([rotate({ timeAfterCreate: 'P1X' })], undefined)).toThrow(invalid);
    expect(() => assertValidRotationPolicy([rotate({ timeAfterCreate: 'P1Y' })], 'P30D')).toThrow(invalid);
    expect(() => assertValidRotationPolicy([], 'P0D')).toThrow(invalid);
  });
});
