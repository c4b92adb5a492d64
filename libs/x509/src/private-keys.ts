import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';

/** A PKCS#8 DER private key checked by OpenSSL; messages never include key bytes. */
export function privateKeyFromPkcs8(pkcs8: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new X509InputError('private key is not a valid PKCS#8 key', { cause: e });
  }
}

/** SPKI DER of the public half of a private key. */
export function spkiOfPrivateKey(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** Index of the certificate (DER list) whose public key is `spki`, or -1. */
export function indexOfCertificateFor(certificates: Buffer[], spki: Buffer): number {
  return certificates.findIndex((der) => {
    const cert = AsnConvert.parse(der, Certificate);
    return createPublicKey({ key: Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo)), format: 'der', type: 'spki' })
      .export({ type: 'spki', format: 'der' })
      .equals(spki);
  });
}

/**
 * Certificates ordered leaf first, then each one's issuer as found in the list (matched by name),
 * then whatever is left in the original order: the order Azure returns a chain in.
 */
export function orderChain(certificates: Buffer[], leafIndex: number): Buffer[] {
  if (leafIndex < 0 || certificates.length === 0) return certificates;
  const parsed = certificates.map((der) => AsnConvert.parse(der, Certificate));
  const nameOf = (i: number, field: 'subject' | 'issuer') => Buffer.from(AsnConvert.serialize(parsed[i].tbsCertificate[field])).toString('hex');
  const order = [leafIndex];
  for (;;) {
    const last = order[order.length - 1];
    if (nameOf(last, 'issuer') === nameOf(last, 'subject')) break;
    const next = parsed.findIndex((_, i) => !order.includes(i) && nameOf(i, 'subject') === nameOf(last, 'issuer'));
    if (next < 0) break;
    order.push(next);
  }
  const rest = certificates.map((_, i) => i).filter((i) => !order.includes(i));
  return [...order, ...rest].map((i) => certificates[i]);
}
