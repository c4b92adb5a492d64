import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { badParameter, Headers, REQUEST_ID, VAULT_NAME, vaultFromSubject } from '@coffer/contracts';
import { NatsContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';

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
 * The request id from the Coffer-Request-Id header. A retried request must reuse it so it applies
 * once; without the header the request gets a fresh id (and no retry protection).
 */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const nats = ctx.switchToRpc().getContext<NatsContext>();
  const id = nats.getHeaders()?.get(Headers.requestId);
  if (id && !REQUEST_ID.test(id)) throw badParameter(`Header ${Headers.requestId} must match ${REQUEST_ID.source}.`);
  return requestIdOf(nats);
});
