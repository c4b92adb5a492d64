import { generateKeyPairSync } from 'node:crypto';
import { parsePrivateKeyFile } from './private-key-file';
import { UsageError } from './usage-error';

describe('parsePrivateKeyFile', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = ec.privateKey.export({ format: 'jwk' });

  it('takes a JWK as is, oct included', () => {
    expect(parsePrivateKeyFile(JSON.stringify(jwk))).toEqual(jwk);
    expect(parsePrivateKeyFile('{"kty":"oct","k":"AAAA"}\n')).toEqual({ kty: 'oct', k: 'AAAA' });
  });

  it('converts PEM (PKCS#8 and encrypted PKCS#8) to the same JWK', () => {
    expect(parsePrivateKeyFile(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)).toEqual(jwk);
    const encrypted = ec.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw-123' }) as string;
    expect(parsePrivateKeyFile(encrypted, 'pw-123')).toEqual(jwk);
    expect(() => parsePrivateKeyFile(encrypted)).toThrow(/give --password/);
    expect(() => parsePrivateKeyFile(encrypted, 'wrong')).toThrow(/wrong --password/);
  });

  it('refuses anything else without quoting the file', () => {
    const secretLooking = 'not-a-key-d-value-1234567890';
    for (const text of [secretLooking, `{"d":"${secretLooking}"}`, `{${secretLooking}`, `-----BEGIN PRIVATE KEY-----\n${secretLooking}\n-----END PRIVATE KEY-----`]) {
      let err: unknown;
      try {
        parsePrivateKeyFile(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).not.toContain(secretLooking);
    }
  });
});
