import { CofferConfig, natsConnectOptions } from '@coffer/config';
import { InternalSubjects, PROJECTOR_DURABLE, Streams } from '@coffer/contracts';
import { projectBatch, ProjectableEvent, readCheckpoint, readModelConnection, UnprojectableEventError } from '@coffer/read-model';
import { DedicatedConnection } from '@coffer/sql';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect, JetStreamManager, JsMsg, Msg, NatsConnection } from 'nats';
import { ReplyGuard } from '@coffer/transport';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { decodeEvent } from './decode-event';
import { assertNoDeliveryGap, ensureCofferStreams, OrderedBatchPump } from '@coffer/event-store';
import { positionProjectorConsumer } from './projector-consumer';
import { ProjectorApplied, ProjectorStatus } from './projector-status';
import { PoisonEventError } from './projector.errors';
import { errorSummary } from './projector.logger';
import { ProjectorOptions } from './projector-options';
import { PROJECTOR_CONFIG, PROJECTOR_OPTIONS } from './projector.tokens';
import { natsProbe, readinessOf } from '@coffer/observability';
import { observeProjector, projectorAppliedEvents, projectorBatchEvents } from './projector-metrics';

/** Messages per pull and per database transaction. */
export const PROJECTOR_BATCH = 256;
const FIRST_RETRY_DELAY_MS = 250;
/** Short enough that the projector is back within seconds of the cause going away (space freed, database up). */
const MAX_RETRY_DELAY_MS = 5_000;
/** While stalled the projector repeats its failure this often, so vaults that missed it (or started later) learn of it. */
export const STALL_ANNOUNCE_MS = 1_000;

