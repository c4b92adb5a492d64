import { Inject, Injectable } from '@nestjs/common';
import { CofferError, ErrorCodes, InnerErrorCodes, PRINCIPAL_ID, throttled } from '@coffer/contracts';
import { HandlerFailure } from '@coffer/transport';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { InFlightLimiter } from './in-flight-limiter';
import { THROTTLE_SETTINGS, ThrottleSettings } from './throttle-settings';

/** The audit action (and throttle key) of coffer.v1.auth.token. */
export const TOKEN_ACTION = 'Coffer/auth/token';

const tooMany = (message: string, retryAfterMs: number) => throttled(message, InnerErrorCodes.TooManyRequests, retryAfterMs);

/**
 * Request throttling in front of the handlers (the access-control gate calls it), with Azure's
 * shape: Throttled/TooManyRequests and `retryAfterMs`. Counters live in this replica's memory
 * (rate-limiter-flexible's fixed windows), so N replicas allow N times the limits.
 *
 * The vault cannot see who sent a request on NATS (no address; clients may share one NATS user;
 * reply inboxes can be forged), so the keys are what a request says: anonymous requests are counted
 * per endpoint and claimed client id and all together; authenticated ones per principal, by rate
 * and by requests in progress (a flood shows as many at once; a busy but well-behaved client, such
 * as the benchmark's 64 in flight, stays below).
 */
@Injectable()
export class RequestThrottle {
  private readonly anonymous?: RateLimiterMemory;
  private readonly anonymousPerClient?: RateLimiterMemory;
  private readonly principalRate?: RateLimiterMemory;
  private readonly principalInFlight: InFlightLimiter;
  private held = 0;

  constructor(@Inject(THROTTLE_SETTINGS) private readonly settings: ThrottleSettings) {
    const limiter = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: settings.windowMs / 1000, keyPrefix: '' }) : undefined);
    this.anonymous = limiter(settings.anonymous);
    this.anonymousPerClient = limiter(settings.anonymousPerClient);
    this.principalRate = limiter(settings.principal);
    this.principalInFlight = new InFlightLimiter(settings.principalInFlight);
  }

  /**
   * Admits one anonymous request to `action` claiming `clientId` (the raw body's, if it is one),
   * or throws Throttled. The per-client count comes first, so a flood on one id does not use up
   * what every other caller shares; for token requests it is left to the credential exchange
   * (`admitClient`), which counts it only after a recently proven secret has been let in, so that
   * an attacker claiming a good client's id cannot throttle that client.
   */
  async admitAnonymous(action: string, clientId: unknown): Promise<void> {
    if (action !== TOKEN_ACTION) await this.admitClient(action, clientId);
    await consume(this.anonymous, '*', 'Too many anonymous requests; retry after the indicated time.');
  }

  /** The per-endpoint, per-claimed-client-id count of anonymous requests. */
  async admitClient(action: string, clientId: unknown): Promise<void> {
    const id = typeof clientId === 'string' && PRINCIPAL_ID.test(clientId) ? clientId : '-';
    await consume(this.anonymousPerClient, `${action} ${id}`, 'Too many requests for this client id; retry after the indicated time.');
  }

  /** Admits one request of `principalId`, or throws Throttled; call the returned function when it is done. */
  async admitPrincipal(principalId: string): Promise<() => void> {
    const leave = this.principalInFlight.tryEnter(principalId);
    if (!leave) throw tooMany('Too many requests of this principal are in progress; retry after the indicated time.', 100);
    try {
      await consume(this.principalRate, principalId, 'Too many requests from this principal; retry after the indicated time.');
    } catch (err) {
      leave();
      throw err;
    }
    return leave;
  }

  /**
   * A Throttled refusal is held for up to `holdMs` of its retry-after before it is sent, with the
   * rest in `retryAfterMs`: a client that honours retry-after waits just as long as it would have,
   * and one that ignores it (a flood of callers each awaiting its reply) comes back at most once a
   * hold instead of as fast as refusals can be made. At most MAX_HELD refusals wait at once;
   * beyond that they are sent at once. Anything else passes through.
   */
  async hold(err: unknown): Promise<unknown> {
    const retryAfterMs = retryAfterOf(err);
    const holdMs = Math.min(this.settings.holdMs, (retryAfterMs ?? 0) - 1);
    if (retryAfterMs === undefined || holdMs <= 0 || this.held >= MAX_HELD) return err;
    this.held++;
    try {
      await new Promise((resolve) => setTimeout(resolve, holdMs));
    } finally {
      this.held--;
    }
    return withRetryAfter(err, retryAfterMs - holdMs);
  }
}

/** How many Throttled replies may be held back at once (memory: a timer and a small closure each). */
const MAX_HELD = 10_000;

function retryAfterOf(err: unknown): number | undefined {
  if (err instanceof CofferError) return err.code === ErrorCodes.Throttled ? err.retryAfterMs : undefined;
  if (err instanceof HandlerFailure) return err.wire.code === ErrorCodes.Throttled ? err.wire.retryAfterMs : undefined;
  return undefined;
}

function withRetryAfter(err: unknown, retryAfterMs: number): unknown {
  if (err instanceof HandlerFailure) return new HandlerFailure({ ...err.wire, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) });
  const e = err as CofferError;
  return new CofferError(e.code, e.message, e.innerCode, { retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) });
}

async function consume(limiter: RateLimiterMemory | undefined, key: string, message: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (res) {
    // The limiter rejects with a RateLimiterRes (no stack built) when the window's points are used up.
    if (res instanceof RateLimiterRes) throw tooMany(message, res.msBeforeNext);
    throw res instanceof CofferError ? res : new Error('rate limiter failed', { cause: res });
  }
}
