import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { DigestName } from '@coffer/contracts';
import { rsaPkcs1VerifyDigest, rsaPssVerifyDigest } from './rsa-signature';
import { rsaPkcs1SignDigest, rsaPssSignDigest } from './testing/sign-digest';
import { AcceptablePolicy, hashOf, hex, loadVectors, runVectors, vectorFiles } from './testing/wycheproof';

interface RsaGroup {
  publicKeyDer: string;
  sha: string;
  mgfSha?: string;
  sLen?: number;
}

const spki = (der: string): KeyObject => createPublicKey({ key: hex(der), format: 'der', type: 'spki' });

/**
 * Acceptable RSASSA-PKCS1-v1_5 vectors and what Coffer does with them.
 * MissingNull: a DigestInfo whose AlgorithmIdentifier omits the NULL parameters. RFC 8017 §9.2
 * note 2 lets verifiers accept it; Coffer compares the whole encoding byte for byte with the one
 * encoding it would produce itself (with NULL), so it rejects it: the stricter, allowed choice.
 */
const PKCS1_ACCEPTABLE: AcceptablePolicy = { MissingNull: false };

describe('RSASSA-PKCS1-v1_5 over a digest: Wycheproof', () => {
  it.each(vectorFiles('rsa_signature_'))('%s: every valid signature verifies, every invalid one does not', (name) => {
    const file = loadVectors<RsaGroup>(name);
    const run = runVectors(file, (group, test) => {
      const hash = hashOf(group.sha) as DigestName;
      const digest = createHash(hash).update(hex(test.msg)).digest();
      return rsaPkcs1VerifyDigest(spki(group.publicKeyDer), hash, digest, hex(test.sig));
    }, PKCS1_ACCEPTABLE);
    expect(run.mismatches).toEqual([]);
    expect(run.counts.valid + run.counts.invalid + run.counts.acceptable).toBe(file.numberOfTests);
  });
});

describe('RSASSA-PSS over a digest: Wycheproof (MGF1 on the same hash, salt = digest length)', () => {
  it.each(vectorFiles('rsa_pss_'))('%s: every valid signature verifies, every invalid one does not', (name) => {
    const file = loadVectors<RsaGroup>(name);
    const run = runVectors(file, (group, test) => {
      const hash = hashOf(group.sha) as DigestName;
      const digest = createHash(hash).update(hex(test.msg)).digest();
      // Only the parameters Coffer uses (JWA PS*) are shipped: check the file is one of them.
      if (group.mgfSha !== group.sha || Number(group.sLen) !== digest.length) throw new Error(`${name}: not PS* parameters`);
      return rsaPssVerifyDigest(spki(group.publicKeyDer), hash, digest, hex(test.sig));
    });
    expect(run.mismatches).toEqual([]);
    expect(run.counts.valid + run.counts.invalid).toBe(file.numberOfTests);
  });
});

describe('RSA signatures over a digest', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 + 8 });
  it.each(['sha256', 'sha384', 'sha512'] as const)('the test signers\' %s signatures verify, and not under another digest', (hash) => {
    const digest = createHash(hash).update('message').digest();
    const other = createHash(hash).update('other').digest();
    expect(rsaPkcs1VerifyDigest(publicKey, hash, digest, rsaPkcs1SignDigest(privateKey, hash, digest))).toBe(true);
    expect(rsaPkcs1VerifyDigest(publicKey, hash, other, rsaPkcs1SignDigest(privateKey, hash, digest))).toBe(false);
    expect(rsaPssVerifyDigest(publicKey, hash, digest, rsaPssSignDigest(privateKey, hash, digest))).toBe(true);
    expect(rsaPssVerifyDigest(publicKey, hash, other, rsaPssSignDigest(privateKey, hash, digest))).toBe(false);
  });
});
