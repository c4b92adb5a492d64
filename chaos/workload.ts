import { CallOptions, CofferClient, CofferRequestError } from '@coffer/client';
import { ErrorCodes, SecretBundle } from '@coffer/contracts';
import { randomUUID } from 'node:crypto';

/** A write the service acknowledged: what a client may later rely on. */
export interface AckedWrite {
  secret: string;
  version: string;
  value: string;
  requestId: string;
  /** When the attempt that got the acknowledgement was sent, and when the reply came (ms since epoch). */
  sentAt: number;
  ackedAt: number;
}

export interface WorkloadShape {
  /** Writers that each own a few secrets (plain sets, every value unique). */
  distinctWriters: number;
  /** Check-and-set writers: read → increment → set with ifMatch, on `casSecrets` shared secrets. */
  casWriters: number;
  casSecrets: number;
  secretsPerWriter: number;
  /**
   * Per-attempt client timeout: above the vault's projection wait (chaos runs use 2 s), so a slow
   * projection is answered ServiceUnavailable rather than timed out; it bounds how finely recovery is seen.
   */
  timeoutMs: number;
  /** How long stop() lets a write whose outcome is unknown keep retrying before giving it up. */
  settleMs: number;
}

export const DEFAULT_WORKLOAD: WorkloadShape = { distinctWriters: 10, casWriters: 6, casSecrets: 2, secretsPerWriter: 4, timeoutMs: 3_000, settleMs: 60_000 };

/** Errors after which the outcome is unknown: the same request (same id, same body) is sent again. */
const RETRYABLE = new Set<string>(['RequestTimeout', ErrorCodes.ServiceUnavailable, ErrorCodes.Throttled, ErrorCodes.InternalError]);

const isRetryable = (err: unknown) => err instanceof CofferRequestError && RETRYABLE.has(err.code);
const codeOf = (err: unknown) => (err instanceof CofferRequestError ? (err.innerCode ? `${err.code}/${err.innerCode}` : err.code) : String(err));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const distinctSecret = (writer: number, k: number) => `d${writer}-${k}`;
export const casSecret = (k: number) => `cas-${k}`;
/** A check-and-set value: the counter, then who wrote it with which request (so a request applied twice shows). */
export const casValue = (counter: number, tag: string) => `${counter} ${tag}`;
export const casCounter = (value: string) => Number(value.split(' ')[0]);

/**
 * 16 writers (by default) against one vault, as careful clients: every write carries a request id,
 * and after a timeout, ServiceUnavailable, Throttled or InternalError the same request (same id,
 * same body) is sent again until it gets a definite answer. Every acknowledged write is recorded.
 */
