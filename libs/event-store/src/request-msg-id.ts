import { createHash } from 'node:crypto';

/**
 * The Nats-Msg-Id of a request's event on one object: request ids are scoped to their principal,
 * so two principals using the same id never collide (and neither can replay the other's write).
 */
export function requestMsgId(principalId: string, requestId: string, subject: string): string {
  return createHash('sha256').update(`${principalId}\n${requestId}\n${subject}`).digest('base64url');
}
