import {
  BackupBlob, Curve, ExpiryNotice, ExpiryNoticeKind, DataKeyResult, DeletedKeyBundle, DeletedKeyItem, KeyBatchResult, KeyBundle, KeyItem, KeyOp,
  KeyOperationResult, KeyRotationPolicy, KeySubjectOp, KeyVerifyResult, LifetimeAction, Page, PurgeResult,
  RandomBytesResult, RequestedKeyType, SignatureAlgorithm, Subjects, WrapAlgorithm, EncryptionAlgorithm,
} from '@coffer/contracts/protocol';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { attributesBody, IfMatch, NotifyOptions, SecretAttributesInput } from './secrets-client';
import { assertVaultName } from './vault-name';

/** Binary input: bytes, or a string already in base64url (what the wire carries). */
export type Bytes = Uint8Array | string;

export type KeyAttributesInput = SecretAttributesInput;

export interface CreateKeyOptions extends CallOptions, KeyAttributesInput {
  /** RSA modulus bits (2048, 3072, 4096) or AES bits (128, 192, 256). */
  size?: number;
  publicExponent?: number;
  curve?: Curve;
  keyOps?: KeyOp[];
  tags?: Record<string, string>;
}

export interface ImportKeyOptions extends CallOptions, KeyAttributesInput {
  keyOps?: KeyOp[];
  tags?: Record<string, string>;
}

export interface KeyPropertiesPatch extends CallOptions, KeyAttributesInput {
  keyOps?: KeyOp[];
  tags?: Record<string, string>;
  ifMatch?: IfMatch;
}

/** Which version an operation uses (the latest when omitted). */
export interface KeyOperationOptions extends CallOptions {
  version?: string;
}

export interface EncryptOptions extends KeyOperationOptions {
  aad?: Bytes;
}

export interface DecryptOptions extends KeyOperationOptions {
  iv?: Bytes;
  tag?: Bytes;
  aad?: Bytes;
}

export interface DataKeyOptions extends KeyOperationOptions {
  /** Data key length in bytes (16–64, default 32). */
  bytes?: number;
  /** Return only the wrapped data key, never the plaintext. */
  wrappedOnly?: boolean;
}

export interface RotationPolicyInput {
  lifetimeActions: LifetimeAction[];
  /** ISO 8601 duration a new version stays valid, e.g. P90D. */
  expiryTime?: string;
}

/**
 * Keys of one vault: `coffer.v1.vault.<vault>.key.<op>`. Private and secret key material stays in
 * the HSM; operations send and return base64url values.
 */
export class KeysClient {
  readonly vault: string;

  constructor(
    private readonly requester: Requester,
    vault: string,
  ) {
    this.vault = assertVaultName(vault);
  }

  create(name: string, kty: RequestedKeyType, options: CreateKeyOptions = {}): Promise<KeyBundle> {
    return this.call('create', {
      name, kty,
      key_size: options.size,
      public_exponent: options.publicExponent,
      crv: options.curve,
      key_ops: options.keyOps,
      attributes: attributesBody(options),
      tags: options.tags,
    }, options);
  }

  /** BYOK: a private JWK (RSA, EC or oct) goes into the HSM under the same protection as a generated key. */
  import(name: string, jwk: Record<string, unknown>, options: ImportKeyOptions = {}): Promise<KeyBundle> {
    return this.call('import', { name, key: jwk, key_ops: options.keyOps, attributes: attributesBody(options), tags: options.tags }, options);
  }

  get(name: string, version?: string, options: CallOptions = {}): Promise<KeyBundle> {
    return this.call('get', { name, version }, options);
  }

  listPage(options: PageOptions = {}): Promise<Page<KeyItem>> {
    return this.call('list', pageBody(options), callOptionsOf(options));
  }

  list(options: ListOptions = {}): AsyncIterable<KeyItem> {
    return iteratePages((token) => this.listPage(nextPage(options, token)));
  }

  listVersionsPage(name: string, options: PageOptions = {}): Promise<Page<KeyItem>> {
    return this.call('versions', { name, ...pageBody(options) }, callOptionsOf(options));
  }

  listVersions(name: string, options: ListOptions = {}): AsyncIterable<KeyItem> {
    return iteratePages((token) => this.listVersionsPage(name, nextPage(options, token)));
  }

  /** Changes attributes, key_ops or tags of a version (the latest when `version` is undefined). */
  updateProperties(name: string, version: string | undefined, patch: KeyPropertiesPatch): Promise<KeyBundle> {
    return this.call('update', {
      name, version,
      key_ops: patch.keyOps,
      attributes: attributesBody(patch),
      tags: patch.tags,
      ifMatch: patch.ifMatch === undefined ? undefined : String(patch.ifMatch),
    }, patch);
  }

  /** A new version like the current one; with `ifMatch` (the current version or sequence) only if nothing changed meanwhile. */
  rotate(name: string, options: CallOptions & { ifMatch?: IfMatch } = {}): Promise<KeyBundle> {
    return this.call('rotate', { name, ifMatch: options.ifMatch === undefined ? undefined : String(options.ifMatch) }, options);
  }

  /** Records KeyNearExpiry / KeyExpired for a version (the scheduler's action; see SecretsClient.notify). */
  notify(name: string, version: string, kind: ExpiryNoticeKind, options: NotifyOptions = {}): Promise<ExpiryNotice> {
    return this.call('notify', { name, version, kind, nearExpiryDays: options.nearExpiryDays }, options);
  }

  delete(name: string, options: CallOptions = {}): Promise<DeletedKeyBundle> {
    return this.call('delete', { name }, options);
  }

