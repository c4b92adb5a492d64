import { AuthSubjects, CredentialCreated, Page, PrincipalInfo, PrincipalOp, PrincipalType } from '@coffer/contracts/protocol';
import { toWireTime } from './dates';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';

export interface AddCredentialOptions extends CallOptions {
  kind: 'secret' | 'ed25519';
  /** For ed25519: the public key as an nkey (U…) or base64 of the 32 raw bytes. */
  publicKey?: string;
  /** When the credential stops working (Date or ISO 8601). */
  expires?: Date | string;
}

/** Principals (users and service principals) and their credentials: `coffer.v1.principals.<op>`. */
export class PrincipalsClient {
  constructor(private readonly requester: Requester) {}

  create(name: string, type: PrincipalType, options: CallOptions = {}): Promise<PrincipalInfo> {
    return this.call('create', { name, type }, options);
  }

  listPage(options: PageOptions = {}): Promise<Page<PrincipalInfo>> {
    return this.call('list', pageBody(options), options);
  }

  list(options: ListOptions = {}): AsyncIterable<PrincipalInfo> {
    return iteratePages((token) => this.listPage(nextPage(options, token)));
  }

  show(id: string, options: CallOptions = {}): Promise<PrincipalInfo> {
    return this.call('show', { id }, options);
  }

  /** A disabled principal gets no tokens, and the ones it has stop working. */
  disable(id: string, options: CallOptions = {}): Promise<PrincipalInfo> {
    return this.call('disable', { id }, options);
  }

  enable(id: string, options: CallOptions = {}): Promise<PrincipalInfo> {
    return this.call('enable', { id }, options);
  }

  /** For kind 'secret' the reply holds the client secret: it is returned this once only. */
  addCredential(id: string, options: AddCredentialOptions): Promise<CredentialCreated> {
    const body = {
      id, kind: options.kind, publicKey: options.publicKey,
      expires: options.expires === undefined ? undefined : toWireTime(options.expires, 'expires'),
    };
    return this.call('credential.add', body, options);
  }

  /** Removes a credential; tokens obtained with it stop working. */
  removeCredential(id: string, credentialId: string, options: CallOptions = {}): Promise<PrincipalInfo> {
    return this.call('credential.remove', { id, credentialId }, options);
  }

  private call<T>(op: PrincipalOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request<T>(AuthSubjects.principal(op), body, callOptionsOf(options));
  }
}
