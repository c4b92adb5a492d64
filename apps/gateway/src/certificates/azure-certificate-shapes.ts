import {
  CertificateAttributes, CertificateBundle, CertificateItem, CertificateOperation, CertificatePolicy, DeletedCertificateItem,
} from '@coffer/contracts';
import { azureId, epochSeconds } from '../secrets/azure-secret-shapes';

function azureCertificateAttributes(a: CertificateAttributes): Record<string, unknown> {
  return {
    enabled: a.enabled,
    ...(a.nbf !== undefined && { nbf: epochSeconds(a.nbf) }),
    ...(a.exp !== undefined && { exp: epochSeconds(a.exp) }),
    created: epochSeconds(a.created), updated: epochSeconds(a.updated),
    recoveryLevel: a.recoveryLevel, recoverableDays: a.recoverableDays,
  };
}

export function azureCertificateItem(origin: string, vault: string, item: CertificateItem): Record<string, unknown> {
  return { id: azureId(origin, vault, item.id), x5t: item.x5t, attributes: azureCertificateAttributes(item.attributes), tags: item.tags ?? {} };
}

export function azureCertificatePolicy(origin: string, vault: string, name: string, policy: CertificatePolicy): Record<string, unknown> {
  return { id: `${origin}/certificates/${name}/policy`, ...policy };
}

/** Azure's CertificateBundle: ids (kid, sid too) on the origin called, `cer` base64 DER, the policy. */
export function azureCertificateBundle(origin: string, vault: string, bundle: CertificateBundle): Record<string, unknown> {
  return {
    ...azureCertificateItem(origin, vault, bundle),
    kid: azureId(origin, vault, bundle.kid),
    sid: azureId(origin, vault, bundle.sid),
    cer: bundle.cer,
    contentType: bundle.policy.secret_props.contentType,
    policy: azureCertificatePolicy(origin, vault, bundle.name, bundle.policy),
  };
}

export function azureDeletedCertificate(origin: string, vault: string, deleted: DeletedCertificateItem & Partial<CertificateBundle>): Record<string, unknown> {
  const shape = deleted.kid !== undefined ? azureCertificateBundle(origin, vault, deleted as CertificateBundle) : azureCertificateItem(origin, vault, deleted);
  return {
    ...shape,
    recoveryId: `${origin}/deletedcertificates/${deleted.name}`,
    deletedDate: epochSeconds(deleted.deletedDate),
    scheduledPurgeDate: epochSeconds(deleted.scheduledPurgeDate),
  };
}

export function azureCertificateOperation(origin: string, vault: string, operation: CertificateOperation): Record<string, unknown> {
  return { ...operation, id: azureId(origin, vault, operation.id), target: azureId(origin, vault, operation.target) };
}

const pick = (source: unknown, fields: readonly string[]): Record<string, unknown> | undefined => {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const s = source as Record<string, unknown>;
  const out = Object.fromEntries(fields.filter((f) => s[f] !== undefined && s[f] !== null).map((f) => [f, s[f]]));
  return Object.keys(out).length ? out : undefined;
};

/**
 * The parts of an Azure policy Coffer's policy has (Azure's own snake_case shape); what Azure adds
 * (`id`, policy `attributes`, `cty`, `cert_transparency`, nulls the SDK sends) is left out.
 */
export function cofferPolicyRequest(policy: unknown): Record<string, unknown> | undefined {
  const p = pick(policy, ['key_props', 'secret_props', 'x509_props', 'lifetime_actions', 'issuer']);
  if (!p) return undefined;
  const x509 = pick(p.x509_props, ['subject', 'sans', 'ekus', 'key_usage', 'validity_months']);
  const sans = x509 && pick(x509.sans, ['dns_names', 'emails', 'upns', 'ip_addresses', 'uris']);
  const actions = Array.isArray(p.lifetime_actions)
    ? p.lifetime_actions.map((a: unknown) => {
      const action = a as Record<string, unknown>;
      return { trigger: pick(action.trigger, ['lifetime_percentage', 'days_before_expiry']) ?? {}, action: pick(action.action, ['action_type']) ?? {} };
    })
    : undefined;
  const out = {
    key_props: pick(p.key_props, ['kty', 'key_size', 'crv', 'exportable', 'reuse_key']),
    secret_props: pick(p.secret_props, ['contentType']),
    // Azure's default validity is 12 months; Coffer takes a given x509_props as a whole.
    x509_props: x509 && { validity_months: 12, ...x509, sans },
    lifetime_actions: actions,
    issuer: pick(p.issuer, ['name']),
  };
  // Azure's default lifetime action for an external CA (issuer Unknown) is EmailContacts: Coffer's default, AutoRenew, cannot reach it.
  if (!out.lifetime_actions && String(out.issuer?.name).toLowerCase() === 'unknown') {
    out.lifetime_actions = [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }];
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
