import { badParameter, CertificateContentType, Curve, InnerErrorCodes } from '@coffer/contracts';
import { ImportedCertificateFacts } from '@coffer/domain';
import { parseCertificate, readPemBundle, readPfx } from '@coffer/x509';
import { createPrivateKey } from 'node:crypto';
import { x509Input } from './x509-errors';

/** An import's contents: the certificate first, its chain, its private key (PKCS#8 and JWK) and what the certificate says. */
export interface ImportedCertificate {
  certificate: Buffer;
  chain: Buffer[];
  /** Zero both once the key is in the HSM and the secret is packaged. */
  privateKeyPkcs8: Buffer;
  jwk: Record<string, string>;
  facts: ImportedCertificateFacts;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * Reads a certificate import: PEM text (certificate, chain and key) or a base64 PFX with its
 * password. Every problem with the input, a wrong password included, is BadParameter; an import
 * without a private key is refused (a certificate without its key is nothing Coffer can serve).
 */
export async function readCertificateImport(value: string, password: string | undefined): Promise<ImportedCertificate> {
  const isPem = value.includes('-----BEGIN ');
  if (!isPem && !BASE64.test(value)) throw badParameter('value must be PEM text or a base64 PFX.', InnerErrorCodes.InvalidCertificate);
  const contents = isPem
    ? await x509Input('PEM import', () => readPemBundle(value, { requireKey: true, password }))
    : await x509Input('PFX import', () => readPfx(Buffer.from(value, 'base64'), password ?? ''));
  if (!contents.privateKeyPkcs8) {
    throw badParameter('PFX import: the PFX holds no private key (a certificate import needs the certificate and its key).', InnerErrorCodes.InvalidCertificate);
  }
  const [certificate, ...chain] = contents.certificates;
  const parsed = await x509Input('certificate', () => parseCertificate(certificate));
  const key = createPrivateKey({ key: contents.privateKeyPkcs8, format: 'der', type: 'pkcs8' });
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') throw badParameter(`An imported key must be RSA or EC (got ${jwk.kty}).`, InnerErrorCodes.InvalidCertificate);
  const contentType: CertificateContentType = isPem ? 'application/x-pem-file' : 'application/x-pkcs12';
  const s = parsed.sans;
  return {
    certificate, chain, privateKeyPkcs8: contents.privateKeyPkcs8, jwk,
    facts: {
      kty: jwk.kty,
      ...(jwk.kty === 'RSA' ? { keySize: key.asymmetricKeyDetails?.modulusLength } : { crv: jwk.crv as Curve }),
      subject: parsed.subject,
      sans: { dns_names: s.dnsNames, emails: s.emails, upns: s.upns, ip_addresses: s.ipAddresses, uris: s.uris },
      ekus: parsed.ekus, keyUsage: parsed.keyUsage, notBefore: parsed.notBefore, notAfter: parsed.notAfter, contentType,
    },
  };
}

/** Overwrites the private members of a JWK and the PKCS#8 (best effort: strings cannot be zeroed, so they are dropped). */
export function forgetPrivateKey(imported: ImportedCertificate): void {
  imported.privateKeyPkcs8.fill(0);
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) delete imported.jwk[member];
}
