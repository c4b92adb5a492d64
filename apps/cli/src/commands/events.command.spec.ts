import { InvalidArgumentError } from 'commander';
import { parseFrom } from './events.command';

describe('events tail --from', () => {
  it('takes a sequence, a time, beginning or now', () => {
    expect(parseFrom('42')).toEqual({ sequence: 42 });
    expect(parseFrom('2026-11-28T10:00:00+01:00')).toEqual({ time: '2026-11-28T09:00:00.000Z' });
    expect(parseFrom('beginning')).toBe('beginning');
    expect(parseFrom('now')).toBe('now');
  });
  it.each(['0', 'yesterday', '-3', '2026-13-01'])('refuses %p', (value) => {
    expect(() => parseFrom(value)).toThrow(InvalidArgumentError);
  });
});
