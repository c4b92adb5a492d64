import { createHash } from 'node:crypto';
import { mgf1 } from './mgf1';

describe('mgf1', () => {
  it('matches RFC 8017 B.2.1 for a multi-block length', () => {
    const seed = Buffer.from('seed');
    const expected = Buffer.concat([0, 1].map((c) => createHash('sha1').update(seed).update(Buffer.from([0, 0, 0, c])).digest())).subarray(0, 30);
    expect(mgf1('sha1', seed, 30).equals(expected)).toBe(true);
  });

  it('gives zero bytes for length 0', () => {
    expect(mgf1('sha256', Buffer.from('seed'), 0)).toHaveLength(0);
  });
});
