import { StatusReply } from '@coffer/contracts';
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
  ],
};

function joinDetail(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join('; ');
}
