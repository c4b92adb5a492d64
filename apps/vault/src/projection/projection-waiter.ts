import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { InnerErrorCodes, InternalSubjects, serviceUnavailable } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { NatsConnection, Subscription } from 'nats';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';

interface Waiter {
  sequence: number;
  resolve(): void;
  reject(): void;
}

const POLL_MS = 250;
/**
 * A stall the projector has not repeated for this long is forgotten (it repeats it every second
 * while it lasts): a projector that died while stalled does not block writes forever.
 */
const STALL_TTL_MS = 3_000;

/**
 * Read-your-writes: a write replies only once the read model has applied its event. The projector
 * announces each committed checkpoint on a core NATS subject; the database checkpoint is polled as
 * a fallback, so a missed announcement costs at most one poll interval.
 *
 * The projector also announces when it is stalled (a database failure it is retrying, a poison
 * event). Meanwhile nothing new can become readable, so writes fail fast instead of waiting
 * COFFER_PROJECTION_WAIT_MS: assertAccepting() refuses a write before it is recorded
 * (ServiceUnavailable/ReadModelUnavailable), and a write already recorded stops waiting
 * (ServiceUnavailable/ProjectionLagging: retry with the same request id). Both are retryable.
 */
@Injectable()
export class ProjectionWaiter implements OnModuleInit, OnModuleDestroy {
  private applied = 0;
  private waiters: Waiter[] = [];
  private sub?: Subscription;
  private poller?: NodeJS.Timeout;
  private stalledUntil = 0;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly readModel: ReadModel,
    @Inject(COFFER_CONFIG) private readonly config: CofferConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.sub = this.nc.subscribe(InternalSubjects.projectorApplied, {
      callback: (_err, msg) => {
        let announced: { sequence?: unknown; error?: unknown };
        try {
          announced = JSON.parse(Buffer.from(msg.data).toString('utf8'));
        } catch {
          return; // a malformed announcement is ignored: the poll catches up
        }
        this.advance(Number(announced.sequence));
        if (announced.error !== undefined) this.stall();
        else this.stalledUntil = 0;
      },
    });
    this.advance(await this.readModel.checkpoint().catch(() => 0));
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
    if (this.poller) clearInterval(this.poller);
  }

  get checkpoint(): number {
    return this.applied;
  }

  /** The projector says it cannot apply events now (and said so within STALL_TTL_MS). */
  get stalled(): boolean {
    return Date.now() < this.stalledUntil;
  }

  /** Refuses a write before it is recorded while the projector is stalled: it could not be confirmed. */
  assertAccepting(): void {
    if (this.stalled) throw serviceUnavailable(`Not recorded: ${STALLED}. Retry later with the same request id.`, InnerErrorCodes.ReadModelUnavailable);
  }

  /**
   * Resolves once the read model has applied `sequence`. `recorded`: the caller's own write is that
   * event (the errors then say so); otherwise it is what the caller needs before deciding.
   */
  async waitFor(sequence: number, opts: { recorded?: boolean } = {}): Promise<void> {
    if (sequence <= this.applied) return;
    if (this.stalled) throw notApplied(sequence, opts.recorded, 'stalled');
    let timer: NodeJS.Timeout | undefined;
    const reached = new Promise<void>((resolve, reject) => {
      this.waiters.push({ sequence, resolve, reject: () => reject(notApplied(sequence, opts.recorded, 'stalled')) });
      this.ensurePolling();
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(notApplied(sequence, opts.recorded, 'lagging')), this.config.projectionWaitMs);
    });
    try {
      await Promise.race([reached, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private advance(sequence: number): void {
    if (!(sequence > this.applied)) return;
    this.applied = sequence;
    const ready = this.waiters.filter((w) => w.sequence <= sequence);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.sequence > sequence);
    for (const w of ready) w.resolve();
  }

  /** Writers waiting for an event the stalled projector cannot apply are answered now. */
  private stall(): void {
    this.stalledUntil = Date.now() + STALL_TTL_MS;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject();
  }

  private ensurePolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      if (this.waiters.length === 0) {
        clearInterval(this.poller);
        this.poller = undefined;
        return;
      }
      this.readModel.checkpoint().then((cp) => this.advance(cp), () => undefined);
    }, POLL_MS);
  }
}

const STALLED = 'the read model cannot apply changes right now (see coffer status)';

/** Why `sequence` is not readable: the projector is stalled or still catching up. Retrying with the same request id is always safe. */
function notApplied(sequence: number, recorded: boolean | undefined, why: 'stalled' | 'lagging') {
  const state = why === 'stalled' ? STALLED : 'the read model has not caught up yet';
  if (recorded) {
    return serviceUnavailable(`The change was recorded (sequence ${sequence}) but ${state}; retry with the same request id to confirm.`, InnerErrorCodes.ProjectionLagging);
  }
  // Needed before deciding a write (it was not recorded) or before answering a change-feed read.
  return serviceUnavailable(`Not available yet: ${state}; retry later.`, why === 'stalled' ? InnerErrorCodes.ReadModelUnavailable : InnerErrorCodes.ProjectionLagging);
}
