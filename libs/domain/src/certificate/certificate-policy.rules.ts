import {
  badParameter, CERTIFICATE_CURVES, CertificateKeyProperties, CertificateLifetimeAction, CertificatePolicy, CertificatePolicyRequest, Curve,
  InnerErrorCodes, KeyFamily, RSA_KEY_SIZES, SELF_ISSUER, UNKNOWN_ISSUER,
} from '@coffer/contracts';
import { parseDistinguishedName, validateEkus, validateKeyUsage, validateSans, X509InputError } from '@coffer/x509';

const invalid = (message: string) => badParameter(message, InnerErrorCodes.InvalidCertificatePolicy);
const VALIDITY_MONTHS_MAX = 1200;

/**
 * Coffer's default policy (`get-default-policy`, and what an absent part of a request takes): Azure's,
 * except that the key is not exportable: a private key leaves the HSM only when a policy says so.
 */
export const DEFAULT_CERTIFICATE_POLICY: CertificatePolicy = {
  key_props: { kty: 'RSA', key_size: 2048, exportable: false, reuse_key: false },
  secret_props: { contentType: 'application/x-pkcs12' },
  x509_props: { subject: 'CN=DefaultPolicy', validity_months: 12 },
  lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
  issuer: { name: SELF_ISSUER },
};

export const certificateKeyFamily = (p: CertificatePolicy): 'RSA' | 'EC' => p.key_props.kty.replace(/-HSM$/, '') as 'RSA' | 'EC';

/** The issuer kind a policy names: self-signed, external CA (pending + merge) or a Coffer issuer of the vault. */
export type IssuerKind = { kind: 'self' } | { kind: 'unknown' } | { kind: 'internal'; name: string };
export function issuerKindOf(p: CertificatePolicy): IssuerKind {
  const name = p.issuer.name;
  if (name.toLowerCase() === SELF_ISSUER.toLowerCase()) return { kind: 'self' };
  if (name.toLowerCase() === UNKNOWN_ISSUER.toLowerCase()) return { kind: 'unknown' };
  return { kind: 'internal', name };
}

const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function keyProps(req: CertificatePolicyRequest['key_props'], base: CertificateKeyProperties): CertificateKeyProperties {
  if (!req) return base;
  const family = req.kty.replace(/-HSM$/, '') as KeyFamily;
  const sameFamily = base.kty.replace(/-HSM$/, '') === family;
  return withoutUndefined({
    kty: family as 'RSA' | 'EC',
    key_size: family === 'RSA' ? req.key_size ?? (sameFamily ? base.key_size : undefined) ?? 2048 : req.key_size,
    crv: family === 'EC' ? req.crv ?? (sameFamily ? base.crv : undefined) ?? 'P-256' : req.crv,
    exportable: req.exportable ?? base.exportable,
    reuse_key: req.reuse_key ?? base.reuse_key,
  });
}

/**
 * A full policy from a request: each part given replaces that part of `base` (the default policy
 * on create, the current policy on update, as Azure's PATCH does), then the whole is checked.
 */
export function resolveCertificatePolicy(req: CertificatePolicyRequest | undefined, base: CertificatePolicy = DEFAULT_CERTIFICATE_POLICY): CertificatePolicy {
  const policy: CertificatePolicy = {
    key_props: keyProps(req?.key_props, base.key_props),
    secret_props: req?.secret_props ? { contentType: req.secret_props.contentType } : base.secret_props,
    x509_props: req?.x509_props
      ? withoutUndefined({
        subject: req.x509_props.subject,
        sans: req.x509_props.sans ? withoutUndefined({ ...req.x509_props.sans }) : undefined,
        ekus: req.x509_props.ekus,
        key_usage: req.x509_props.key_usage,
        validity_months: req.x509_props.validity_months,
      })
      : base.x509_props,
    lifetime_actions: req?.lifetime_actions
      ? req.lifetime_actions.map((a) => ({ trigger: withoutUndefined({ ...a.trigger }), action: { action_type: a.action.action_type } }))
      : base.lifetime_actions,
    issuer: req?.issuer ? withoutUndefined({ name: req.issuer.name, cert_type: req.issuer.cert_type }) : base.issuer,
  };
  assertValidCertificatePolicy(policy);
  return policy;
}