export class Workload {
  readonly acknowledged: AckedWrite[] = [];
  /** Attempts sent again with the same request id. */
  retries = 0;
  /** Check-and-set writes refused with Conflict (then read again and retried as a new request). */
  conflicts = 0;
  /** Definite errors other than Conflict, and retryable ones seen, by code. */
  readonly errors: Record<string, number> = {};
  /** Writes still without a definite answer when stop() gave up on them (outcome unknown). */
  unresolved = 0;
  private stopping = false;
  private settleDeadline = Infinity;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly client: CofferClient,
    readonly vault: string,
    readonly shape: WorkloadShape = DEFAULT_WORKLOAD,
  ) {}

  /** Every secret the workload writes. */
  secrets(): { distinct: string[]; cas: string[] } {
    const distinct: string[] = [];
    for (let w = 0; w < this.shape.distinctWriters; w++) for (let k = 0; k < this.shape.secretsPerWriter; k++) distinct.push(distinctSecret(w, k));
    return { distinct, cas: Array.from({ length: this.shape.casSecrets }, (_, k) => casSecret(k)) };
  }

  /** Creates the vault and the check-and-set secrets (counter 0), then starts the writers. */
  async start(): Promise<void> {
    const secrets = this.client.secrets(this.vault);
    await this.definitely((opts) => this.client.vaults.create(this.vault, {}, opts).then(() => undefined).catch((err) => {
      if (err instanceof CofferRequestError && err.code === ErrorCodes.Conflict) return; // created by an earlier attempt
      throw err;
    }));
    for (const name of this.secrets().cas) await this.definitely((opts) => secrets.set(name, casValue(0, 'init'), opts));
    this.loops = [
      ...Array.from({ length: this.shape.distinctWriters }, (_, w) => this.distinctWriter(w)),
      ...Array.from({ length: this.shape.casWriters }, (_, c) => this.casWriter(c)),
    ];
  }

  /** Stops the writers; each finishes (or, after settleMs, gives up) the write it has in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.settleDeadline = Date.now() + this.shape.settleMs;
    await Promise.all(this.loops);
  }

  /** The first acknowledgement of an attempt sent at or after `t` (recovery after a fault that ended at t). */
  firstAckSentAfter(t: number): AckedWrite | undefined {
    let first: AckedWrite | undefined;
    for (const a of this.acknowledged) if (a.sentAt >= t && (!first || a.ackedAt < first.ackedAt)) first = a;
    return first;
  }

  private async distinctWriter(w: number): Promise<void> {
    const secrets = this.client.secrets(this.vault);
    for (let n = 0; !this.stopping; n++) {
      const name = distinctSecret(w, n % this.shape.secretsPerWriter);
      await this.write(name, `d${w}.${n}`, (value, opts) => secrets.set(name, value, opts));
    }
  }

  private async casWriter(c: number): Promise<void> {
    const secrets = this.client.secrets(this.vault);
    const name = casSecret(c % this.shape.casSecrets);
    for (let n = 0; !this.stopping; n++) {
      const current = await this.definitely((opts) => secrets.get(name, undefined, opts)).catch(() => undefined);
      if (!current) {
        await sleep(100); // a definite read error (counted): do not spin on it
        continue;
      }
      const value = casValue(casCounter(current.value) + 1, `c${c}.${n}`);
      const outcome = await this.write(name, value, (v, opts) => secrets.set(name, v, { ...opts, ifMatch: current.version }));
      if (outcome === 'conflict') this.conflicts++;
    }
  }

  /** One write, retried with its request id until it has a definite answer. */
  private async write(name: string, value: string, send: (value: string, opts: CallOptions) => Promise<SecretBundle>): Promise<'acked' | 'conflict' | 'failed' | 'unresolved'> {
    const requestId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const sentAt = Date.now();
      try {
        const reply = await send(value, { requestId, retries: 0, timeoutMs: this.shape.timeoutMs });
        this.acknowledged.push({ secret: name, version: reply.version, value: reply.value, requestId, sentAt, ackedAt: Date.now() });
        return 'acked';
      } catch (err) {
        if (err instanceof CofferRequestError && err.code === ErrorCodes.Conflict && err.innerCode !== 'RequestIdReused') return 'conflict';
        this.count(err);
        if (!isRetryable(err)) return 'failed';
        if (Date.now() > this.settleDeadline) {
          this.unresolved++;
          return 'unresolved';
        }
        this.retries++;
        await sleep(Math.min(500, 50 * 2 ** attempt));
      }
    }
  }

  /** A call without side effects (or idempotent by its request id), retried until it succeeds or stop()'s settle time ends. */
  private async definitely<T>(call: (opts: CallOptions) => Promise<T>): Promise<T> {
    const requestId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        return await call({ requestId, retries: 0, timeoutMs: this.shape.timeoutMs });
      } catch (err) {
        this.count(err);
        if (!isRetryable(err) || Date.now() > this.settleDeadline) throw err;
        await sleep(Math.min(500, 50 * 2 ** attempt));
      }
    }
  }

  private count(err: unknown): void {
    const code = codeOf(err);
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}
