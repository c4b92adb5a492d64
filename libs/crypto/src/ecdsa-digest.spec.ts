import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { Curve, CURVES } from '@coffer/contracts';
import { CURVE_PARAMS, mod } from './ec-curves';
import { ecdsaVerifyDigest, onCurve } from './ecdsa-digest';
import { ecdsaSignDigest } from './testing/sign-digest';
import { hashOf, hex, loadVectors, runVectors, vectorFiles } from './testing/wycheproof';

const WYCHEPROOF_CURVE: Record<string, Curve> = { secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'P-256K' };

interface EcdsaGroup {
  publicKey: { curve: string; uncompressed: string };
  sha: string;
}

describe('ECDSA over a digest: Wycheproof (IEEE P1363 r‖s)', () => {
  // The vault verifies a digest the client made: hash msg with the file's hash, then verify.
  it.each(vectorFiles('ecdsa_'))('%s: every valid signature verifies, every invalid one does not', (name) => {
    const file = loadVectors<EcdsaGroup>(name);
    const run = runVectors(file, (group, test) => {
      const crv = WYCHEPROOF_CURVE[group.publicKey.curve];
      const size = CURVE_PARAMS[crv].scalarBytes;
      const point = hex(group.publicKey.uncompressed);
      const digest = createHash(hashOf(group.sha)).update(hex(test.msg)).digest();
      return ecdsaVerifyDigest(crv, point.subarray(1, 1 + size), point.subarray(1 + size), digest, hex(test.sig));
    });
    expect(run.mismatches).toEqual([]);
    expect(run.counts.valid + run.counts.invalid).toBe(file.numberOfTests);
  });
});

describe('ECDSA over a digest', () => {
  it.each(CURVES)('%s: the base point lies on the curve with the listed b', (crv) => {
    const c = CURVE_PARAMS[crv];
    expect(onCurve(c.gx, c.gy, c)).toBe(true);
    expect(mod(c.gy * c.gy - c.gx * c.gx * c.gx - c.a * c.gx, c.p)).toBe(c.b);
  });

  it.each(CURVES)('%s: the test signer and node:crypto agree with the verifier', (crv) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVE_PARAMS[crv].nodeName });
    const jwk = publicKey.export({ format: 'jwk' });
    const [x, y] = [Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')];
    const data = Buffer.from('message');
    const digest = createHash('sha256').update(data).digest();
    expect(ecdsaVerifyDigest(crv, x, y, digest, ecdsaSignDigest(privateKey, digest))).toBe(true);
    expect(ecdsaVerifyDigest(crv, x, y, digest, sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }))).toBe(true);
    expect(ecdsaVerifyDigest(crv, x, y, createHash('sha256').update('other').digest(), ecdsaSignDigest(privateKey, digest))).toBe(false);
  });
});
