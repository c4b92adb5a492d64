import { AuthHeaders, ErrorCodes, Headers, isWireErrorReply, REQUEST_ID } from '@coffer/contracts/protocol';
import { randomUUID } from 'node:crypto';
import { ErrorCode as NatsErrorCode, headers, MsgHdrs, NatsConnection, NatsError } from 'nats';
import { ClientErrorCodes, ClientInnerCodes, CofferRequestError, invalidArgument } from './errors';

/** Per-call options every SDK method accepts. */
export interface CallOptions {
  /** Overrides the client's default request timeout. */
  timeoutMs?: number;
  /**
   * The Coffer-Request-Id to send. Omit it for a fresh id; pass the id of an earlier attempt to
   * retry that request so the service applies it at most once.
   */
  requestId?: string;
  /** Extra attempts after a timeout or no responders, with the same request id (default: the client's). */
  retries?: number;
}

export interface RequestDefaults {
  timeoutMs: number;
  retries: number;
  /** Policy for Throttled replies (see ThrottlePolicy); none: Throttled is thrown at once. */
  throttle?: ThrottlePolicy;
}

/**
 * How the client honours Throttled (Azure's 429): it waits the reply's `retryAfterMs` plus up to a
 * quarter more at random (so clients throttled together do not return together) and sends the same
 * request again, with the same request id, at most `retries` times; a retry-after longer than
 * `maxWaitMs` is not waited for (the error is thrown with it). Retrying is safe for every call: a
 * throttled request was refused before its handler ran, and a write carries its request id.
 */
export interface ThrottlePolicy {
  retries: number;
  maxWaitMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { retries: 3, maxWaitMs: 5_000 };

/** The wait before retrying after Throttled: retryAfterMs plus 0–25 % (at most 1 s) of jitter. */
export function throttleWaitMs(retryAfterMs: number, random: () => number = Math.random): number {
  return retryAfterMs + Math.floor(random() * Math.min(1_000, retryAfterMs / 4));
}

/** Where the Requester gets the bearer token it sends; see TokenProvider. */
export interface Authenticator {
  /** The access token to send (obtained or refreshed when needed); undefined = send no Authorization header. */
  token(): Promise<string | undefined>;
  /**
   * The service rejected `rejected` as Unauthorized: a new token to retry with, or undefined when
   * none can be had (a fixed token cannot be renewed).
   */
  renew(rejected: string): Promise<string | undefined>;
}

/** How one request is sent, beyond the caller's CallOptions. */
export interface RequestFlags {
  /** Send no Authorization header (auth.challenge and auth.token: they are how a token is obtained). */
  anonymous?: boolean;
}

const RETRY_BACKOFF_MS = 100;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sends a JSON body to a subject and returns the decoded reply, or throws CofferRequestError. */
export class Requester {
  constructor(
    private readonly nc: NatsConnection,
    private readonly defaults: RequestDefaults,
    private readonly authenticator?: Authenticator,
  ) {}

  /**
   * Sends the request with a bearer token (unless anonymous). Retries after a timeout or no
   * responders (`retries`), once after Unauthorized with a renewed token, and after Throttled as the
   * throttle policy says; every attempt carries the same request id.
   */
  async request<T>(subject: string, body: object, options: CallOptions = {}, flags: RequestFlags = {}): Promise<T> {
    const requestId = options.requestId ?? randomUUID();
    if (!REQUEST_ID.test(requestId)) throw invalidArgument(`requestId must match ${REQUEST_ID.source}`, subject);
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs;
    const retries = options.retries ?? this.defaults.retries;
    const data = encoder.encode(JSON.stringify(body));
    const auth = flags.anonymous ? undefined : this.authenticator;
    let token = await auth?.token();
    let renewed = false;
    let throttledRetries = 0;

    for (let attempt = 0; ; ) {
      try {
        const reply = await this.nc.request(subject, data, { timeout: timeoutMs, headers: requestHeaders(requestId, token) });
        return decodeReply<T>(reply.data, subject, requestId);
      } catch (err) {
        const mapped = mapTransportError(err, subject, requestId, timeoutMs);
        if (auth && token !== undefined && !renewed && isUnauthorized(mapped)) {
          renewed = true;
          const fresh = await auth.renew(token);
          if (fresh === undefined) throw mapped;
          token = fresh;
          continue; // not a timeout retry: does not count against `retries`
        }
        const waitMs = this.throttleWait(mapped, throttledRetries);
        if (waitMs !== undefined) {
          throttledRetries++;
          await sleep(waitMs);
          continue;
        }
        if (attempt >= retries || !isRetryable(mapped)) throw mapped;
        await sleep(RETRY_BACKOFF_MS * 2 ** attempt);
        attempt++;
      }
    }
  }

