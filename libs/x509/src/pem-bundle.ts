import { createPrivateKey, KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';
import { splitPem } from './pem';
import { indexOfCertificateFor, orderChain, spkiOfPrivateKey } from './private-keys';

export interface PemBundle {
  /** DER, the key's certificate first (or the first certificate when there is no key), then its chain. */
  certificates: Buffer[];
  privateKeyPkcs8?: Buffer;
}

export interface ReadPemBundleOptions {
  /** Refuse a bundle without a private key (an import needs one; a merge of a signed chain does not). */
  requireKey?: boolean;
  /** For an "ENCRYPTED PRIVATE KEY" block. */
  password?: string;
}

const KEY_LABELS: Record<string, 'pkcs8' | 'pkcs1' | 'sec1' | 'encrypted'> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'ENCRYPTED PRIVATE KEY': 'encrypted',
};

/**
 * Reads an application/x-pem-file import: CERTIFICATE blocks plus at most one private key (PKCS#8,
 * or the traditional RSA/EC forms, returned as PKCS#8). The key must belong to one of the
 * certificates, which becomes the first. Other blocks (EC PARAMETERS...) are ignored.
 */
export function readPemBundle(text: string, options: ReadPemBundleOptions = {}): PemBundle {
  if (typeof text !== 'string') throw new X509InputError('PEM bundle must be text');
  const blocks = splitPem(text);
  const certificates = blocks
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => {
      try {
        AsnConvert.parse(b.der, Certificate);
      } catch (e) {
        throw new X509InputError('PEM CERTIFICATE block is not a valid certificate', { cause: e });
      }
      return b.der;
    });
  const keyBlocks = blocks.filter((b) => KEY_LABELS[b.label]);
  if (certificates.length === 0) throw new X509InputError('PEM holds no CERTIFICATE block');
  if (keyBlocks.length > 1) throw new X509InputError('PEM holds more than one private key');
  if (keyBlocks.length === 0) {
    if (options.requireKey) throw new X509InputError('PEM holds no private key (a certificate import needs the certificate and its PKCS#8 key)');
    return { certificates: orderChain(certificates, 0) };
  }
  const block = keyBlocks[0];
  const kind = KEY_LABELS[block.label];
  let key: KeyObject;
  try {
    key =
      kind === 'encrypted'
        ? createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8', passphrase: options.password ?? '' })
        : createPrivateKey({ key: block.der, format: 'der', type: kind });
  } catch (e) {
    throw new X509InputError(kind === 'encrypted' ? 'PEM private key: wrong password or corrupt key' : 'PEM private key is not valid', { cause: e });
  }
  const leaf = indexOfCertificateFor(certificates, spkiOfPrivateKey(key));
  if (leaf < 0) throw new X509InputError('PEM private key matches none of its certificates');
  return { certificates: orderChain(certificates, leaf), privateKeyPkcs8: key.export({ type: 'pkcs8', format: 'der' }) };
}
