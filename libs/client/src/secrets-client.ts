import {
  BackupBlob, DeletedSecretItem, ExpiryNotice, ExpiryNoticeKind, Page, PurgeResult, SecretBundle, SecretItem, SecretOp, Subjects,
} from '@coffer/contracts/protocol';
import { toWireTime } from './dates';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { assertVaultName } from './vault-name';

/** Attributes as callers write them; times may be Dates or ISO 8601 strings. */
export interface SecretAttributesInput {
  enabled?: boolean;
  notBefore?: Date | string;
  expiresOn?: Date | string;
}

/** Check-and-set: the latest version id the caller saw, or the object's sequence. */
export type IfMatch = string | number;

export interface SetSecretOptions extends CallOptions, SecretAttributesInput {
  contentType?: string;
  tags?: Record<string, string>;
  ifMatch?: IfMatch;
}

export interface SecretPropertiesPatch extends CallOptions, SecretAttributesInput {
  contentType?: string;
  tags?: Record<string, string>;
  ifMatch?: IfMatch;
}

export interface NotifyOptions extends CallOptions {
  /** NearExpiry window (default 30 days). */
  nearExpiryDays?: number;
}

/** What an update returns: the bundle without its value. */
export type SecretProperties = Omit<SecretBundle, 'value'>;

/** Secrets of one vault: `coffer.v1.vault.<vault>.secret.<op>`. */
export class SecretsClient {
  readonly vault: string;

  constructor(
    private readonly requester: Requester,
    vault: string,
  ) {
    this.vault = assertVaultName(vault);
  }

  set(name: string, value: string, options: SetSecretOptions = {}): Promise<SecretBundle> {
    const body = {
      name, value,
      contentType: options.contentType,
      tags: options.tags,
      attributes: attributesBody(options),
      ifMatch: ifMatchBody(options.ifMatch),
    };
    return this.call('set', body, options);
  }

  get(name: string, version?: string, options: CallOptions = {}): Promise<SecretBundle> {
    return this.call('get', { name, version }, options);
  }

  listPage(options: PageOptions = {}): Promise<Page<SecretItem>> {
    return this.call('list', pageBody(options), callOptionsOf(options));
  }

  list(options: ListOptions = {}): AsyncIterable<SecretItem> {
    return iteratePages((token) => this.listPage(nextPage(options, token)));
  }

  listVersionsPage(name: string, options: PageOptions = {}): Promise<Page<SecretItem>> {
    return this.call('versions', { name, ...pageBody(options) }, callOptionsOf(options));
  }

  listVersions(name: string, options: ListOptions = {}): AsyncIterable<SecretItem> {
    return iteratePages((token) => this.listVersionsPage(name, nextPage(options, token)));
  }

  /** Changes attributes, content type or tags of a version (the latest when `version` is undefined). */
  updateProperties(name: string, version: string | undefined, patch: SecretPropertiesPatch): Promise<SecretProperties> {
    const body = {
      name, version,
      attributes: attributesBody(patch),
      contentType: patch.contentType,
      tags: patch.tags,
      ifMatch: ifMatchBody(patch.ifMatch),
    };
    return this.call('update', body, patch);
  }

  delete(name: string, options: CallOptions = {}): Promise<DeletedSecretItem> {
    return this.call('delete', { name }, options);
  }

  listDeletedPage(options: PageOptions = {}): Promise<Page<DeletedSecretItem>> {
    return this.call('deleted.list', pageBody(options), callOptionsOf(options));
  }

  listDeleted(options: ListOptions = {}): AsyncIterable<DeletedSecretItem> {
    return iteratePages((token) => this.listDeletedPage(nextPage(options, token)));
  }

  getDeleted(name: string, options: CallOptions = {}): Promise<DeletedSecretItem> {
    return this.call('deleted.get', { name }, options);
  }

  recover(name: string, options: CallOptions = {}): Promise<SecretItem> {
    return this.call('recover', { name }, options);
  }

  purge(name: string, options: CallOptions = {}): Promise<PurgeResult> {
    return this.call('purge', { name }, options);
  }

  /** An opaque blob holding every version, restorable with `restore`. */
  async backup(name: string, options: CallOptions = {}): Promise<string> {
    const blob = await this.call<BackupBlob>('backup', { name }, options);
    return blob.value;
  }

  restore(blob: string, options: CallOptions = {}): Promise<SecretItem> {
    return this.call('restore', { value: blob }, options);
  }

  /**
   * Records SecretNearExpiry / SecretExpired for a version (needs Coffer/lifecycle/notify/action:
   * the scheduler's). Refused before it is due, for a version without exp, or a second time.
   */
  notify(name: string, version: string, kind: ExpiryNoticeKind, options: NotifyOptions = {}): Promise<ExpiryNotice> {
    return this.call('notify', { name, version, kind, nearExpiryDays: options.nearExpiryDays }, options);
  }

  private call<T>(op: SecretOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request<T>(Subjects.secret(this.vault, op), body, callOptionsOf(options));
  }
}

/** The wire `attributes` object, or undefined when the caller set none (so nothing is sent). */
export function attributesBody(input: SecretAttributesInput): { enabled?: boolean; nbf?: string; exp?: string } | undefined {
  const attributes = {
    enabled: input.enabled,
    nbf: input.notBefore === undefined ? undefined : toWireTime(input.notBefore, 'notBefore'),
    exp: input.expiresOn === undefined ? undefined : toWireTime(input.expiresOn, 'expiresOn'),
  };
  return Object.values(attributes).some((v) => v !== undefined) ? attributes : undefined;
}

function ifMatchBody(ifMatch: IfMatch | undefined): string | undefined {
  return ifMatch === undefined ? undefined : String(ifMatch);
}