  listDeletedPage(options: PageOptions = {}): Promise<Page<DeletedKeyItem>> {
    return this.call('deleted.list', pageBody(options), callOptionsOf(options));
  }

  listDeleted(options: ListOptions = {}): AsyncIterable<DeletedKeyItem> {
    return iteratePages((token) => this.listDeletedPage(nextPage(options, token)));
  }

  getDeleted(name: string, options: CallOptions = {}): Promise<DeletedKeyBundle> {
    return this.call('deleted.get', { name }, options);
  }

  recover(name: string, options: CallOptions = {}): Promise<KeyBundle> {
    return this.call('recover', { name }, options);
  }

  /** Purges a deleted key and destroys the HSM objects of every version. */
  purge(name: string, options: CallOptions = {}): Promise<PurgeResult> {
    return this.call('purge', { name }, options);
  }

  /** An opaque blob: every version, key material wrapped by the vault's trusted HSM backup key. */
  async backup(name: string, options: CallOptions = {}): Promise<string> {
    return (await this.call<BackupBlob>('backup', { name }, options)).value;
  }

  restore(blob: string, options: CallOptions = {}): Promise<KeyBundle> {
    return this.call('restore', { value: blob }, options);
  }

  getRotationPolicy(name: string, options: CallOptions = {}): Promise<KeyRotationPolicy> {
    return this.call('rotationpolicy.get', { name }, options);
  }

  setRotationPolicy(name: string, policy: RotationPolicyInput, options: CallOptions = {}): Promise<KeyRotationPolicy> {
    const attributes = policy.expiryTime === undefined ? undefined : { expiryTime: policy.expiryTime };
    return this.call('rotationpolicy.set', { name, lifetimeActions: policy.lifetimeActions, attributes }, options);
  }

  /** Signs a digest the caller computed (its length must match the algorithm). */
  sign(name: string, alg: SignatureAlgorithm, digest: Bytes, options: KeyOperationOptions = {}): Promise<KeyOperationResult> {
    return this.call('sign', { name, version: options.version, alg, value: b64u(digest) }, options);
  }

  verify(name: string, alg: SignatureAlgorithm, digest: Bytes, signature: Bytes, options: KeyOperationOptions = {}): Promise<KeyVerifyResult> {
    return this.call('verify', { name, version: options.version, alg, digest: b64u(digest), value: b64u(signature) }, options);
  }

  encrypt(name: string, alg: EncryptionAlgorithm, plaintext: Bytes, options: EncryptOptions = {}): Promise<KeyOperationResult> {
    return this.call('encrypt', { name, version: options.version, alg, value: b64u(plaintext), aad: optionalB64u(options.aad) }, options);
  }

  decrypt(name: string, alg: EncryptionAlgorithm, ciphertext: Bytes, options: DecryptOptions = {}): Promise<KeyOperationResult> {
    return this.call('decrypt', {
      name, version: options.version, alg, value: b64u(ciphertext),
      iv: optionalB64u(options.iv), tag: optionalB64u(options.tag), aad: optionalB64u(options.aad),
    }, options);
  }

  wrapKey(name: string, alg: WrapAlgorithm, key: Bytes, options: KeyOperationOptions = {}): Promise<KeyOperationResult> {
    return this.call('wrap', { name, version: options.version, alg, value: b64u(key) }, options);
  }

  unwrapKey(name: string, alg: WrapAlgorithm, wrapped: Bytes, options: KeyOperationOptions = {}): Promise<KeyOperationResult> {
    return this.call('unwrap', { name, version: options.version, alg, value: b64u(wrapped) }, options);
  }

  /** A fresh random data key wrapped under the key (and, unless wrappedOnly, in plaintext). */
  generateDataKey(name: string, alg: WrapAlgorithm, options: DataKeyOptions = {}): Promise<DataKeyResult> {
    return this.call('datakey', { name, version: options.version, alg, bytes: options.bytes, wrappedOnly: options.wrappedOnly }, options);
  }

  /** Re-wraps a value wrapped under `version` with the latest version; the plaintext never leaves the HSM side. */
  rewrap(name: string, version: string, alg: WrapAlgorithm, wrapped: Bytes, options: CallOptions = {}): Promise<KeyOperationResult> {
    return this.call('rewrap', { name, version, alg, value: b64u(wrapped) }, options);
  }

  /** 1–1024 random bytes from the HSM. */
  random(count: number, options: CallOptions = {}): Promise<RandomBytesResult> {
    return this.call('random', { count }, options);
  }

  signBatch(name: string, alg: SignatureAlgorithm, digests: Bytes[], options: KeyOperationOptions = {}): Promise<KeyBatchResult> {
    return this.call('batch.sign', { name, version: options.version, alg, items: digests.map((d) => ({ value: b64u(d) })) }, options);
  }

  encryptBatch(
    name: string, alg: EncryptionAlgorithm, items: Array<{ value: Bytes; aad?: Bytes }>, options: KeyOperationOptions = {},
  ): Promise<KeyBatchResult> {
    const body = items.map((i) => ({ value: b64u(i.value), aad: optionalB64u(i.aad) }));
    return this.call('batch.encrypt', { name, version: options.version, alg, items: body }, options);
  }

  private call<T>(op: KeySubjectOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request<T>(Subjects.key(this.vault, op), body, callOptionsOf(options));
  }
}

/** base64url without padding, the form every key operation carries on the wire. */
export function b64u(value: Bytes): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('base64url');
}

function optionalB64u(value: Bytes | undefined): string | undefined {
  return value === undefined ? undefined : b64u(value);
}
