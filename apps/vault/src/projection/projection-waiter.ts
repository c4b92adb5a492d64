import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { InnerErrorCodes, InternalSubjects, serviceUnavailable } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { NatsConnection, Subscription } from 'nats';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';

interface Waiter {
  sequence: number;
  resolve(): void;
}

const POLL_MS = 250;

/**
 * Read-your-writes: a write replies only once the read model has applied its event. The projector
 * announces each committed checkpoint on a core NATS subject; the database checkpoint is polled as
 * a fallback, so a missed announcement costs at most one poll interval.
 */
@Injectable()
export class ProjectionWaiter implements OnModuleInit, OnModuleDestroy {
  private applied = 0;
  private waiters: Waiter[] = [];
  private sub?: Subscription;
  private poller?: NodeJS.Timeout;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly readModel: ReadModel,
    @Inject(COFFER_CONFIG) private readonly config: CofferConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.sub = this.nc.subscribe(InternalSubjects.projectorApplied, {
      callback: (_err, msg) => {
        try {
          this.advance(Number(JSON.parse(Buffer.from(msg.data).toString('utf8')).sequence));
        } catch {
          /* a malformed announcement is ignored: the poll catches up */
        }
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

  async waitFor(sequence: number): Promise<void> {
    if (sequence <= this.applied) return;
    let timer: NodeJS.Timeout | undefined;
    const reached = new Promise<void>((resolve) => {
      this.waiters.push({ sequence, resolve });
      this.ensurePolling();
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            serviceUnavailable(
              `The change was recorded (sequence ${sequence}) but the read model has not caught up yet; retry with the same request id to confirm.`,
              InnerErrorCodes.ProjectionLagging,
            ),
          ),
        this.config.projectionWaitMs,
      );
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
