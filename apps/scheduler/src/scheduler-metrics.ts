import { appMetrics, LATENCY_BUCKETS } from '@coffer/observability';

const metrics = appMetrics('scheduler');

const scans = metrics.counter({ name: 'coffer_scheduler_scans_total', help: 'Scans of the read model this replica completed as leader' });
const scanSeconds = metrics.histogram({
  name: 'coffer_scheduler_scan_duration_seconds', help: 'Time of one scan (listing due items and sending their commands)', buckets: [...LATENCY_BUCKETS, 30, 60, 300],
});
const dueItems = metrics.gauge({ name: 'coffer_scheduler_due_items', help: 'Lifecycle actions found due in the last scan' });
const lastScan = metrics.gauge({ name: 'coffer_scheduler_last_scan_timestamp_seconds', help: 'When the last scan finished (Unix time, the scheduler\'s clock)' });
const leader = metrics.gauge({ name: 'coffer_scheduler_leader', help: '1 when this replica holds the leader lease (and scans), else 0' });

/** Lifecycle actions sent, by rule, action and outcome (done, settled, not-yet, failed). */
export const schedulerActions = metrics.counter({
  name: 'coffer_scheduler_actions_total', help: 'Lifecycle actions sent as commands, by rule, action and outcome (done, settled, not-yet, failed)',
  labelNames: ['rule', 'action', 'outcome'] as const,
});

/** One finished scan: `actions` found due, `ms` it took. */
export function observeScan(stats: { actions: number; ms: number }, finishedAtMs: number): void {
  scans.inc();
  scanSeconds.observe(stats.ms / 1000);
  dueItems.set(stats.actions);
  lastScan.set(finishedAtMs / 1000);
}

export function observeLeadership(isLeader: boolean): void {
  leader.set(isLeader ? 1 : 0);
}
