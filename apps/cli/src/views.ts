import { AuditStorageStatus, AuditVerifyReply, ObjectUsage, PrincipalInfo, RoleInfo, StatusReply, WhoAmIReply } from '@coffer/contracts/protocol';
import { View } from './output';

/** Table and tsv columns per reply type (json shows every field). */

export const vaultView: View = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'RetentionDays', path: 'retentionDays' },
    { header: 'PurgeProtection', path: 'purgeProtection' },
    { header: 'RecoveryLevel', path: 'recoveryLevel' },
    { header: 'Created', path: 'created' },
    { header: 'Updated', path: 'updated' },
  ],
};

const secretColumns = [
  { header: 'Name', path: 'name' },
  { header: 'Version', path: 'version' },
  { header: 'Enabled', path: 'attributes.enabled' },
  { header: 'ContentType', path: 'contentType' },
  { header: 'NotBefore', path: 'attributes.nbf' },
  { header: 'Expires', path: 'attributes.exp' },
  { header: 'Updated', path: 'attributes.updated' },
  { header: 'Tags', path: 'tags' },
];

export const secretItemView: View = { columns: secretColumns };

/** A secret with its value (set, show) or its sequence for check-and-set (set, set-attributes). */
export const secretBundleView: View = {
  columns: [...secretColumns.slice(0, 2), { header: 'Value', path: 'value' }, { header: 'Sequence', path: 'sequence' }, ...secretColumns.slice(2)],
};

export const deletedSecretView: View = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'DeletedDate', path: 'deletedDate' },
    { header: 'ScheduledPurgeDate', path: 'scheduledPurgeDate' },
    { header: 'RecoveryId', path: 'recoveryId' },
  ],
};

export const purgeView: View = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Purged', path: 'purged' },
  ],
};

export const statusView: View<StatusReply> = {
  columns: [
    { header: 'Component', path: 'component' },
    { header: 'OK', path: 'ok' },
    { header: 'Lag', path: 'lag' },
    { header: 'Detail', path: 'detail' },
  ],
  rows: (status) => [
    { component: 'vault', ok: status.vault.ok, detail: joinDetail(`version ${status.vault.version}`, status.vault.detail) },
    {
      component: 'crypto-worker',
      ok: status.cryptoWorker.ok,
      detail: joinDetail(
        status.cryptoWorker.token && `token ${status.cryptoWorker.token}`,
        status.cryptoWorker.sessions !== undefined ? `${status.cryptoWorker.sessions} sessions` : undefined,
        status.cryptoWorker.detail,
      ),
    },
    {
      component: 'projector',
      ok: status.projector.ok,
      lag: status.projector.lag,
      detail: joinDetail(
        status.projector.checkpoint !== undefined ? `checkpoint ${status.projector.checkpoint}/${status.projector.lastSequence ?? '?'}` : undefined,
        status.projector.detail,
      ),
    },
    {
      component: 'audit',
      ok: status.audit.ok,
      lag: status.audit.lag,
      detail: joinDetail(
        status.audit.count !== undefined ? `${status.audit.count} records chained` : undefined,
        auditStorageDetail(status.audit.storage),
        status.audit.detail,
      ),
    },
    // Vaults older than the scheduler's row do not report it.
    ...(status.scheduler ? [{
      component: 'scheduler',
      ok: status.scheduler.ok,
      detail: joinDetail(
        status.scheduler.leader !== undefined ? (status.scheduler.leader ? 'leader' : 'standby') : undefined,
        status.scheduler.scans !== undefined ? `${status.scheduler.scans} scans` : undefined,
        status.scheduler.lastScanAt && `last ${status.scheduler.lastScanAt}`,
        status.scheduler.detail,
      ),
    }] : []),
  ],
};

/** The audit stores' alert: `audit: full (stream 99.2%, database 40%)` or `near full (…)`; nothing when ok. */
function auditStorageDetail(storage: AuditStorageStatus | undefined): string | undefined {
  if (!storage || storage.alert === 'ok') return undefined;
  const uses = [
    ['stream', Math.max(storage.streamBytes.percent, storage.streamMessages.percent)],
    ['checkpoints', storage.checkpointBytes.percent],
    ['database', storage.databaseBytes.percent],
  ] as const;
  return `audit: ${storage.alert === 'full' ? 'FULL, requests are refused (AuditStoreFull)' : 'near full'} (${uses.map(([n, p]) => `${n} ${p}%`).join(', ')})`;
}

