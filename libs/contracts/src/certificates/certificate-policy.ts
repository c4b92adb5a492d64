import { Curve } from '../keys/key-algorithms';

/**
 * A certificate policy as Azure Key Vault shapes it (snake_case members, stored and sent as is):
 * how the key is made, how the secret is packaged, what goes into the X.509 certificate, what
 * happens as it ages and who issues it.
 */
export const CERTIFICATE_CONTENT_TYPES = ['application/x-pkcs12', 'application/x-pem-file'] as const;
export type CertificateContentType = (typeof CERTIFICATE_CONTENT_TYPES)[number];

/** Key types a certificate key may have (every Coffer key is HSM-backed: -HSM is accepted and means the same). */
export const CERTIFICATE_KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'] as const;
export type CertificateKeyType = (typeof CERTIFICATE_KEY_TYPES)[number];
/** P-256K is absent: X.509 signature algorithms (ES256/384/512) bind the NIST curves only. */
export const CERTIFICATE_CURVES = ['P-256', 'P-384', 'P-521'] as const;

/** Issuer names with a meaning of their own; any other name is a Coffer issuer (internal CA) of the vault. */
export const SELF_ISSUER = 'Self';
export const UNKNOWN_ISSUER = 'Unknown';

export interface CertificateKeyProperties {
  kty: CertificateKeyType;
  key_size?: number;
  crv?: Curve;
  /** true: the private key may leave the HSM in the certificate's secret (PFX/PEM with key). */
  exportable: boolean;
  /** true: a renewal keeps the current key instead of generating a new one. */
  reuse_key: boolean;
}

export interface SubjectAlternativeNamesPolicy {
  dns_names?: string[];
  emails?: string[];
  upns?: string[];
  ip_addresses?: string[];
  uris?: string[];
}

export interface X509Properties {
  /** RFC 4514 subject, e.g. "CN=www.example.com, O=Acme". */
  subject: string;
  sans?: SubjectAlternativeNamesPolicy;
  ekus?: string[];
  key_usage?: string[];
  validity_months: number;
}

export type CertificateActionType = 'AutoRenew' | 'EmailContacts';
export interface CertificateLifetimeAction {
  trigger: { lifetime_percentage?: number; days_before_expiry?: number };
  action: { action_type: CertificateActionType };
}

export interface CertificatePolicy {
  key_props: CertificateKeyProperties;
  secret_props: { contentType: CertificateContentType };
  x509_props: X509Properties;
  lifetime_actions: CertificateLifetimeAction[];
  issuer: { name: string; cert_type?: string };
}
