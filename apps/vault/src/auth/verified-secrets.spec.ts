import { VerifiedSecrets } from './verified-secrets';

describe('VerifiedSecrets', () => {
  it('recognises a proven secret until the proof expires, and nothing else', () => {
    const v = new VerifiedSecrets(1_000);
    v.remember('p-1', 'right', 'scrypt$hash', 0);
    expect(v.provenHash('p-1', 'right', 999)).toBe('scrypt$hash');
    expect(v.provenHash('p-1', 'wrong', 10)).toBeUndefined();
    expect(v.provenHash('p-2', 'right', 10)).toBeUndefined();
    expect(v.provenHash('p-1', 'right', 1_000)).toBeUndefined();
    expect(v.provenHash('p-1', 'right', 10)).toBeUndefined(); // expired proofs are dropped
  });

  it('keeps no secret in memory, forgets on request, stays bounded and can be turned off', () => {
    const v = new VerifiedSecrets(1_000, 2);
    v.remember('p-1', 'secret-one', 'h1', 0);
    expect(JSON.stringify([...(v as unknown as { proofs: Map<string, unknown> }).proofs])).not.toContain('secret-one');
    v.forget('p-1');
    expect(v.provenHash('p-1', 'secret-one', 1)).toBeUndefined();
    for (const id of ['a', 'b', 'c']) v.remember(id, 's', 'h', 0);
    expect(['a', 'b', 'c'].map((id) => v.provenHash(id, 's', 1))).toEqual([undefined, 'h', 'h']);
    const off = new VerifiedSecrets(0);
    off.remember('p-1', 's', 'h', 0);
    expect(off.provenHash('p-1', 's', 0)).toBeUndefined();
  });
});
