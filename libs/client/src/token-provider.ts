import { Authenticator } from './request';

/** An access token and, when known, when it expires and when it was obtained (epoch ms, client clock). */
export interface AccessToken {
  token: string;
  expiresOnMs?: number;
  obtainedMs?: number;
}

/** Obtains a fresh access token (auth.token, or auth.challenge then auth.token). */
export type TokenFetcher = () => Promise<AccessToken>;

/** Milliseconds since the epoch; injectable so tests can move time. */
export type Clock = () => number;

/** Refresh at most this long before expiry… */
export const REFRESH_MARGIN_MAX_MS = 60_000;
/** …and at most this fraction of the lifetime before it, so a short-lived token is not refreshed on every call. */
export const REFRESH_MARGIN_FRACTION = 0.1;

/**
 * Whether a token should be replaced before use: when less than min(60 s, 10 % of its lifetime)
 * is left (a 15-minute token is refreshed in its last minute, a 2-minute token in its last 12 s).
 * A token without a known expiry never is.
 */
export function needsRefresh(token: AccessToken, now: number): boolean {
  if (token.expiresOnMs === undefined) return false;
  const lifetime = token.obtainedMs === undefined ? REFRESH_MARGIN_MAX_MS * 10 : token.expiresOnMs - token.obtainedMs;
  const margin = Math.min(REFRESH_MARGIN_MAX_MS, Math.max(0, lifetime) * REFRESH_MARGIN_FRACTION);
  return token.expiresOnMs - now <= margin;
}

/**
 * Holds the client's access token: obtains it on first use, refreshes it shortly before it expires
 * and when the service rejects it. Concurrent callers share one refresh. Without a fetcher it holds
 * a fixed token (COFFER_TOKEN, `--token`), which it can neither refresh nor renew.
 */
export class TokenProvider implements Authenticator {
  private current?: AccessToken;
  private pending?: Promise<AccessToken>;

  constructor(
    private readonly fetcher: TokenFetcher | undefined,
    initial?: AccessToken,
    private readonly now: Clock = Date.now,
  ) {
    this.current = initial;
  }

  /** The token to use now, refreshing it first when it is close to expiry. */
  async accessToken(): Promise<AccessToken> {
    const current = this.current;
    if (current && (!this.fetcher || !needsRefresh(current, this.now()))) return current;
    if (!this.fetcher) throw new Error('TokenProvider has neither a token nor a way to obtain one');
    try {
      return await this.refresh();
    } catch (err) {
      // A refresh that failed (the service briefly unreachable) need not fail a call the old token still covers.
      if (current?.expiresOnMs !== undefined && this.now() < current.expiresOnMs) return current;
      throw err;
    }
  }

  async token(): Promise<string> {
    return (await this.accessToken()).token;
  }

  async renew(rejected: string): Promise<string | undefined> {
    if (!this.fetcher) return undefined;
    if (this.pending) return (await this.pending).token;
    // Another caller may have replaced the rejected token already.
    if (this.current && this.current.token !== rejected && !needsRefresh(this.current, this.now())) return this.current.token;
    this.current = undefined;
    return (await this.refresh()).token;
  }

  /** One refresh at a time: callers arriving while one is in flight get its result. */
  private refresh(): Promise<AccessToken> {
    if (!this.pending) {
      const fetcher = this.fetcher!;
      this.pending = fetcher()
        .then((token) => {
          this.current = token;
          return token;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}

/**
 * The expiry of a JWS/JWT access token (its `exp` claim), read without verifying it: only to show
 * it or to skip a cached token that has expired. Undefined when the token is not a readable JWT.
 */
export function tokenExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