function joinDetail(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join('; ');
}

// --- Identity, access and audit -------------------------------------------------------------

interface PrincipalLike {
  credentials?: { id: string; kind: string; expires?: string }[];
}

/** Credentials in one cell: `c-…:secret, c-…:ed25519 (expires …)`. */
function credentialsCell(p: PrincipalLike): string {
  return (p.credentials ?? []).map((c) => `${c.id}:${c.kind}${c.expires ? ` (expires ${c.expires})` : ''}`).join(', ');
}

export const principalView: View<PrincipalInfo | PrincipalInfo[]> = {
  columns: [
    { header: 'Id', path: 'id' },
    { header: 'Name', path: 'name' },
    { header: 'Type', path: 'type' },
    { header: 'Enabled', path: 'enabled' },
    { header: 'Created', path: 'created' },
    { header: 'Credentials', path: 'credentials' },
  ],
  rows: (data) => (Array.isArray(data) ? data : [data]).map((p) => ({ ...p, credentials: credentialsCell(p) })),
};

export const credentialCreatedView: View = {
  columns: [
    { header: 'PrincipalId', path: 'principalId' },
    { header: 'CredentialId', path: 'credentialId' },
    { header: 'ClientSecret', path: 'clientSecret' },
    { header: 'PublicKey', path: 'publicKey' },
    { header: 'KeyFile', path: 'keyFile' },
  ],
};

export const roleView: View<RoleInfo[]> = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Description', path: 'description' },
    { header: 'DataActions', path: 'dataActions' },
  ],
  rows: (roles) => roles.map((r) => ({ ...r, dataActions: (r.dataActions ?? []).join(' ') })),
};

export const roleAssignmentView: View = {
  columns: [
    { header: 'Id', path: 'id' },
    { header: 'PrincipalId', path: 'principalId' },
    { header: 'Role', path: 'role' },
    { header: 'Scope', path: 'scope' },
    { header: 'Created', path: 'created' },
  ],
};

/** One row per role assignment (one without a role when there is none), the principal repeated. */
export const whoamiView: View<WhoAmIReply> = {
  columns: [
    { header: 'Principal', path: 'principal' },
    { header: 'Name', path: 'name' },
    { header: 'Type', path: 'type' },
    { header: 'Role', path: 'role' },
    { header: 'Scope', path: 'scope' },
    { header: 'TokenExpiresOn', path: 'tokenExpiresOn' },
  ],
  rows: (me) => {
    const who = { principal: me.principal.id, name: me.principal.name, type: me.principal.type, tokenExpiresOn: me.tokenExpiresOn };
    const assignments = me.assignments ?? [];
    return assignments.length === 0 ? [who] : assignments.map((a) => ({ ...who, role: a.role, scope: a.scope }));
  },
};

export const loginView: View = {
  columns: [
    { header: 'NatsUrl', path: 'natsUrl' },
    { header: 'ClientId', path: 'clientId' },
    { header: 'ExpiresOn', path: 'expiresOn' },
    { header: 'TokenFile', path: 'tokenFile' },
  ],
};

export const auditRecordView: View = {
  columns: [
    { header: 'Time', path: 'time' },
    { header: 'Principal', path: 'principal' },
    { header: 'Action', path: 'action' },
    { header: 'ObjectId', path: 'objectId' },
    { header: 'Version', path: 'version' },
    { header: 'Outcome', path: 'outcome' },
    { header: 'ErrorCode', path: 'errorCode' },
    { header: 'RequestId', path: 'requestId' },
    // Summary records: how many anonymous failures of this kind were folded, until when.
    { header: 'Count', path: 'count' },
    { header: 'LastTime', path: 'lastTime' },
  ],
};

