import { assertNoDeliveryGap, OrderedBatchPump } from '@coffer/event-store';
import { CofferConfig, natsConnectOptions } from '@coffer/config';
import { AuditCheckpoint, AuditStreams } from '@coffer/contracts';
import { chainHash, checkpointDigest, decodeAuditMessage, ensureAuditStreams, UnsignedCheckpoint } from '@coffer/audit';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AckPolicy, connect, DeliverPolicy, JetStreamManager, JsMsg, nanos, NatsConnection } from 'nats';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AuditOptions } from './audit.config';
import { AUDIT_CONFIG, AUDIT_DURABLE, AUDIT_OPTIONS, AUDIT_SIGNER } from './audit.tokens';
import { AuditSigner, NatsAuditSigner } from './audit-signer';
import { openAuditDataSource } from './db/audit-data-source';
import { AuditRecordRow } from './db/audit-tables';
import { AuditStore, AuditStoreFullError, ChainHead, GENESIS_HEAD, recordToRow } from './db/audit-store';
import { auditChainBatchRecords, auditChainedRecords } from './audit-metrics';

export const AUDIT_BATCH = 256;
const CONSUMER_NOT_FOUND = 10014;
const MAX_RETRY_DELAY_MS = 30_000;

function errorSummary(err: unknown): { error: string; message: string } {
  return err instanceof Error ? { error: err.name, message: err.message } : { error: 'Error', message: String(err) };
}

/**
 * The audit app's core: a durable pull consumer (`coffer-audit`, AckAll) on COFFER_AUDIT that
 * chains every record in stream order (each message holds one or more records, chained in order;
 * rows and hashes committed per batch of messages, then one ack), and
 * signs a checkpoint of the chain head every `checkpointEvery` records or `checkpointIntervalMs`
 * when something new arrived. The database is the truth about what was chained: on start and after
 * a failure the durable is repositioned at head + 1.
 */
@Injectable()
export class AuditChainService implements OnApplicationBootstrap, OnApplicationShutdown {
  nc?: NatsConnection;
  jsm?: JetStreamManager;
  store?: AuditStore;
  signer!: AuditSigner;
  private ds?: DataSource;
  private head: ChainHead = GENESIS_HEAD;
  private lastCheckpoint: AuditCheckpoint | null = null;
  private stopped = false;
  private failure?: string;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private checkpointTimer?: NodeJS.Timeout;
  private checkpointing?: Promise<void>;
  private checkpointError?: string;
  private waiters: { seq: number; resolve: () => void }[] = [];

  private readonly pump = new OrderedBatchPump({
    maxBatch: AUDIT_BATCH,
    apply: (batch) => this.chainBatch(batch),
    canContinue: () => !this.stopped && !this.failure,
    onError: (err) => this.retryLater(err),
  });

  constructor(
    @Inject(AUDIT_CONFIG) private readonly config: CofferConfig,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
    @InjectPinoLogger(AuditChainService.name) private readonly log: PinoLogger,
    @Optional() @Inject(AUDIT_SIGNER) private readonly injectedSigner?: AuditSigner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    try {
      this.nc = await connect(natsConnectOptions(this.config, 'coffer-audit'));
      this.jsm = await this.nc.jetstreamManager();
      // Creates the streams if provisioning never ran; only the admin may change existing ones.
      const drift = await ensureAuditStreams(this.jsm, this.options, this.config.streamReplicas);
      if (drift.length) this.log.warn({ drift }, 'audit streams differ from the configuration (run the provisioning step as coffer-admin)');
      this.signer = this.injectedSigner ?? new NatsAuditSigner(this.nc, undefined, this.config.cryptoTimeoutMs);
      this.ds = await openAuditDataSource(this.config.audit.dbUrl);
      this.store = new AuditStore(this.ds);
      this.store.capSize(this.options.dbMaxBytes);
      this.head = await this.store.head();
      this.lastCheckpoint = await this.store.lastCheckpoint();
      await this.consume();
      this.checkpointTimer = setInterval(() => {
        if (this.head.seq > (this.lastCheckpoint?.sequence ?? 0)) void this.checkpoint();
      }, this.options.checkpointIntervalMs);
      this.log.info({ sequence: this.head.seq, count: this.head.position }, 'audit chain started');
    } catch (err) {
      this.log.error(errorSummary(err), 'audit app failed to start');
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.checkpointTimer);
    for (const w of this.positionWaiters) w.resolve(false);
    this.stopConsuming();
    await this.pump.idle();
    await this.checkpointing;
    await this.store?.close();
    await this.nc?.drain().catch(() => undefined);
    await this.ds?.destroy().catch(() => undefined);
    this.log.info({ sequence: this.head.seq }, 'audit chain stopped');
  }

