import { constants, KeyObject, verify } from 'node:crypto';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';

const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const PLAIN: Record<string, { hash: string; family: 'RSA' | 'EC' }> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', family: 'RSA' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', family: 'RSA' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', family: 'RSA' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', family: 'EC' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', family: 'EC' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', family: 'EC' },
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';

/**
 * Verifies a signed structure's signature (certificate, CSR or CRL) with node:crypto, that is with
 * OpenSSL: SHA-2 RSA PKCS#1 v1.5, RSASSA-PSS (MGF1 with the same hash) and ECDSA (DER signature).
 * SHA-1 and other algorithms are refused as unsupported rather than reported as a bad signature.
 */
export function verifySignedData(tbs: ArrayBuffer, algorithm: AlgorithmIdentifier, signature: ArrayBuffer, key: KeyObject): boolean {
  const data = Buffer.from(tbs);
  const sig = Buffer.from(signature);
  const plain = PLAIN[algorithm.algorithm];
  if (plain) {
    const isEc = key.asymmetricKeyType === 'ec';
    if (isEc !== (plain.family === 'EC')) return false;
    return safely(() => verify(plain.hash, data, isEc ? { key, dsaEncoding: 'der' } : key, sig));
  }
  if (algorithm.algorithm === RSASSA_PSS && algorithm.parameters) {
    const params = AsnConvert.parse(algorithm.parameters, RsaSaPssParams);
    const hash = HASHES[params.hashAlgorithm.algorithm];
    const mgfHash = params.maskGenAlgorithm.parameters
      ? HASHES[AsnConvert.parse(params.maskGenAlgorithm.parameters, AlgorithmIdentifier).algorithm]
      : undefined;
    if (!hash || params.maskGenAlgorithm.algorithm !== MGF1 || mgfHash !== hash) {
      throw new X509InputError('unsupported RSASSA-PSS parameters (need SHA-2 with MGF1 over the same hash)');
    }
    if (key.asymmetricKeyType === 'ec') return false;
    return safely(() => verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, sig));
  }
  throw new X509InputError(`unsupported signature algorithm ${algorithm.algorithm}`);
}

/** A malformed signature (bad DER, wrong length) is a failed verification, not a crash. */
function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
