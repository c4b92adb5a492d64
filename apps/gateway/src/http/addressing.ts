import { VAULT_NAME } from '@coffer/contracts';

/** What a request's Host names: one vault, the OAuth2 authority (the bare domain), or nothing this gateway serves. */
export type Addressee =
  | { kind: 'vault'; vault: string; origin: string }
  | { kind: 'authority'; origin: string }
  | { kind: 'unknown'; host: string };

const HOST = /^([a-z0-9.-]{1,253})(?::(\d{1,5}))?$/;

/**
 * `<vault>.<domain>[:port]` → the vault; `<domain>[:port]` → the authority. Ids the gateway returns
 * use the origin the client called (scheme + Host as sent), so they round-trip through the SDKs.
 * Host names are case-insensitive and URL parsers lowercase them, so the vault is the lowercase label.
 */
export function addresseeOf(hostHeader: string | undefined, domain: string, scheme: 'https' | 'http'): Addressee {
  const host = (hostHeader ?? '').toLowerCase();
  const match = HOST.exec(host);
  if (!match) return { kind: 'unknown', host };
  const origin = `${scheme}://${host}`;
  const name = match[1];
  if (name === domain) return { kind: 'authority', origin };
  if (!name.endsWith(`.${domain}`)) return { kind: 'unknown', host };
  const vault = name.slice(0, -domain.length - 1);
  return VAULT_NAME.test(vault) ? { kind: 'vault', vault, origin } : { kind: 'unknown', host };
}

/**
 * A raw request path the gateway refuses before routing: dot segments, encoded slashes, backslashes
 * or dots, NULs. Object names never contain them, so a path that does is an attempt to escape its route.
 */
export function unsafePath(rawUrl: string): boolean {
  const path = rawUrl.split('?', 1)[0];
  return /%2f|%5c|%2e|%00|\\|\0/i.test(path) || path.split('/').some((segment) => segment === '.' || segment === '..');
}
