import { Consumer, ConsumerMessages, JsMsg } from 'nats';

export interface OrderedBatchPumpOptions {
  maxBatch: number;
  /** Applies one batch, in stream order; the next batch waits for it. */
  apply(batch: JsMsg[]): Promise<void>;
  /** Checked before each batch: false stops draining (stopped, poisoned, failing). */
  canContinue(): boolean;
  onError(err: unknown): void;
}

/**
 * Feeds a JetStream consumer's messages to `apply` in order, one batch at a time: whatever arrives
 * while a batch is applied forms the next one, so a busy stream gets large batches and a quiet one
 * gets each message at once. After stop(), messages still arriving from the old pull are ignored.
 */
export class OrderedBatchPump {
  private pending: JsMsg[] = [];
  private draining?: Promise<void>;
  private messages?: ConsumerMessages;
  private generation = 0;

  constructor(private readonly options: OrderedBatchPumpOptions) {}

  async start(consumer: Consumer): Promise<void> {
    const generation = ++this.generation;
    const messages = await consumer.consume({
      max_messages: this.options.maxBatch,
      callback: (m) => {
        if (generation !== this.generation) return;
        this.pending.push(m);
        this.kick();
      },
    });
    this.messages = messages;
    // The pull can end on its own (the consumer's leader moved to another cluster node, heartbeats
    // missed, the consumer gone): unless stop() ended it, that is an error for the owner to recover
    // from (it repositions the consumer and starts again), not a silent stall.
    void messages.closed().then(
      (err) => generation === this.generation && this.options.onError(err ?? new Error('the consumer stopped delivering')),
      (err: unknown) => generation === this.generation && this.options.onError(err),
    );
  }

  stop(): void {
    this.generation++;
    this.messages?.stop();
    this.messages = undefined;
    this.pending = [];
  }

  /** Resolves once the batch being applied, if any, is done. */
  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  /** Messages are waiting or being applied. */
  get busy(): boolean {
    return this.pending.length > 0 || this.draining !== undefined;
  }

  private kick(): void {
    if (this.draining || this.pending.length === 0) return;
    this.draining = this.drain()
      .catch((err) => this.options.onError(err))
      .finally(() => {
        this.draining = undefined;
        this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && this.options.canContinue()) {
      await this.options.apply(this.pending.splice(0, this.options.maxBatch));
    }
  }
}
