import { judge, ReadVersion } from './verdict';
import { AckedWrite, casValue } from './workload';

const ack = (secret: string, version: string, value: string): AckedWrite => ({ secret, version, value, requestId: `r-${version}`, sentAt: 0, ackedAt: 0 });
const versions = (...values: string[]): ReadVersion[] => values.map((value, i) => ({ version: `v${i}`, value, sequence: i + 1 }));

describe('judge: what clients were told against what the system holds', () => {
  it('finds nothing wrong when every acknowledged write is there once and counters are consecutive', () => {
    const history = new Map([['d0-0', versions('d0.0', 'd0.4')], ['cas-0', versions(casValue(0, 'init'), casValue(1, 'c0.0'), casValue(2, 'c1.0'))]]);
    const acked = [ack('d0-0', 'v0', 'd0.0'), ack('d0-0', 'v1', 'd0.4'), ack('cas-0', 'v2', casValue(2, 'c1.0'))];
    expect(judge(acked, history, ['cas-0'])).toEqual({ lost: 0, duplicated: 0, casViolations: 0, problems: [] });
  });

  it('counts an acknowledged write that is missing or reads back with another value as lost', () => {
    const history = new Map([['d0-0', versions('d0.0', 'other')]]);
    const verdict = judge([ack('d0-0', 'v1', 'd0.4'), ack('d0-0', 'v9', 'd0.8')], history, []);
    expect(verdict.lost).toBe(2);
    expect(verdict.problems).toEqual([expect.stringContaining("reads back as 'other'"), expect.stringContaining('reads back as missing')]);
  });

  it('counts a value written twice to a secret as a duplicate (one request applied twice)', () => {
    const history = new Map([['d0-0', versions('d0.0', 'd0.4', 'd0.4', 'd0.4')]]);
    expect(judge([], history, [])).toMatchObject({ duplicated: 2, lost: 0 });
  });

  it('counts check-and-set counters out of order: a lost update repeats a counter', () => {
    const history = new Map([['cas-0', versions(casValue(0, 'init'), casValue(1, 'c0.0'), casValue(1, 'c1.0'), casValue(2, 'c0.1'))]]);
    expect(judge([], history, ['cas-0'])).toMatchObject({ casViolations: 2, duplicated: 0 });
  });
});