/** One row per problem (kind, sequence, detail); a single summary row when there is none. */
export const auditVerifyView: View<AuditVerifyReply> = {
  columns: [
    { header: 'OK', path: 'ok' },
    { header: 'CheckedRecords', path: 'checkedRecords' },
    { header: 'Checkpoints', path: 'checkpoints' },
    { header: 'Kind', path: 'kind' },
    { header: 'Sequence', path: 'sequence' },
    { header: 'Detail', path: 'detail' },
  ],
  rows: (reply) => {
    const summary = { ok: reply.ok, checkedRecords: reply.checkedRecords, checkpoints: reply.checkpoints };
    const problems = reply.problems ?? [];
    return problems.length === 0 ? [summary] : problems.map((p) => ({ ...summary, ...p }));
  },
};

/** One row per version: who read it last, when, how often. */
export const objectUsageView: View<ObjectUsage> = {
  columns: [
    { header: 'ObjectId', path: 'objectId' },
    { header: 'Version', path: 'version' },
    { header: 'LastReadBy', path: 'lastReadBy' },
    { header: 'LastReadAt', path: 'lastReadAt' },
    { header: 'Reads', path: 'reads' },
  ],
  rows: (usage) => (usage.versions ?? []).map((v) => ({ objectId: usage.objectId, ...v })),
};

const keyColumns = [
  { header: 'Name', path: 'name' },
  { header: 'Version', path: 'version' },
  { header: 'Type', path: 'kty' },
  { header: 'Enabled', path: 'attributes.enabled' },
  { header: 'NotBefore', path: 'attributes.nbf' },
  { header: 'Expires', path: 'attributes.exp' },
  { header: 'Updated', path: 'attributes.updated' },
  { header: 'Tags', path: 'tags' },
];

export const keyItemView: View = { columns: keyColumns };

/** A key bundle: the type and permitted operations live in its public JWK. */
export const keyBundleView: View = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Version', path: 'version' },
    { header: 'Type', path: 'key.kty' },
    { header: 'Curve/Size', path: 'size' },
    { header: 'Operations', path: 'key.key_ops' },
    { header: 'Sequence', path: 'sequence' },
    ...keyColumns.slice(3),
  ],
  rows: (bundle) => {
    const b = bundle as { key?: { crv?: string; n?: string } };
    const size = b.key?.crv ?? (b.key?.n ? `RSA ${Buffer.from(b.key.n, 'base64url').length * 8}` : undefined);
    return [{ ...(bundle as object), size }];
  },
};

export const deletedKeyView: View = deletedSecretView;

export const keyOperationView: View = {
  columns: [
    { header: 'Kid', path: 'kid' },
    { header: 'Value', path: 'value' },
    { header: 'Iv', path: 'iv' },
    { header: 'Tag', path: 'tag' },
  ],
};

export const keyVerifyView: View = {
  columns: [
    { header: 'Kid', path: 'kid' },
    { header: 'Valid', path: 'value' },
  ],
};

export const dataKeyView: View = {
  columns: [
    { header: 'Kid', path: 'kid' },
    { header: 'Wrapped', path: 'wrapped' },
    { header: 'Plaintext', path: 'plaintext' },
  ],
};

export const randomView: View = { columns: [{ header: 'Value', path: 'value' }] };

export const rotationPolicyView: View<{ lifetimeActions: Array<{ trigger: Record<string, string>; action: { type: string } }>; attributes?: { expiryTime?: string } }> = {
  columns: [
    { header: 'Action', path: 'action' },
    { header: 'Trigger', path: 'trigger' },
    { header: 'ExpiryTime', path: 'expiryTime' },
  ],
  rows: (policy) => {
    const expiryTime = policy.attributes?.expiryTime;
    if (policy.lifetimeActions.length === 0) return [{ action: '-', trigger: '-', expiryTime }];
    return policy.lifetimeActions.map((a) => ({
      action: a.action.type,
      trigger: Object.entries(a.trigger).map(([k, v]) => `${k}=${v}`).join(' '),
      expiryTime,
    }));
  },
};

// --- Certificates and issuers ---------------------------------------------------------------

const certificateColumns = [
  { header: 'Name', path: 'name' },
  { header: 'Version', path: 'version' },
  { header: 'Thumbprint', path: 'x5t' },
  { header: 'Enabled', path: 'attributes.enabled' },
  { header: 'NotBefore', path: 'attributes.nbf' },
  { header: 'Expires', path: 'attributes.exp' },
  { header: 'Tags', path: 'tags' },
];

