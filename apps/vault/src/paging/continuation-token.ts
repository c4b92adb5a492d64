import { badParameter, Limits } from '@coffer/contracts';

/** Opaque continuation tokens: the keyset position after which the next page starts. */
export function encodeToken(after: string | number): string {
  return Buffer.from(JSON.stringify({ a: after })).toString('base64url');
}

export function decodeToken<T extends string | number>(token: string | undefined, kind: 'string' | 'number'): T | undefined {
  if (token === undefined) return undefined;
  try {
    const { a } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a: unknown };
    if (typeof a === kind) return a as T;
  } catch {
    /* fall through */
  }
  throw badParameter('continuationToken is invalid.');
}

export const pageSize = (maxResults?: number) => maxResults ?? Limits.pageSizeDefault;
