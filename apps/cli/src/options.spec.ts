import { InvalidArgumentError } from 'commander';
import { enabledFlag, intInRange, pageSizeFor, parseIsoDate, parseTag, parseVaultName } from './options';

describe('parseTag', () => {
  it('accumulates name=value pairs; a value may be empty or contain =', () => {
    let tags = parseTag('env=prod', undefined);
    tags = parseTag('empty=', tags);
    tags = parseTag('expr=a=b', tags);
    expect(tags).toEqual({ env: 'prod', empty: '', expr: 'a=b' });
  });

  it.each([['novalue'], ['=x']])('refuses %s', (value) => {
    expect(() => parseTag(value, undefined)).toThrow(InvalidArgumentError);
  });

  it('refuses more than 15 tags and over-long names', () => {
    let tags: Record<string, string> | undefined;
    for (let i = 0; i < 15; i++) tags = parseTag(`t${i}=v`, tags);
    expect(() => parseTag('t15=v', tags)).toThrow(/at most 15 tags/);
    expect(() => parseTag(`${'x'.repeat(257)}=v`, undefined)).toThrow(InvalidArgumentError);
  });
});

describe('parseIsoDate', () => {
  it('normalises to a UTC ISO string', () => {
    expect(parseIsoDate('2030-01-31')).toBe('2030-01-31T00:00:00.000Z');
    expect(parseIsoDate('2030-01-31T12:00:00+01:00')).toBe('2030-01-31T11:00:00.000Z');
  });

  it.each([['2030-02-30'], ['2030-01-31T12:00:00'], ['next week']])('refuses %s', (value) => {
    expect(() => parseIsoDate(value)).toThrow(InvalidArgumentError);
  });
});

describe('intInRange', () => {
  const days = intInRange(7, 90);

  it('accepts integers in range', () => {
    expect(days('7')).toBe(7);
    expect(days('90')).toBe(90);
  });

  it.each([['6'], ['91'], ['7.5'], ['abc'], [''], ['1e1']])('refuses %s', (value) => {
    expect(() => days(value)).toThrow(/from 7 to 90/);
  });

  it('has no upper bound unless given', () => {
    expect(intInRange(1)('100000')).toBe(100000);
    expect(() => intInRange(1)('0')).toThrow(/at least 1/);
  });
});

describe('pageSizeFor', () => {
  it('asks for no more than needed, and at most the service maximum', () => {
    expect(pageSizeFor(undefined)).toBeUndefined();
    expect(pageSizeFor(3)).toBe(3);
    expect(pageSizeFor(100)).toBe(25);
  });
});

describe('enabledFlag', () => {
  it('maps --enabled/--disabled to the attribute, neither to undefined', () => {
    expect(enabledFlag({ enabled: true })).toBe(true);
    expect(enabledFlag({ disabled: true })).toBe(false);
    expect(enabledFlag({})).toBeUndefined();
  });
});

describe('parseVaultName', () => {
  it('accepts a valid name and refuses one that would break the subject', () => {
    expect(parseVaultName('vault-1')).toBe('vault-1');
    for (const bad of ['a.b', 'vault*', 'v>', 'ab', '1vault']) expect(() => parseVaultName(bad)).toThrow(InvalidArgumentError);
  });
});
