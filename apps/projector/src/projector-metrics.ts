import { appMetrics } from '@coffer/observability';
import type { ProjectorStatus } from './projector-status';

const metrics = appMetrics('projector');

/** Events folded into the read model (rate: the apply rate). */
export const projectorAppliedEvents = metrics.counter({ name: 'coffer_projector_applied_events_total', help: 'Events applied to the read model' });

/** Events per committed batch (one transaction each). */
export const projectorBatchEvents = metrics.histogram({
  name: 'coffer_projector_batch_events', help: 'Events applied in one read-model transaction', buckets: [1, 4, 16, 64, 256, 1024],
});

let source: (() => Promise<ProjectorStatus>) | undefined;
let last: ProjectorStatus | undefined;
/** One status read per scrape serves the three gauges (collect runs for each). */
let reading: Promise<ProjectorStatus | undefined> | undefined;
const current = (): Promise<ProjectorStatus | undefined> => {
  reading ??= (source?.() ?? Promise.resolve(undefined)).catch(() => undefined).finally(() => setImmediate(() => (reading = undefined)));
  return reading.then((s) => (last = s ?? last));
};

metrics.gauge({
  name: 'coffer_projector_lag_events', help: 'Events in COFFER_EVENTS not applied to the read model yet; -1 when the stream cannot be read',
  async collect() {
    const s = await current();
    if (s) this.set(s.lastSequence < 0 ? -1 : Math.max(0, s.lag));
  },
});
metrics.gauge({
  name: 'coffer_projector_checkpoint', help: 'Last COFFER_EVENTS sequence applied to the read model',
  async collect() {
    const s = await current();
    if (s) this.set(s.checkpoint);
  },
});
metrics.gauge({
  name: 'coffer_projector_stalled', help: '1 while the projector cannot apply (database failure being retried, or a poison event), else 0',
  async collect() {
    const s = await current();
    if (s) this.set(s.error ? 1 : 0);
  },
});

/** The projector whose status the gauges report, until the returned function is called. */
export function observeProjector(status: () => Promise<ProjectorStatus>): () => void {
  source = status;
  return () => {
    if (source === status) source = undefined;
  };
}