  chainHead(): ChainHead {
    return this.head;
  }

  /** Resolves when the chain holds record `position` (true), or after timeoutMs (false): the audit feed's long poll. */
  reached(position: number, timeoutMs: number): Promise<boolean> {
    if (this.head.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: (ok: boolean) => { clearTimeout(timer); this.positionWaiters.delete(waiter); resolve(ok); } };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.positionWaiters.add(waiter);
    });
  }

  private positionWaiters = new Set<{ position: number; resolve: (ok: boolean) => void }>();

  latestCheckpoint(): AuditCheckpoint | null {
    return this.lastCheckpoint;
  }

  problem(): string | undefined {
    return this.failure;
  }

  checkpointProblem(): string | undefined {
    return this.checkpointError;
  }

  /** The chain database's size, measured at most once a second (PostgreSQL asks the server). */
  async databaseBytes(): Promise<number> {
    if (Date.now() - this.sizeAt > 1_000) {
      this.size = await this.store!.sizeBytes();
      this.sizeAt = Date.now();
    }
    return this.size;
  }

  private size = 0;
  private sizeAt = 0;

  /** Resolves once the chain reached `seq` or holds everything the durable was sent (false on timeout). */
  async caughtUp(seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.head.seq >= seq) return true;
      if (!this.pump.busy) {
        const info = await this.jsm!.consumers.info(AuditStreams.records.name, AUDIT_DURABLE).catch(() => undefined);
        if (info && info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq <= this.head.seq) return true;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 50));
        const waiter = { seq, resolve: done };
        this.waiters.push(waiter);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      this.waiters = this.waiters.filter((w) => w.seq > this.head.seq);
    }
  }

  /** Signs and publishes a checkpoint of the current head (one at a time). */
  checkpoint(): Promise<void> {
    this.checkpointing ??= this.signCheckpoint().finally(() => (this.checkpointing = undefined));
    return this.checkpointing;
  }

  private async signCheckpoint(): Promise<void> {
    const head = this.head;
    if (head.seq === 0 || head.seq <= (this.lastCheckpoint?.sequence ?? 0)) return;
    try {
      const unsigned: UnsignedCheckpoint = { sequence: head.seq, count: head.position, head: head.hash, time: new Date().toISOString(), keyId: this.signer.keyId };
      const signature = (await this.signer.sign(checkpointDigest(unsigned))).toString('base64');
      const checkpoint: AuditCheckpoint = { ...unsigned, signature };
      await this.nc!.jetstream().publish(AuditStreams.checkpoints.subject, JSON.stringify(checkpoint), { expect: { streamName: AuditStreams.checkpoints.name } });
      await this.store!.saveCheckpoint(checkpoint);
      this.lastCheckpoint = checkpoint;
      this.checkpointError = undefined;
      this.log.info({ sequence: checkpoint.sequence, count: checkpoint.count }, 'audit checkpoint signed');
    } catch (err) {
      this.checkpointError = `checkpoint at sequence ${head.seq} failed (${errorSummary(err).message}); retrying`;
      this.log.error(errorSummary(err), 'audit checkpoint failed');
    }
  }

  private async consume(): Promise<void> {
    await this.positionConsumer();
    const consumer = await this.nc!.jetstream().consumers.get(AuditStreams.records.name, AUDIT_DURABLE);
    await this.pump.start(consumer);
  }

  /** Keeps the durable only when it sits exactly at the chain head with nothing outstanding. */
  private async positionConsumer(): Promise<void> {
    const stream = AuditStreams.records.name;
    try {
      const info = await this.jsm!.consumers.info(stream, AUDIT_DURABLE);
      if (info.delivered.stream_seq === this.head.seq && info.num_ack_pending === 0 && info.config.ack_policy === AckPolicy.All) return;
      await this.jsm!.consumers.delete(stream, AUDIT_DURABLE);
    } catch (err) {
      if ((err as { api_error?: { err_code?: number } }).api_error?.err_code !== CONSUMER_NOT_FOUND) throw err;
    }
    await this.jsm!.consumers.add(stream, {
      durable_name: AUDIT_DURABLE,
      ack_policy: AckPolicy.All,
      ack_wait: nanos(60_000),
      max_ack_pending: 1024,
      ...(this.head.seq === 0
        ? { deliver_policy: DeliverPolicy.All }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.head.seq + 1 }),
    });
  }

  private stopConsuming(): void {
    this.pump.stop();
  }

  private async chainBatch(batch: JsMsg[]): Promise<void> {
    // Fail closed at the limit: nothing more is chained (the stream keeps the records; the vault
    // refuses requests with AuditStoreFull once it sees the database full).
    if ((await this.databaseBytes()) >= this.options.dbMaxBytes) throw new AuditStoreFullError('the audit database reached its size limit');
    // A record lost in a cluster leader change must not leave a hole: the retry repositions at head + 1.
    await assertNoDeliveryGap(this.jsm!, AuditStreams.records.name, this.head.seq, batch);
    let head = this.head;
    const rows: AuditRecordRow[] = [];
    for (const m of batch) {
      if (m.seq <= head.seq) continue; // redelivered after its batch committed
      decodeAuditMessage(m.data).forEach((record, index) => {
        const hash = chainHash(head.hash, m.seq, index, record);
        head = { seq: m.seq, position: head.position + 1, hash };
        rows.push(recordToRow(m.seq, index, head.position, record, hash));
      });
    }
    if (rows.length > 0) {
      await this.store!.append(rows);
      auditChainedRecords.inc(rows.length);
      auditChainBatchRecords.observe(rows.length);
    }
    const before = this.head;
    this.head = head;
    this.failures = 0;
    batch[batch.length - 1]?.ack();
    for (const w of this.waiters) if (w.seq <= head.seq) w.resolve();
    for (const w of this.positionWaiters) if (w.position <= head.position) w.resolve(true);
    if (head.position - (this.lastCheckpoint?.count ?? 0) >= this.options.checkpointEvery && head.seq > before.seq) void this.checkpoint();
  }

  private retryLater(err: unknown): void {
    if (this.stopped) return;
    this.failures++;
    this.failure = err instanceof AuditStoreFullError
      ? `audit database full (COFFER_AUDIT_DB_MAX_BYTES ${this.options.dbMaxBytes}): chaining stopped after sequence ${this.head.seq}`
      : `chaining after sequence ${this.head.seq} failed (${errorSummary(err).error}); retrying`;
    if (err instanceof AuditStoreFullError) this.sizeAt = 0;
    this.stopConsuming();
    const delay = Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** (this.failures - 1));
    this.log.error({ ...errorSummary(err), sequence: this.head.seq, retryInMs: delay }, 'audit chaining failed');
    this.retryTimer = setTimeout(() => void this.resume(), delay);
  }

  private async resume(): Promise<void> {
    if (this.stopped) return;
    try {
      this.head = await this.store!.head();
      this.failure = undefined;
      await this.consume();
      if (this.stopped) this.stopConsuming();
    } catch (err) {
      this.retryLater(err);
    }
  }
}
