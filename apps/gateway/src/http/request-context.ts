import { REQUEST_ID } from '@coffer/contracts';
import { randomUUID } from 'node:crypto';
import { Addressee } from './addressing';

/** What the edge learned about a request before routing it. */
export interface RequestContext {
  /** The Coffer-Request-Id sent on: the client's x-ms-client-request-id when it is a valid id (so the SDK's retries apply once), else a fresh one. */
  requestId: string;
  addressee: Addressee;
  /** The caller's token as sent (Authorization: Bearer …); the vault decides whether it is any good. */
  token?: string;
}

const contexts = new WeakMap<object, RequestContext>();

export function bindContext(request: object, context: RequestContext): void {
  contexts.set(request, context);
}

export function contextOf(request: object): RequestContext {
  const context = contexts.get(request);
  if (!context) throw new Error('request reached a handler without passing the gateway edge');
  return context;
}

export function requestIdFor(clientRequestId: string | undefined): string {
  return clientRequestId !== undefined && REQUEST_ID.test(clientRequestId) ? clientRequestId : randomUUID();
}

/** The bearer token of an Authorization header; anything else is passed on as is, for the vault to refuse. */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization === '') return undefined;
  return authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : authorization;
}
