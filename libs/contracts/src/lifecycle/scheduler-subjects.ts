/** The lifecycle scheduler's own subjects (internal: readiness and status of the replicas). */
export const SchedulerSubjects = {
  status: 'coffer.internal.scheduler.status',
} as const;

/** JetStream KV bucket holding the scheduler's leader lease (one key, expiring after the lease TTL). */
export const SCHEDULER_LEASE_BUCKET = 'COFFER_SCHEDULER_LEASE';
export const SCHEDULER_LEASE_KEY = 'leader';

/** Who answers a status request: one replica, leader or standby. */
export interface SchedulerStatusReply {
  ok: boolean;
  replicaId: string;
  leader: boolean;
  /** Time of the last completed scan (the scheduler's clock), if any. */
  lastScanAt?: string;
  lastScan?: { objects: number; actions: number; failures: number; ms: number };
  /** Scans this replica has completed (as leader) since it started: "N more scans" is a condition a test can wait for. */
  scans: number;
}
