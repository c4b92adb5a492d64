import {
  BackupBlob, CertificateBundle, ExpiryNotice, CertificateContact, CertificateContacts, CertificateCreateResult, CertificateDownload, CertificateItem, CertificateOp,
  CertificateOperation, CertificatePolicy, CertificatePolicyRequest, ContactsOp, CrlBundle, DeletedCertificateBundle, DeletedCertificateItem,
  IssuerBundle, IssuerCreateRequest, IssuerItem, IssuerOp, Page, PurgeResult, RevocationResult, SignedCsrResult, Subjects,
} from '@coffer/contracts/protocol';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { IfMatch } from './secrets-client';
import { assertVaultName } from './vault-name';

export interface CreateCertificateOptions extends CallOptions {
  /** Parts not given take the default policy's (see getDefaultPolicy). */
  policy?: CertificatePolicyRequest;
  enabled?: boolean;
  tags?: Record<string, string>;
  /** A new version of an existing certificate only if its current version (or sequence) is still this. */
  ifMatch?: IfMatch;
}

export interface CertificatePropertiesPatch extends CallOptions {
  enabled?: boolean;
  tags?: Record<string, string>;
  ifMatch?: IfMatch;
}

/**
 * Certificates of one vault (`coffer.v1.vault.<vault>.certificate.*`) and the vault's certificate
 * contacts: create from a policy (self-signed, a Coffer issuer, or pending for an external CA),
 * read, list, download, update, delete/recover/purge and merge.
 */
export class CertificatesClient {
  readonly vault: string;

  constructor(private readonly requester: Requester, vault: string) {
    this.vault = assertVaultName(vault);
  }

  /** Returns the operation (completed for Self and Coffer issuers, with the certificate; inProgress for Unknown). */
  create(name: string, options: CreateCertificateOptions = {}): Promise<CertificateCreateResult> {
    return this.call('create', {
      name, policy: options.policy, attributes: options.enabled === undefined ? undefined : { enabled: options.enabled }, tags: options.tags,
      ifMatch: options.ifMatch === undefined ? undefined : String(options.ifMatch),
    }, options);
  }

  /**
   * Records CertificateNearExpiry for a version once its policy's EmailContacts action is due,
   * addressed to the vault's contacts (the scheduler's action; once per version).
   */
  notify(name: string, version: string, options: CallOptions = {}): Promise<ExpiryNotice & { contacts: string[] }> {
    return this.call('notify', { name, version, kind: 'NearExpiry' }, options);
  }

  get(name: string, version?: string, options: CallOptions = {}): Promise<CertificateBundle> {
    return this.call('get', { name, version }, options);
  }

  listPage(options: PageOptions = {}): Promise<Page<CertificateItem>> {
    return this.call('list', pageBody(options), callOptionsOf(options));
  }

  list(options: ListOptions = {}): AsyncIterable<CertificateItem> {
    return iteratePages((token) => this.listPage(nextPage(options, token)));
  }

  listVersionsPage(name: string, options: PageOptions = {}): Promise<Page<CertificateItem>> {
    return this.call('versions', { name, ...pageBody(options) }, callOptionsOf(options));
  }

  listVersions(name: string, options: ListOptions = {}): AsyncIterable<CertificateItem> {
    return iteratePages((token) => this.listVersionsPage(name, nextPage(options, token)));
  }

  updateProperties(name: string, version: string | undefined, patch: CertificatePropertiesPatch): Promise<CertificateBundle> {
    return this.call('update', {
      name, version, attributes: patch.enabled === undefined ? undefined : { enabled: patch.enabled }, tags: patch.tags,
      ifMatch: patch.ifMatch === undefined ? undefined : String(patch.ifMatch),
    }, patch);
  }

  getPolicy(name: string, options: CallOptions = {}): Promise<CertificatePolicy> {
    return this.call('policy.get', { name }, options);
  }

  /** Replaces the parts of the policy given (the next version follows it). */
  updatePolicy(name: string, policy: CertificatePolicyRequest, options: CallOptions = {}): Promise<CertificatePolicy> {
    return this.call('policy.update', { name, policy }, options);
  }

  getDefaultPolicy(options: CallOptions = {}): Promise<CertificatePolicy> {
    return this.call('defaultpolicy', {}, options);
  }

  /** The public certificate: PEM (with its chain) or DER (base64). */
  download(name: string, encoding: 'PEM' | 'DER' = 'PEM', version?: string, options: CallOptions = {}): Promise<CertificateDownload> {
    return this.call('download', { name, version, encoding }, options);
  }

  /**
   * Imports a certificate with its private key: a PFX (base64, with its password) or PEM text (the
   * certificate, its chain and an unencrypted PKCS#8 key). The key goes into the HSM.
   */
  import(name: string, value: string, options: CreateCertificateOptions & { password?: string } = {}): Promise<CertificateBundle> {
    return this.call('import', {
      name, value, password: options.password, policy: options.policy,
      attributes: options.enabled === undefined ? undefined : { enabled: options.enabled }, tags: options.tags,
    }, options);
  }

