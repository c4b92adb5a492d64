import { CERTIFICATE_CHANGE_TYPES, CERTIFICATE_EVENTS } from '../events/certificate-events';
import { contractKind, eventKind, KV_ACTIONS } from './contract-kind';

export * from '../events/certificate-events';
export * from '../certificates/certificate-policy';
export * from '../certificates/certificate-wire';

export const CERTIFICATE_OPS = [
  'create', 'import', 'get', 'list', 'versions', 'update', 'delete',
  'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore',
  'policy.get', 'policy.update', 'defaultpolicy', 'download',
  'pending.get', 'pending.merge', 'pending.cancel', 'pending.delete', 'notify',
] as const;
export type CertificateOp = (typeof CERTIFICATE_OPS)[number];

/** Certificates: a version is a certificate with its key and secret. */
export const CERTIFICATE_CONTRACT = contractKind({
  events: eventKind(CERTIFICATE_EVENTS, CERTIFICATE_CHANGE_TYPES),
  requests: { token: 'certificate', ops: CERTIFICATE_OPS },
  stream: { token: 'certificate', shape: 'named' },
  objects: 'certificates',
  actions: {
    certificatesRead: `${KV_ACTIONS}/certificates/read`,
    certificatesCreate: `${KV_ACTIONS}/certificates/create/action`,
    certificatesUpdate: `${KV_ACTIONS}/certificates/update/action`,
    certificatesImport: `${KV_ACTIONS}/certificates/import/action`,
    certificatesDelete: `${KV_ACTIONS}/certificates/delete`,
    certificatesBackup: `${KV_ACTIONS}/certificates/backup/action`,
    certificatesRestore: `${KV_ACTIONS}/certificates/restore/action`,
    certificatesRecover: `${KV_ACTIONS}/certificates/recover/action`,
    certificatesPurge: `${KV_ACTIONS}/certificates/purge/action`,
  },
  notFound: { code: 'CertificateNotFound', noun: 'Certificate' },
  change: { objectType: 'Certificate', path: 'certificates' },
});
