import { KEY_CRYPTO_OPS } from './keys/key-crypto-messages';

/**
 * Every NATS subject Coffer uses, in one place (the README lists the same table).
 * Public request subjects are versioned and scoped by vault; internal ones are separate so that
 * transport security can fence them off from clients.
 */
export const PUBLIC_PREFIX = 'coffer.v1';

export const Subjects = {
  status: `${PUBLIC_PREFIX}.status`,
  vaultList: `${PUBLIC_PREFIX}.vaults.list`,
  vault: (vault: string, op: VaultOp) => `${PUBLIC_PREFIX}.vault.${vault}.${op}`,
  secret: (vault: string, op: SecretOp) => `${PUBLIC_PREFIX}.vault.${vault}.secret.${op}`,
  key: (vault: string, op: KeySubjectOp) => `${PUBLIC_PREFIX}.vault.${vault}.key.${op}`,
  certificate: (vault: string, op: CertificateOp) => `${PUBLIC_PREFIX}.vault.${vault}.certificate.${op}`,
  issuer: (vault: string, op: IssuerOp) => `${PUBLIC_PREFIX}.vault.${vault}.issuer.${op}`,
  contacts: (vault: string, op: ContactsOp) => `${PUBLIC_PREFIX}.vault.${vault}.contacts.${op}`,
} as const;

export const VAULT_OPS = ['create', 'show', 'update'] as const;
export type VaultOp = (typeof VAULT_OPS)[number];

export const SECRET_OPS = [
  'set', 'get', 'list', 'versions', 'update', 'delete',
  'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore',
  'notify',
] as const;
export type SecretOp = (typeof SECRET_OPS)[number];

export const KEY_SUBJECT_OPS = [
  'create', 'import', 'get', 'list', 'versions', 'update', 'delete',
  'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore', 'rotate',
  'rotationpolicy.get', 'rotationpolicy.set',
  'sign', 'verify', 'encrypt', 'decrypt', 'wrap', 'unwrap',
  'datakey', 'rewrap', 'random', 'batch.sign', 'batch.encrypt',
  'notify',
] as const;
export type KeySubjectOp = (typeof KEY_SUBJECT_OPS)[number];

export const CERTIFICATE_OPS = [
  'create', 'import', 'get', 'list', 'versions', 'update', 'delete',
  'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore',
  'policy.get', 'policy.update', 'defaultpolicy', 'download',
  'pending.get', 'pending.merge', 'pending.cancel', 'pending.delete', 'notify',
] as const;
export type CertificateOp = (typeof CERTIFICATE_OPS)[number];
export const ISSUER_OPS = ['create', 'list', 'get', 'signcsr', 'revoke', 'crl'] as const;
export type IssuerOp = (typeof ISSUER_OPS)[number];
export const CONTACTS_OPS = ['set', 'get', 'delete'] as const;
export type ContactsOp = (typeof CONTACTS_OPS)[number];

/** Patterns the vault service subscribes to (`*` = the vault name token). */
export const Patterns = {
  status: Subjects.status,
  vaultList: Subjects.vaultList,
  vault: (op: VaultOp) => `${PUBLIC_PREFIX}.vault.*.${op}`,
  secret: (op: SecretOp) => `${PUBLIC_PREFIX}.vault.*.secret.${op}`,
  key: (op: KeySubjectOp) => `${PUBLIC_PREFIX}.vault.*.key.${op}`,
  certificate: (op: CertificateOp) => `${PUBLIC_PREFIX}.vault.*.certificate.${op}`,
  issuer: (op: IssuerOp) => `${PUBLIC_PREFIX}.vault.*.issuer.${op}`,
  contacts: (op: ContactsOp) => `${PUBLIC_PREFIX}.vault.*.contacts.${op}`,
} as const;

/** Position of the vault name in a `coffer.v1.vault.<vault>.…` subject. */
export const VAULT_TOKEN_INDEX = 3;

export function vaultFromSubject(subject: string): string {
  return subject.split('.')[VAULT_TOKEN_INDEX] ?? '';
}

export const InternalSubjects = {
  cryptoPrefix: 'coffer.internal.crypto',
  crypto: (op: CryptoOp) => `coffer.internal.crypto.${op}`,
  projectorApplied: 'coffer.internal.projector.applied',
  projectorStatus: 'coffer.internal.projector.status',
  /** The audit service answers these for the vault, which authorizes and audits the public request. */
  audit: (op: 'query' | 'verify' | 'usage' | 'status' | 'feed') => `coffer.internal.audit.${op}`,
} as const;

export const CRYPTO_OPS = [
  'status', 'kek.ensure', 'datakey.generate', 'datakey.unwrap', 'signingkey.ensure', 'sign', 'keyedhash', ...KEY_CRYPTO_OPS,
] as const;
export type CryptoOp = (typeof CRYPTO_OPS)[number];

/** JetStream layout. One subject per object: an object's history is one subject. */
export const Streams = {
  events: {
    name: 'COFFER_EVENTS',
    subjects: ['coffer.events.>'],
    vault: (vault: string) => `coffer.events.${vault}.vault`,
    secret: (vault: string, name: string) => `coffer.events.${vault}.secret.${name}`,
    key: (vault: string, name: string) => `coffer.events.${vault}.key.${name}`,
    certificate: (vault: string, name: string) => `coffer.events.${vault}.certificate.${name}`,
    issuer: (vault: string, name: string) => `coffer.events.${vault}.issuer.${name}`,
    contacts: (vault: string) => `coffer.events.${vault}.certificatecontacts`,
  },
  /** Wrapped data keys, one subject per object; purge erases these messages (crypto-shredding). */
  keyring: {
    name: 'COFFER_KEYRING',
    subjects: ['coffer.keyring.>'],
    secret: (vault: string, name: string) => `coffer.keyring.${vault}.secret.${name}`,
  },
} as const;

export const PROJECTOR_DURABLE = 'coffer-projector';

/** NATS headers Coffer reads or writes. */
export const Headers = {
  requestId: 'Coffer-Request-Id',
} as const;
