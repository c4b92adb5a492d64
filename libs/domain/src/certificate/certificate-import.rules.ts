import {
  badParameter, CertificateContentType, CertificatePolicy, CertificatePolicyRequest, Curve, InnerErrorCodes, SubjectAlternativeNamesPolicy, UNKNOWN_ISSUER,
} from '@coffer/contracts';
import { resolveCertificatePolicy } from './certificate-policy.rules';

/** What an imported certificate and its key say about themselves. */
export interface ImportedCertificateFacts {
  kty: 'RSA' | 'EC';
  keySize?: number;
  crv?: Curve;
  subject: string;
  sans: SubjectAlternativeNamesPolicy;
  ekus?: string[];
  keyUsage?: string[];
  notBefore: Date;
  notAfter: Date;
  /** The import's own format: PFX stays PKCS#12, PEM stays PEM (unless the policy says otherwise). */
  contentType: CertificateContentType;
}

const DAYS_PER_MONTH = 30.44;
const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);

/**
 * An imported certificate's policy, as Azure derives it: key, subject, SANs, usages and validity from
 * the certificate; issuer Unknown (Coffer did not issue it, so renewal means emailing the contacts);
 * not exportable. Parts the request gives replace those; a key_props that names another key type than
 * the one imported is refused, since the key is what it is.
 */
export function importedCertificatePolicy(facts: ImportedCertificateFacts, req?: CertificatePolicyRequest): CertificatePolicy {
  const months = Math.round((facts.notAfter.getTime() - facts.notBefore.getTime()) / 86_400_000 / DAYS_PER_MONTH);
  const sans = Object.fromEntries(Object.entries(facts.sans).filter(([, v]) => nonEmpty(v as string[]))) as SubjectAlternativeNamesPolicy;
  const base: CertificatePolicy = {
    key_props: {
      kty: facts.kty, ...(facts.keySize !== undefined && { key_size: facts.keySize }), ...(facts.crv !== undefined && { crv: facts.crv }),
      exportable: false, reuse_key: false,
    },
    secret_props: { contentType: facts.contentType },
    x509_props: {
      subject: facts.subject,
      ...(Object.keys(sans).length > 0 && { sans }),
      ...(nonEmpty(facts.ekus) && { ekus: facts.ekus }),
      ...(nonEmpty(facts.keyUsage) && { key_usage: facts.keyUsage }),
      validity_months: Math.min(Math.max(months, 1), 1200),
    },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
    issuer: { name: UNKNOWN_ISSUER },
  };
  const requested = req?.key_props;
  if (requested && requested.kty.replace(/-HSM$/, '') !== facts.kty) {
    throw badParameter(`The imported key is ${facts.kty}; the policy's key_props.kty must match it.`, InnerErrorCodes.InvalidCertificatePolicy);
  }
  // The key's size and curve are facts too: only exportable and reuse_key are the request's to set.
  const keyRequest = requested && { kty: facts.kty, key_size: facts.keySize, crv: facts.crv, exportable: requested.exportable, reuse_key: requested.reuse_key };
  return resolveCertificatePolicy(req && { ...req, ...(keyRequest && { key_props: keyRequest }) }, base);
}
