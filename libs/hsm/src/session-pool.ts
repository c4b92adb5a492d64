import { HsmError, HsmErrorCodes } from './hsm.errors';

/**
 * A fixed set of sessions handed out one per in-flight operation (a PKCS#11 session runs one
 * operation at a time). Callers beyond the pool size wait in FIFO order.
 */
export class SessionPool<S> {
  private readonly idle: S[];
  private readonly waiters: Array<{ resolve: (s: S) => void; reject: (e: Error) => void }> = [];
  private readonly drained: Array<() => void> = [];
  private busy = 0;
  private closed = false;

  constructor(private readonly sessions: readonly S[]) {
    if (sessions.length === 0) throw new RangeError('a session pool needs at least one session');
    this.idle = [...sessions];
  }

  get size(): number {
    return this.sessions.length;
  }

  get inFlight(): number {
    return this.busy;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(): Promise<S> {
    if (this.closed) return Promise.reject(closedError());
    const session = this.idle.pop();
    if (session !== undefined) {
      this.busy++;
      return Promise.resolve(session);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  release(session: S): void {
    const next = this.waiters.shift();
    // Hand the session straight to the next waiter: busy stays the same.
    if (next) return next.resolve(session);
    this.busy--;
    this.idle.push(session);
    if (this.busy === 0) this.drained.splice(0).forEach((done) => done());
  }

  /** Runs fn on a session of its own and always gives the session back. */
  async use<T>(fn: (session: S) => T | Promise<T>): Promise<T> {
    const session = await this.acquire();
    try {
      return await fn(session);
    } finally {
      this.release(session);
    }
  }

  /** Refuses new work, fails the waiters, and resolves with every session once none is in use. */
  async close(): Promise<readonly S[]> {
    this.closed = true;
    this.waiters.splice(0).forEach((w) => w.reject(closedError()));
    if (this.busy > 0) await new Promise<void>((done) => this.drained.push(done));
    return this.sessions;
  }
}

function closedError(): HsmError {
  return new HsmError(HsmErrorCodes.Closed, 'the HSM session pool is closed');
}
