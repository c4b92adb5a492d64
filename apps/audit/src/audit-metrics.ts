import { AuditStreams } from '@coffer/contracts';
import { appMetrics } from '@coffer/observability';
import type { JetStreamManager } from 'nats';

/** What the gauges read of the chain service. */
export interface ObservedChain {
  jsm?: JetStreamManager;
  chainHead(): { seq: number };
  problem(): string | undefined;
  checkpointProblem(): string | undefined;
}

const metrics = appMetrics('audit');

/** Records chained (hashed and committed to the chain database). */
export const auditChainedRecords = metrics.counter({ name: 'coffer_audit_chained_records_total', help: 'Audit records added to the hash chain' });

/** Records per chained batch: one database transaction and one ack each. */
export const auditChainBatchRecords = metrics.histogram({
  name: 'coffer_audit_chain_batch_records',
  help: 'Audit records chained in one database transaction',
  buckets: [1, 4, 16, 64, 256, 1024, 4096],
});

let observed: ObservedChain | undefined;

metrics.gauge({
  name: 'coffer_audit_lag_records',
  help: 'Messages in COFFER_AUDIT not chained yet (the audit app\'s lag); -1 when the stream cannot be read',
  async collect() {
    const chain = observed;
    if (!chain?.jsm) return;
    const info = await chain.jsm.streams.info(AuditStreams.records.name).catch(() => undefined);
    this.set(info ? Math.max(0, info.state.last_seq - chain.chainHead().seq) : -1);
  },
});
metrics.gauge({
  name: 'coffer_audit_chain_stalled',
  help: '1 while chaining is failing and being retried (or the chain database is full), else 0',
  collect() {
    if (observed) this.set(observed.problem() ? 1 : 0);
  },
});
metrics.gauge({
  name: 'coffer_audit_checkpoint_failing',
  help: '1 while signing or publishing the latest checkpoint fails, else 0',
  collect() {
    if (observed) this.set(observed.checkpointProblem() ? 1 : 0);
  },
});

/** The chain the gauges read at scrape time, until the returned function is called. */
export function observeChain(chain: ObservedChain): () => void {
  observed = chain;
  return () => {
    if (observed === chain) observed = undefined;
  };
}
