import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { badParameter, Headers, REQUEST_ID, VAULT_NAME, vaultFromSubject } from '@coffer/contracts';
import { NatsContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { callerOf } from '../auth/request-caller';
import { requestKey, RequestKey } from '../commands/request-key';

/** The vault named by the request subject (`coffer.v1.vault.<vault>.…`), validated. */
export const VaultName = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const vault = vaultFromSubject(ctx.switchToRpc().getContext<NatsContext>().getSubject());
  if (!VAULT_NAME.test(vault)) {
    throw badParameter(`Vault name '${vault}' is invalid: 3-24 characters, a letter first, then letters, digits and hyphens.`);
  }
  return vault;
});

const generated = new WeakMap<NatsContext, string>();

/**
 * The request id: the Coffer-Request-Id header when valid, else one fresh id per request
 * (remembered, so the handler and the audit record agree). Never throws.
 */
export function requestIdOf(ctx: NatsContext): string {
  const id = ctx.getHeaders()?.get(Headers.requestId);
  if (id && REQUEST_ID.test(id)) return id;
  let fresh = generated.get(ctx);
  if (!fresh) generated.set(ctx, (fresh = randomUUID()));
  return fresh;
}

/**
 * The idempotency key of a write: the Coffer-Request-Id header (a retried request must reuse it so
 * it applies once; without it the request gets a fresh id and no retry protection), scoped to the
 * authenticated caller and bound to the request subject and body (see RequestKey).
 */
export const Idempotency = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestKey => {
  const rpc = ctx.switchToRpc();
  const nats = rpc.getContext<NatsContext>();
  const id = nats.getHeaders()?.get(Headers.requestId);
  if (id && !REQUEST_ID.test(id)) throw badParameter(`Header ${Headers.requestId} must match ${REQUEST_ID.source}.`);
  const caller = callerOf(nats);
  if (!caller) throw new Error('Idempotency used on a handler that is not authenticated');
  return requestKey(requestIdOf(nats), caller.principal.id, nats.getSubject(), rpc.getData());
});