  /** Every version with its key (wrapped by the HSM backup key) and secret, sealed for this Coffer. */
  async backup(name: string, options: CallOptions = {}): Promise<string> {
    return (await this.call<BackupBlob>('backup', { name }, options)).value;
  }

  restore(blob: string, options: CallOptions = {}): Promise<CertificateBundle> {
    return this.call('restore', { value: blob }, options);
  }

  delete(name: string, options: CallOptions = {}): Promise<DeletedCertificateBundle> {
    return this.call('delete', { name }, options);
  }

  listDeletedPage(options: PageOptions = {}): Promise<Page<DeletedCertificateItem>> {
    return this.call('deleted.list', pageBody(options), callOptionsOf(options));
  }

  listDeleted(options: ListOptions = {}): AsyncIterable<DeletedCertificateItem> {
    return iteratePages((token) => this.listDeletedPage(nextPage(options, token)));
  }

  getDeleted(name: string, options: CallOptions = {}): Promise<DeletedCertificateBundle> {
    return this.call('deleted.get', { name }, options);
  }

  recover(name: string, options: CallOptions = {}): Promise<CertificateBundle> {
    return this.call('recover', { name }, options);
  }

  purge(name: string, options: CallOptions = {}): Promise<PurgeResult> {
    return this.call('purge', { name }, options);
  }

  getOperation(name: string, options: CallOptions = {}): Promise<CertificateOperation> {
    return this.call('pending.get', { name }, options);
  }

  /** Completes a pending operation with the CA's chain: base64 DER entries or PEM text. */
  merge(name: string, x5c: string[], options: CertificatePropertiesPatch = {}): Promise<CertificateCreateResult> {
    return this.call('pending.merge', { name, x5c, tags: options.tags }, options);
  }

  cancelOperation(name: string, options: CallOptions = {}): Promise<CertificateOperation> {
    return this.call('pending.cancel', { name }, options);
  }

  deleteOperation(name: string, options: CallOptions = {}): Promise<CertificateOperation> {
    return this.call('pending.delete', { name }, options);
  }

  setContacts(contacts: CertificateContact[], options: CallOptions = {}): Promise<CertificateContacts> {
    return this.requester.request(Subjects.contacts(this.vault, 'set'), { contacts }, options);
  }

  getContacts(options: CallOptions = {}): Promise<CertificateContacts> {
    return this.requester.request(Subjects.contacts(this.vault, 'get'), {}, options);
  }

  deleteContacts(options: CallOptions = {}): Promise<CertificateContacts> {
    return this.requester.request(Subjects.contacts(this.vault, 'delete' as ContactsOp), {}, options);
  }

  private call<T>(op: CertificateOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request(Subjects.certificate(this.vault, op), body, callOptionsOf(options));
  }
}

export type CreateIssuerOptions = Omit<IssuerCreateRequest, 'name' | 'subject'> & CallOptions;

/** Internal CAs of one vault (`coffer.v1.vault.<vault>.issuer.*`): create, sign CSRs, revoke, CRLs. */
export class IssuersClient {
  readonly vault: string;

  constructor(private readonly requester: Requester, vault: string) {
    this.vault = assertVaultName(vault);
  }

  /** A root CA, or an intermediate when `parent` names another issuer of the vault. */
  create(name: string, subject: string, options: CreateIssuerOptions = {}): Promise<IssuerBundle> {
    const { timeoutMs: _t, requestId: _r, retries: _x, ...fields } = options;
    return this.call('create', { name, subject, ...fields }, options);
  }

  get(name: string, options: CallOptions = {}): Promise<IssuerBundle> {
    return this.call('get', { name }, options);
  }

  listPage(options: PageOptions = {}): Promise<Page<IssuerItem>> {
    return this.call('list', pageBody(options), callOptionsOf(options));
  }

  list(options: ListOptions = {}): AsyncIterable<IssuerItem> {
    return iteratePages((token) => this.listPage(nextPage(options, token)));
  }

  /** Signs a PKCS#10 request (PEM or base64 DER) with the issuer's HSM key. */
  signCsr(name: string, csr: string, options: CallOptions & { validityMonths?: number; ekus?: string[]; keyUsage?: string[] } = {}): Promise<SignedCsrResult> {
    return this.call('signcsr', { name, csr, validity_months: options.validityMonths, ekus: options.ekus, key_usage: options.keyUsage }, options);
  }

  revoke(name: string, serialNumber: string, reason?: string, options: CallOptions = {}): Promise<RevocationResult> {
    return this.call('revoke', { name, serialNumber, reason }, options);
  }

  crl(name: string, options: CallOptions = {}): Promise<CrlBundle> {
    return this.call('crl', { name }, options);
  }

  private call<T>(op: IssuerOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request(Subjects.issuer(this.vault, op), body, callOptionsOf(options));
  }
}
