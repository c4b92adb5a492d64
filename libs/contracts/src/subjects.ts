import { CONTRACT_KINDS, KindsWith } from './kinds/contract-kinds';
import { KEY_CRYPTO_OPS } from './keys/key-crypto-messages';
import { PUBLIC_PREFIX } from './subject-prefix';

export { PUBLIC_PREFIX };

type Kinds = typeof CONTRACT_KINDS;
type RequestKind = KindsWith<'requests'>;
type StreamKind = KindsWith<'stream'>;
/** A kind's request ops (SecretOp, KeySubjectOp…, declared in its kinds/<kind>.contract.ts). */
export type KindOp<K extends RequestKind> = Kinds[K]['requests']['ops'][number];

const requestKinds = Object.entries(CONTRACT_KINDS).flatMap(([name, kind]) => ('requests' in kind ? [[name, kind.requests.token] as const] : []));
const streamKinds = Object.entries(CONTRACT_KINDS).flatMap(([name, kind]) => ('stream' in kind ? [[name, kind.stream] as const] : []));

/** `Subjects.<kind>(vault, op)`: `coffer.v1.vault.<vault>.<token>.<op>` for each kind with request subjects. */
const kindSubjects = Object.fromEntries(
  requestKinds.map(([name, token]) => [name, (vault: string, op: string) => `${PUBLIC_PREFIX}.vault.${vault}.${token}.${op}`]),
) as { readonly [K in RequestKind]: (vault: string, op: KindOp<K>) => string };

/** `Patterns.<kind>(op)`: the same subjects with `*` for the vault. */
const kindPatterns = Object.fromEntries(
  requestKinds.map(([name, token]) => [name, (op: string) => `${PUBLIC_PREFIX}.vault.*.${token}.${op}`]),
) as { readonly [K in RequestKind]: (op: KindOp<K>) => string };

/** `Streams.events.<kind>`: `coffer.events.<vault>.<token>.<name>` (named) or `coffer.events.<vault>.<token>` (one per vault). */
const kindStreams = Object.fromEntries(
  streamKinds.map(([name, { token, shape }]) => [
    name, shape === 'named' ? (vault: string, object: string) => `coffer.events.${vault}.${token}.${object}` : (vault: string) => `coffer.events.${vault}.${token}`,
  ]),
) as { readonly [K in StreamKind]: Kinds[K]['stream']['shape'] extends 'named' ? (vault: string, name: string) => string : (vault: string) => string };

/**
 * Every NATS subject Coffer uses, in one place (the README lists the same table); a kind's request
 * and event subjects derive from its declaration in CONTRACT_KINDS.
 * Public request subjects are versioned and scoped by vault; internal ones are separate so that
 * transport security can fence them off from clients.
 */
export const Subjects = {
  status: `${PUBLIC_PREFIX}.status`,
  vaultList: `${PUBLIC_PREFIX}.vaults.list`,
  vault: (vault: string, op: VaultOp) => `${PUBLIC_PREFIX}.vault.${vault}.${op}`,
  ...kindSubjects,
} as const;

export const VAULT_OPS = ['create', 'show', 'update'] as const;
export type VaultOp = (typeof VAULT_OPS)[number];

/** Patterns the vault service subscribes to (`*` = the vault name token). */
export const Patterns = {
  status: Subjects.status,
  vaultList: Subjects.vaultList,
  vault: (op: VaultOp) => `${PUBLIC_PREFIX}.vault.*.${op}`,
  ...kindPatterns,
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
    ...kindStreams,
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