export const certificateItemView: View = { columns: certificateColumns };

export const certificateBundleView: View = {
  columns: [
    ...certificateColumns.slice(0, 2),
    { header: 'Subject', path: 'subject' },
    { header: 'Issuer', path: 'issuer' },
    { header: 'SerialNumber', path: 'serialNumber' },
    { header: 'Sequence', path: 'sequence' },
    ...certificateColumns.slice(3),
  ],
};

export const deletedCertificateView: View = deletedSecretView;

export const certificateOperationView: View = {
  columns: [
    { header: 'Target', path: 'target' },
    { header: 'Issuer', path: 'issuer.name' },
    { header: 'Status', path: 'status' },
    { header: 'Details', path: 'status_details' },
    { header: 'RequestId', path: 'request_id' },
  ],
};

/** create / merge: the operation, and the version it made when it completed. */
export const certificateCreateView: View<{ operation: { target: string; status: string; issuer: { name: string } }; certificate?: { version: string; subject: string; attributes: { exp?: string } } }> = {
  columns: [
    { header: 'Target', path: 'target' },
    { header: 'Status', path: 'status' },
    { header: 'Issuer', path: 'issuer' },
    { header: 'Version', path: 'version' },
    { header: 'Subject', path: 'subject' },
    { header: 'Expires', path: 'expires' },
  ],
  rows: ({ operation, certificate }) => [{
    target: operation.target, status: operation.status, issuer: operation.issuer.name,
    version: certificate?.version, subject: certificate?.subject, expires: certificate?.attributes.exp,
  }],
};

export const certificatePolicyView: View = {
  columns: [
    { header: 'Subject', path: 'x509_props.subject' },
    { header: 'Issuer', path: 'issuer.name' },
    { header: 'KeyType', path: 'key_props.kty' },
    { header: 'Exportable', path: 'key_props.exportable' },
    { header: 'ReuseKey', path: 'key_props.reuse_key' },
    { header: 'ContentType', path: 'secret_props.contentType' },
    { header: 'ValidityMonths', path: 'x509_props.validity_months' },
  ],
};

export const certificateDownloadView: View = { columns: [{ header: 'Encoding', path: 'encoding' }, { header: 'Value', path: 'value' }] };

export const certificateContactsView: View<{ contacts: Array<{ email: string; name?: string; phone?: string }> }> = {
  columns: [
    { header: 'Email', path: 'email' },
    { header: 'Name', path: 'name' },
    { header: 'Phone', path: 'phone' },
  ],
  rows: (c) => c.contacts,
};

export const issuerItemView: View = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Subject', path: 'subject' },
    { header: 'NotAfter', path: 'notAfter' },
  ],
};

export const issuerView: View = {
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Parent', path: 'parent' },
    { header: 'Subject', path: 'subject' },
    { header: 'KeyType', path: 'kty' },
    { header: 'SerialNumber', path: 'serialNumber' },
    { header: 'NotAfter', path: 'notAfter' },
    { header: 'Revoked', path: 'revokedCount' },
  ],
};

export const signedCsrView: View = { columns: [{ header: 'Issuer', path: 'issuer' }, { header: 'SerialNumber', path: 'serialNumber' }, { header: 'Certificate', path: 'cer' }] };

export const revocationView: View = {
  columns: [
    { header: 'Issuer', path: 'issuer' },
    { header: 'SerialNumber', path: 'serialNumber' },
    { header: 'RevocationDate', path: 'revocationDate' },
    { header: 'Reason', path: 'reason' },
  ],
};

export const crlView: View = {
  columns: [
    { header: 'Issuer', path: 'issuer' },
    { header: 'CrlNumber', path: 'crlNumber' },
    { header: 'ThisUpdate', path: 'thisUpdate' },
    { header: 'NextUpdate', path: 'nextUpdate' },
    { header: 'Revoked', path: 'revokedCount' },
  ],
  rows: (crl) => [{ ...(crl as object), revokedCount: (crl as { revoked: unknown[] }).revoked.length }],
};