/**
 * The live projector: a durable pull consumer on COFFER_EVENTS folding events into the read model.
 * Messages are buffered as they arrive and drained in micro-batches: one transaction per batch
 * (rows + checkpoint), then ack, then a notification on projectorApplied. A lone message is
 * applied at once; under load, whatever arrived during the previous commit forms the next batch.
 *
 * Nothing is announced or acknowledged that the database has not committed: the projector writes
 * through its own DedicatedConnection, whose transactions resolve only after a confirmed COMMIT and
 * which replaces its connection after any failure.
 *
 * Failures: a poison event (undecodable or unfoldable) stops the projector before it, reported in
 * status until an operator fixes the cause and restarts; anything else (disk full, database down…)
 * is retried with backoff from the checkpoint, reported in status until a batch commits again.
 * Either way the consumer is repositioned at checkpoint + 1, so events are applied strictly in
 * stream order, and the stall is announced on projectorApplied (with `error`) so vaults stop
 * accepting writes they could not confirm.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private nc?: NatsConnection;
  private jsm?: JetStreamManager;
  private db?: DedicatedConnection;
  private checkpoint = 0;
  private stopped = false;
  private poison?: PoisonEventError;
  /** Consumption halted until the retry timer fires. */
  private halted = false;
  /** The last failure, reported until a batch commits (or nothing is left to apply). */
  private failure?: string;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private stallTimer?: NodeJS.Timeout;
  /** Removes the metrics source and readiness probes. */
  private readonly unobserve: (() => void)[] = [];

  private readonly pump = new OrderedBatchPump({
    maxBatch: PROJECTOR_BATCH,
    apply: (batch) => this.applyBatch(batch),
    canContinue: () => !this.stopped && !this.poison && !this.halted,
    onError: (err) => this.retryLater(err),
  });

  private readonly replyGuard: ReplyGuard;

  constructor(
    @Inject(PROJECTOR_CONFIG) private readonly config: CofferConfig,
    @Inject(PROJECTOR_OPTIONS) private readonly options: ProjectorOptions,
    @InjectPinoLogger(ProjectorService.name) private readonly log: PinoLogger,
  ) {
    this.replyGuard = new ReplyGuard('projector', { warn: (message: string) => this.log.warn(message) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    try {
      this.nc = await connect(natsConnectOptions(this.config, 'coffer-projector'));
      this.jsm = await this.nc.jetstreamManager();
      await ensureCofferStreams(this.jsm, this.config.streamReplicas, this.config.dedupeWindowMs);
      this.db = readModelConnection(this.config.dbUrl, { applicationName: 'coffer-projector', ...this.options.db });
      this.checkpoint = await this.db.read((m) => readCheckpoint(m));
      this.nc.subscribe(InternalSubjects.projectorStatus, { callback: (err, msg) => err || void this.replyStatus(msg) });
      await this.consume();
      const nc = this.nc;
      // Ready while NATS answers and nothing stops it applying (its one database connection is busy with batches, so the
      // database's health shows as a stall: a failed commit is retried and reported until one succeeds).
      this.unobserve.push(
        observeProjector(() => this.status()),
        readinessOf('projector').add('nats', natsProbe(nc)),
        readinessOf('projector').add('applying', async () => {
          const problem = this.poison?.message ?? this.failure;
          if (problem) throw new Error(problem);
        }),
      );
      this.log.info({ checkpoint: this.checkpoint }, 'projector started');
    } catch (err) {
      this.log.error(errorSummary(err), 'projector failed to start');
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unobserve.splice(0).forEach((fn) => fn());
    clearTimeout(this.retryTimer);
    clearInterval(this.stallTimer);
    this.stopConsuming();
    await this.pump.idle();
    await this.nc?.drain().catch(() => undefined);
    await this.db?.close().catch(() => undefined);
    this.log.info({ checkpoint: this.checkpoint }, 'projector stopped');
  }

  async status(): Promise<ProjectorStatus> {
    let error = this.poison?.message ?? this.failure;
    let lastSequence = -1;
    try {
      lastSequence = (await this.jsm!.streams.info(Streams.events.name)).state.last_seq;
    } catch {
      error ??= 'cannot read the event stream';
    }
    return { checkpoint: this.checkpoint, lastSequence, lag: lastSequence - this.checkpoint, ...(error ? { error } : {}) };
  }

  private async replyStatus(msg: Msg): Promise<void> {
    // Answer callers' inboxes only (a reply subject is caller input); dropped ones are counted and logged, rate-limited.
    if (!msg.reply || !this.replyGuard.allows(msg.subject, msg.reply)) return;
    const status = await this.status();
    try {
      if (msg.reply) msg.respond(JSON.stringify(status));
    } catch {
      // Connection closing: the requester times out.
    }
  }

  private async consume(): Promise<void> {
    if (await positionProjectorConsumer(this.jsm!, this.checkpoint)) {
      this.log.info({ checkpoint: this.checkpoint }, 'durable consumer positioned at checkpoint + 1');
    }
    const consumer = await this.nc!.jetstream().consumers.get(Streams.events.name, PROJECTOR_DURABLE);
    await this.pump.start(consumer);
  }

  private stopConsuming(): void {
    this.pump.stop();
  }

  private async applyBatch(batch: JsMsg[]): Promise<void> {
    const before = this.checkpoint;
    // A gap (a message lost in a cluster leader change) fails the batch: the retry repositions at checkpoint + 1.
    await assertNoDeliveryGap(this.jsm!, Streams.events.name, this.checkpoint, batch);
    let poison: PoisonEventError | undefined;
    let items: ProjectableEvent[] = [];
    for (const m of batch) {
      if (m.seq <= this.checkpoint) continue; // redelivered after its batch committed: only ack it
      try {
        items.push({ event: decodeEvent(m.data, m.subject, m.seq), sequence: m.seq, subject: m.subject });
      } catch (err) {
        if (!(err instanceof PoisonEventError)) throw err;
        poison = err;
        break;
      }
    }
    while (items.length > 0) {
      try {
        this.checkpoint = (await projectBatch(this.db!, items, { requestIdHorizonMs: this.config.requestIdHorizonMs })).checkpoint;
        projectorAppliedEvents.inc(items.length);
        projectorBatchEvents.observe(items.length);
        break;
      } catch (err) {
        if (!(err instanceof UnprojectableEventError) || err.sequence === undefined) throw err;
        // The transaction rolled back: apply what precedes the bad event, then stop at it.
        const at = err.sequence;
        poison = new PoisonEventError(at, items.find((i) => i.sequence === at)?.event.type, 'it does not fit its subject');
        items = items.filter((i) => i.sequence < at);
      }
    }
    // Committed: announce first, so writers waiting for read-your-writes are released one hop sooner.
    const recovered = this.recovered();
    if (this.checkpoint > before || recovered) this.announce();
    // AckAll: one ack for everything up to the checkpoint.
    const lastApplied = batch.filter((m) => m.seq <= this.checkpoint).pop();
    lastApplied?.ack();
    if (poison) this.stopAtPoison(poison);
  }

  private stopAtPoison(poison: PoisonEventError): void {
    this.poison = poison;
    this.stopConsuming();
    this.log.error({ sequence: poison.sequence, type: poison.eventType, checkpoint: this.checkpoint }, poison.message);
    this.announceStall();
  }

  /** The checkpoint, with `error` while stalled (core NATS: vaults also poll the database checkpoint). */
  private announce(): void {
    const error = this.poison?.message ?? this.failure;
    const applied: ProjectorApplied = { sequence: this.checkpoint, ...(error !== undefined && { error }) };
    try {
      this.nc?.publish(InternalSubjects.projectorApplied, JSON.stringify(applied));
    } catch {
      // Connection closing or reconnecting: the next announcement (or the vault's poll) covers it.
    }
  }

  /** Announces the stall now and every STALL_ANNOUNCE_MS until it ends. */
  private announceStall(): void {
    this.announce();
    this.stallTimer ??= setInterval(() => {
      if (this.poison || this.failure !== undefined) this.announce();
      else {
        clearInterval(this.stallTimer);
        this.stallTimer = undefined;
      }
    }, STALL_ANNOUNCE_MS);
  }

  /** After a commit or a clean resume: clears a reported failure; true when there was one. */
  private recovered(): boolean {
    this.failures = 0;
    if (this.failure === undefined) return false;
    this.log.info({ checkpoint: this.checkpoint }, 'projection recovered');
    this.failure = undefined;
    clearInterval(this.stallTimer);
    this.stallTimer = undefined;
    return true;
  }

  private retryLater(err: unknown): void {
    if (this.stopped) return;
    this.failures++;
    this.halted = true;
    const { error, message } = errorSummary(err);
    this.failure = `applying events after sequence ${this.checkpoint} failed ${this.failures} time(s) in a row (${error}: ${message.slice(0, 200)}); retrying`;
    this.stopConsuming();
    const delay = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (this.failures - 1));
    this.log.error({ error, message, checkpoint: this.checkpoint, failures: this.failures, retryInMs: delay }, 'projection failed');
    this.announceStall();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.resume(), delay);
  }

  /** Starts over from the database's checkpoint (on a new connection when the last one failed). */
  private async resume(): Promise<void> {
    if (this.stopped) return;
    try {
      this.checkpoint = await this.db!.read((m) => readCheckpoint(m));
      this.halted = false;
      await this.consume();
      if (this.stopped) this.stopConsuming();
      // Nothing held back (the failure was in a read): healthy now; otherwise the next commit says so.
      const last = (await this.jsm!.streams.info(Streams.events.name)).state.last_seq;
      if (last <= this.checkpoint && this.recovered()) this.announce();
    } catch (err) {
      this.retryLater(err);
    }
  }
}
