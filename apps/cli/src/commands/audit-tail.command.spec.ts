import { InvalidArgumentError } from 'commander';
import { parseAuditFrom } from './audit-tail.command';

describe('audit tail --from', () => {
  it('takes a printed cursor, a position, a time, beginning or now', () => {
    const hash = 'ab'.repeat(32);
    expect(parseAuditFrom(`12:${hash}`)).toEqual({ cursor: { position: 12, hash } });
    expect(parseAuditFrom('42')).toEqual({ position: 42 });
    expect(parseAuditFrom('2026-11-28T10:00:00+01:00')).toEqual({ time: '2026-11-28T09:00:00.000Z' });
    expect(parseAuditFrom('beginning')).toBe('beginning');
    expect(parseAuditFrom('now')).toBe('now');
  });
  it.each(['0', 'yesterday', '-3', '2026-13-01', '12:abc', `0:${'ab'.repeat(32)}`])('refuses %p', (value) => {
    expect(() => parseAuditFrom(value)).toThrow(InvalidArgumentError);
  });
});
