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

/**
 * The request id from the Coffer-Request-Id header. A retried request must reuse it so it applies
 * once; without the header the request gets a fresh id (and no retry protection).
 */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const id = ctx.switchToRpc().getContext<NatsContext>().getHeaders()?.get(Headers.requestId);
  if (!id) return randomUUID();
  if (!REQUEST_ID.test(id)) throw badParameter(`Header ${Headers.requestId} must match ${REQUEST_ID.source}.`);
  return id;
});
