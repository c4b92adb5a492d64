/**
 * Reply subjects a Coffer service may answer: a caller's inbox, `_INBOX_<user>.<token>[.<token>…]`
 * (every connection uses the inbox prefix of its NATS user; see natsConnectOptions/natsClientOptions),
 * or the default `_INBOX.<token>…` of a client on a server without per-user prefixes (the embedded
 * server's permissions do not let a responder publish there).
 * Anything else — a JetStream API subject, a stream's subject, a wildcard, another namespace — is
 * never published to: a reply subject is caller input, and the responder's own rights are not the
 * caller's (reply-subject injection, issue 9). nats-server enforces the same with the responder
 * users' allow lists; this check keeps the code honest where a deployment's permissions are wider.
 */
const INBOX_REPLY = /^_INBOX(_[a-z][a-z0-9-]{0,62})?(\.[A-Za-z0-9_-]{1,64}){1,4}$/;

/** Longest reply subject accepted (nats.js inboxes are ~60 characters). */
const MAX_REPLY_LENGTH = 256;

export function isInboxReplySubject(reply: string): boolean {
  return reply.length <= MAX_REPLY_LENGTH && INBOX_REPLY.test(reply);
}
