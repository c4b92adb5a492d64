import { createHash } from 'node:crypto';

/**
 * What makes a write idempotent: the client's request id, scoped to the principal that sent it, and
 * bound to what it asked. The same principal retrying the same request (same id, same body) gets the
 * original outcome; the same id with another body is refused (Conflict/RequestIdReused); another
 * principal using the same id makes a request of its own and can never see the first one's reply.
 */
export interface RequestKey {
  /** The Coffer-Request-Id header, or a fresh id per request. */
  readonly id: string;
  /** Who sent it (INTERNAL_PRINCIPAL for the vault's own bootstrap commands). */
  readonly principalId: string;
  /** requestHash(subject, body): computed on first use, once the body has passed validation. */
  readonly hash: string;
}

/** The principal of commands the vault runs itself (bootstrap); real principal ids look like `p-…`. */
export const INTERNAL_PRINCIPAL = 'coffer:internal';

/**
 * JSON with object keys sorted at every level and no whitespace: two bodies that mean the same
 * (validation accepts known fields only, without conversion) give the same text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const members = Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 over the request subject (operation, vault) and the canonical body. */
export function requestHash(subject: string, body: unknown): string {
  return createHash('sha256').update(`${subject}\n${canonicalJson(body)}`).digest('base64url');
}

/** A request key whose hash is computed when first read (the body is validated by then). */
export function requestKey(id: string, principalId: string, subject: string, body: unknown): RequestKey {
  let hash: string | undefined;
  return {
    id,
    principalId,
    get hash() {
      return (hash ??= requestHash(subject, body));
    },
  };
}

/** A command the vault runs on its own behalf, e.g. at bootstrap; `what` names it for the hash. */
export function internalRequest(id: string, what: string): RequestKey {
  return { id, principalId: INTERNAL_PRINCIPAL, hash: requestHash(`internal.${what}`, id) };
}
