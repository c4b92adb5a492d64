import { parseIsoTime, toWireTime } from './dates';

describe('parseIsoTime', () => {
  it.each([
    ['2030-01-31', '2030-01-31T00:00:00.000Z'],
    ['2030-01-31T12:30:00Z', '2030-01-31T12:30:00.000Z'],
    ['2030-01-31T12:30Z', '2030-01-31T12:30:00.000Z'],
    ['2030-01-31T12:30:00.123Z', '2030-01-31T12:30:00.123Z'],
    ['2030-01-31T12:30:00+02:00', '2030-01-31T10:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('accepts %s as %s', (text, iso) => {
    expect(parseIsoTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['2023-02-29'], // not a leap year: Date would roll over to March 1
    ['2030-02-30T00:00:00Z'],
    ['2030-13-01'],
    ['2030-01-31T24:00:00Z'],
    ['2030-01-31T12:00:00'], // no zone: ambiguous
    ['31/01/2030'],
    ['tomorrow'],
    [''],
  ])('refuses %s', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});

describe('toWireTime', () => {
  it('converts Dates and strings to UTC ISO strings', () => {
    expect(toWireTime(new Date(Date.UTC(2030, 0, 31)), 'expiresOn')).toBe('2030-01-31T00:00:00.000Z');
    expect(toWireTime('2030-01-31T01:00:00+01:00', 'expiresOn')).toBe('2030-01-31T00:00:00.000Z');
  });

  it('throws BadParameter naming the field for an invalid time', () => {
    expect(() => toWireTime('soon', 'expiresOn')).toThrow(expect.objectContaining({ code: 'BadParameter', message: expect.stringContaining('expiresOn') }));
    expect(() => toWireTime(new Date('x'), 'notBefore')).toThrow(expect.objectContaining({ code: 'BadParameter' }));
  });
});