  /** How long to wait before retrying after `err`, when it is Throttled and the policy allows another try. */
  private throttleWait(err: unknown, retriedSoFar: number): number | undefined {
    const policy = this.defaults.throttle;
    if (!policy || !(err instanceof CofferRequestError) || err.code !== ErrorCodes.Throttled || err.retryAfterMs === undefined) return undefined;
    if (retriedSoFar >= policy.retries || err.retryAfterMs > policy.maxWaitMs) return undefined;
    return throttleWaitMs(err.retryAfterMs);
  }
}

function requestHeaders(requestId: string, token: string | undefined): MsgHdrs {
  const hdrs = headers();
  hdrs.set(Headers.requestId, requestId);
  if (token !== undefined) hdrs.set(AuthHeaders.authorization, `Bearer ${token}`);
  return hdrs;
}

function isUnauthorized(err: unknown): boolean {
  return err instanceof CofferRequestError && err.code === ErrorCodes.Unauthorized;
}

/** A reply body: the result, or a wire error turned into CofferRequestError. */
export function decodeReply<T>(data: Uint8Array, subject: string, requestId?: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch {
    throw malformedReply(subject, requestId, 'is not JSON');
  }
  if (isWireErrorReply(parsed)) throw CofferRequestError.fromWire(parsed.error, subject, requestId);
  if (typeof parsed !== 'object' || parsed === null) throw malformedReply(subject, requestId, 'is not a JSON object');
  return parsed as T;
}

/** Maps what nats.js throws to a CofferRequestError; a CofferRequestError passes through. */
export function mapTransportError(err: unknown, subject: string, requestId?: string, timeoutMs?: number): unknown {
  if (!(err instanceof NatsError)) return err;
  const fail = (code: string, message: string, inner?: string) =>
    new CofferRequestError(code, message, subject, inner, requestId, { cause: err });
  switch (err.code) {
    case NatsErrorCode.NoResponders:
      return fail(ClientErrorCodes.ServiceUnavailable, `No Coffer service is answering on ${subject}.`, ClientInnerCodes.NoResponders);
    case NatsErrorCode.Timeout:
      return fail(ClientErrorCodes.RequestTimeout, `No reply on ${subject} within ${timeoutMs ?? '?'} ms.`);
    case NatsErrorCode.ConnectionClosed:
    case NatsErrorCode.ConnectionDraining:
    case NatsErrorCode.Disconnect:
      return fail(ClientErrorCodes.ServiceUnavailable, `The NATS connection is closed (${err.message}).`, ClientInnerCodes.ConnectionClosed);
    case NatsErrorCode.PermissionsViolation:
    case NatsErrorCode.AuthorizationViolation:
      return fail(ErrorCodes.Forbidden, `NATS refused the request: ${err.message}`);
    default:
      return fail(ErrorCodes.InternalError, `NATS error: ${err.message}`);
  }
}

function isRetryable(err: unknown): boolean {
  return err instanceof CofferRequestError && (err.code === ClientErrorCodes.RequestTimeout || err.innerCode === ClientInnerCodes.NoResponders);
}

function malformedReply(subject: string, requestId: string | undefined, problem: string): CofferRequestError {
  return new CofferRequestError(ErrorCodes.InternalError, `The reply on ${subject} ${problem}.`, subject, ClientInnerCodes.MalformedReply, requestId);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
