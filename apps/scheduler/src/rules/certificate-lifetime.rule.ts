import { CertificatePolicy } from '@coffer/contracts';
import { certificateActionDue, isDue, issuerKindOf } from '@coffer/domain';
import { LifecycleCertificateRow } from '@coffer/read-model';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';

/** What a certificate's current version needs now: a renewal and/or a contacts notice, each with its due time. */
export interface CertificateDue {
  action: 'renew' | 'notify-NearExpiry';
  due: number;
}

/**
 * Pure: the lifetime actions of a certificate's current version that are due at `now`.
 * AutoRenew → renew (never for issuer Unknown: no CA Coffer can reach). EmailContacts → a
 * NearExpiry notice, once per version and exp, and not once the version has expired.
 */
export function certificateActionsDue(row: LifecycleCertificateRow, policy: CertificatePolicy, now: number): CertificateDue[] {
  const out: CertificateDue[] = [];
  const actions = policy.lifetime_actions ?? [];
  const validity = { nbf: row.nbf, exp: row.exp };
  const renew = certificateActionDue(actions, 'AutoRenew', validity);
  if (isDue(renew, now) && issuerKindOf(policy).kind !== 'unknown') out.push({ action: 'renew', due: renew });
  const notify = certificateActionDue(actions, 'EmailContacts', validity);
  if (isDue(notify, now) && row.nearExpiryNotified !== row.exp && Date.parse(row.exp) > now) out.push({ action: 'notify-NearExpiry', due: notify });
  return out;
}

/**
 * Certificates' lifetime actions on the current version (no operation pending): `AutoRenew` at its
 * lifetime percentage / days before expiry → the ordinary `certificate.create` on the existing name
 * (the next version follows the policy; a new key unless reuse_key), check-and-set on the version it
 * was computed for, so a renewed version is never renewed twice. `EmailContacts` → `certificate.notify`
 * (CertificateNearExpiry addressed to the vault's contacts).
 */
export class CertificateLifetimeRule implements LifecycleRule {
  readonly name = 'certificate-lifetime';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    for await (const cert of keysetPages((after, limit) => ctx.queries.certificatesWithLifetimeActions(after, limit), ctx.pageSize, ctx.examined)) {
      const policy = JSON.parse(cert.policy) as CertificatePolicy;
      for (const { action, due } of certificateActionsDue(cert, policy, ctx.now)) {
        const object = `${cert.vault}/certificates/${cert.name}`;
        yield action === 'renew'
          ? { object, version: cert.version, action, due, send: (client, requestId) => client.certificates(cert.vault).create(cert.name, { requestId, ifMatch: cert.version }) }
          : { object, version: cert.version, action, due, send: (client, requestId) => client.certificates(cert.vault).notify(cert.name, cert.version, { requestId }) };
      }
    }
  }
}
