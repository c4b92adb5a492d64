import { CertificatePolicyRequest, SubjectAlternativeNamesPolicy } from '@coffer/contracts/protocol';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../usage-error';

/**
 * Turns `coffer certificate create` flags (or `--policy @file`) into a policy request. Only the
 * shape is checked here; what the values mean (a subject that parses, SANs that are names) is the
 * service's check, so the CLI and the SDK refuse the same things with the same messages.
 */

const SAN_FIELDS = { dns: 'dns_names', ip: 'ip_addresses', email: 'emails', upn: 'upns', uri: 'uris' } as const;
type SanKind = keyof typeof SAN_FIELDS;

/** `--san dns:www.example.com ip:10.0.0.1 uri:https://x`: commander calls this once per value, accumulating. */
export function parseSan(value: string, previous: SubjectAlternativeNamesPolicy | undefined): SubjectAlternativeNamesPolicy {
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon).toLowerCase() as SanKind;
  const name = value.slice(colon + 1);
  if (colon <= 0 || !(kind in SAN_FIELDS) || name === '') {
    throw new InvalidArgumentError(`SANs are ${Object.keys(SAN_FIELDS).map((k) => `${k}:<value>`).join(', ')} (got '${value}').`);
  }
  const field = SAN_FIELDS[kind];
  return { ...previous, [field]: [...(previous?.[field] ?? []), name] };
}

/** Comma-separated or repeated values (`--eku serverAuth,clientAuth`), accumulated and de-duplicated. */
export function parseList(value: string, previous: string[] | undefined): string[] {
  return [...new Set([...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)])];
}

/** EKU names the CLI accepts besides OIDs. */
export const EKU_NAMES: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
};

export const CONTENT_TYPES = { pem: 'application/x-pem-file', pkcs12: 'application/x-pkcs12' } as const;

/** The flags of `certificate create` / `policy set` that make up a policy. */
export interface PolicyFlags {
  subject?: string;
  san?: SubjectAlternativeNamesPolicy;
  issuer?: string;
  kty?: 'RSA' | 'EC';
  size?: number;
  curve?: string;
  validityMonths?: number;
  exportable?: boolean;
  reuseKey?: boolean;
  contentType?: keyof typeof CONTENT_TYPES;
  eku?: string[];
  keyUsage?: string[];
}

const POLICY_FLAG_NAMES: Record<keyof PolicyFlags, string> = {
  subject: '--subject', san: '--san', issuer: '--issuer', kty: '--kty', size: '--size', curve: '--curve', validityMonths: '--validity-months',
  exportable: '--exportable', reuseKey: '--reuse-key', contentType: '--content-type', eku: '--eku', keyUsage: '--key-usage',
};

export const DEFAULT_VALIDITY_MONTHS = 12;

/** A policy request from flags; parts no flag names are left out (the service takes them from its base policy). */
export function policyFromFlags(flags: PolicyFlags): CertificatePolicyRequest {
  const x509Given = [flags.subject, flags.san, flags.validityMonths, flags.eku, flags.keyUsage].some((v) => v !== undefined);
  if (x509Given && flags.subject === undefined) throw new UsageError('give --subject (e.g. "CN=www.example.com") with --san, --eku, --key-usage or --validity-months');
  if (flags.kty === undefined && (flags.size !== undefined || flags.curve !== undefined)) throw new UsageError('--size and --curve need --kty');
  const policy: CertificatePolicyRequest = {};
  if (flags.kty !== undefined || flags.exportable !== undefined || flags.reuseKey !== undefined) {
    policy.key_props = {
      kty: flags.kty ?? 'RSA',
      ...(flags.size !== undefined && { key_size: flags.size }),
      ...(flags.curve !== undefined && { crv: flags.curve as never }),
      ...(flags.exportable !== undefined && { exportable: flags.exportable }),
      ...(flags.reuseKey !== undefined && { reuse_key: flags.reuseKey }),
    };
  }
  if (flags.contentType !== undefined) policy.secret_props = { contentType: CONTENT_TYPES[flags.contentType] };
  if (flags.subject !== undefined) {
    policy.x509_props = {
      subject: flags.subject,
      validity_months: flags.validityMonths ?? DEFAULT_VALIDITY_MONTHS,
      ...(flags.san !== undefined && { sans: flags.san }),
      ...(flags.eku !== undefined && { ekus: flags.eku.map((e) => EKU_NAMES[e] ?? e) }),
      ...(flags.keyUsage !== undefined && { key_usage: flags.keyUsage }),
    };
  }
  if (flags.issuer !== undefined) policy.issuer = { name: flags.issuer };
  // The default policy auto-renews, which an external CA cannot do: email the contacts instead (Azure's choice for Unknown).
  if (flags.issuer?.toLowerCase() === 'unknown') policy.lifetime_actions = [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }];
  return policy;
}

/** `--policy @file` (or `@-` for stdin) or inline JSON: the text to parse. */
export function policyArgument(value: string): { path: string } | { json: string } {
  return value.startsWith('@') ? { path: value.slice(1) } : { json: value };
}

/** The policy of `--policy` (JSON text) or of the flags; both at once is a usage error. */
export function resolvePolicyInput(policyText: string | undefined, flags: PolicyFlags, source = '--policy'): CertificatePolicyRequest {
  const given = (Object.keys(POLICY_FLAG_NAMES) as (keyof PolicyFlags)[]).filter((k) => flags[k] !== undefined);
  if (policyText === undefined) return policyFromFlags(flags);
  if (given.length > 0) throw new UsageError(`give the policy with --policy or with flags, not both (${given.map((k) => POLICY_FLAG_NAMES[k]).join(', ')})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(policyText);
  } catch {
    throw new UsageError(`${source} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${source} must be a JSON object (a certificate policy)`);
  // Accept the whole bundle `certificate show` prints, or `policy show`'s output, as well as a bare policy.
  const policy = (parsed as { policy?: unknown }).policy ?? parsed;
  return policy as CertificatePolicyRequest;
}