/** The X.509 library's SAN names for a policy's sans. */
export const sansOf = (p: CertificatePolicy) => {
  const s = p.x509_props.sans ?? {};
  return { dnsNames: s.dns_names, emails: s.emails, upns: s.upns, ipAddresses: s.ip_addresses, uris: s.uris };
};

function x509Checked<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof X509InputError) throw invalid(`${what}: ${err.message}.`);
    throw err;
  }
}

function assertKeyProps(k: CertificateKeyProperties): void {
  const family = k.kty.replace(/-HSM$/, '');
  if (family === 'RSA') {
    if (k.crv !== undefined) throw invalid('key_props.crv applies to EC keys only.');
    if (!(RSA_KEY_SIZES as readonly number[]).includes(k.key_size ?? 0)) throw invalid(`key_props.key_size must be one of ${RSA_KEY_SIZES.join(', ')} for RSA.`);
  } else if (family === 'EC') {
    if (k.key_size !== undefined) throw invalid('key_props.key_size does not apply to EC keys: name the curve with crv.');
    if (!(CERTIFICATE_CURVES as readonly Curve[]).includes(k.crv as Curve)) {
      throw invalid(`key_props.crv must be one of ${CERTIFICATE_CURVES.join(', ')} for a certificate key.`);
    }
  } else {
    throw invalid('key_props.kty must be RSA or EC.');
  }
}

function assertLifetimeActions(actions: CertificateLifetimeAction[], validityMonths: number, unknownIssuer: boolean): void {
  for (const [i, a] of actions.entries()) {
    const { lifetime_percentage: pct, days_before_expiry: days } = a.trigger;
    if ((pct === undefined) === (days === undefined)) throw invalid(`lifetime_actions[${i}].trigger needs exactly one of lifetime_percentage and days_before_expiry.`);
    if (pct !== undefined && (pct < 1 || pct > 99)) throw invalid(`lifetime_actions[${i}].trigger.lifetime_percentage must be from 1 to 99.`);
    if (days !== undefined && (days < 1 || days >= validityMonths * 28)) {
      throw invalid(`lifetime_actions[${i}].trigger.days_before_expiry must be from 1 to less than the validity (${validityMonths} months).`);
    }
    if (unknownIssuer && a.action.action_type === 'AutoRenew') throw invalid('AutoRenew needs an issuer Coffer can reach: use EmailContacts with issuer Unknown.');
  }
}

/** Every rule a policy must meet before anything is made with it; the messages name the member. */
export function assertValidCertificatePolicy(p: CertificatePolicy): void {
  assertKeyProps(p.key_props);
  const x = p.x509_props;
  if (!Number.isInteger(x.validity_months) || x.validity_months < 1 || x.validity_months > VALIDITY_MONTHS_MAX) {
    throw invalid(`x509_props.validity_months must be from 1 to ${VALIDITY_MONTHS_MAX}.`);
  }
  const dn = x509Checked('x509_props.subject', () => parseDistinguishedName(x.subject));
  const sans = x509Checked('x509_props.sans', () => validateSans(sansOf(p)));
  if (dn.length === 0 && Object.values(sans).every((l) => l.length === 0)) throw invalid('x509_props needs a subject or at least one SAN.');
  x509Checked('x509_props.key_usage', () => validateKeyUsage(x.key_usage));
  x509Checked('x509_props.ekus', () => validateEkus(x.ekus));
  assertLifetimeActions(p.lifetime_actions, x.validity_months, issuerKindOf(p).kind === 'unknown');
}
