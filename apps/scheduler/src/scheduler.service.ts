import type { Logger } from 'pino';
import { LeaderLease } from './leader-lease';
import { Scanner, ScanStats } from './scanner';
import { SchedulerClock } from './scheduler-clock';
import { observeLeadership, observeScan } from './scheduler-metrics';

export interface SchedulerState {
  leader: boolean;
  lastScanAt?: string;
  lastScan?: ScanStats;
  scans: number;
}

/**
 * The scheduler's two loops: the lease (renewed every TTL/3 by every replica; the one holding it
 * leads) and, on the leader only, a scan every interval. Standby replicas only keep trying the lease.
 */
export class SchedulerService {
  readonly state: SchedulerState = { leader: false, scans: 0 };
  private stopped = false;
  private leaseTimer?: NodeJS.Timeout;
  private scanTimer?: NodeJS.Timeout;
  private scanning?: Promise<void>;

  constructor(
    private readonly lease: LeaderLease,
    private readonly scanner: Scanner,
    private readonly clock: SchedulerClock,
    private readonly scanIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.tickLease();
    this.scheduleScan(0);
  }

  /** Runs one scan now if this replica leads (tests and the benchmark call it directly). */
  async scanNow(): Promise<ScanStats | undefined> {
    if (!this.lease.isLeader()) return undefined;
    const stats = await this.scanner.scan(this.clock.now(), () => this.lease.isLeader() && !this.stopped);
    this.state.scans++;
    this.state.lastScan = stats;
    this.state.lastScanAt = new Date(this.clock.now()).toISOString();
    observeScan(stats, this.clock.now());
    if (stats.actions > 0) this.logger.info({ ...stats }, 'scan finished');
    else this.logger.debug({ ...stats }, 'scan finished');
    return stats;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.leaseTimer);
    clearTimeout(this.scanTimer);
    await this.scanning?.catch(() => undefined);
    await this.lease.release();
    this.state.leader = false;
  }

  private async tickLease(): Promise<void> {
    if (this.stopped) return;
    const leader = await this.lease.tick();
    if (leader !== this.state.leader) {
      this.logger.info({ replicaId: this.lease.replicaId }, leader ? 'took the scheduler lease: now leading' : 'lost the scheduler lease: standing by');
      this.state.leader = leader;
      observeLeadership(leader);
      // A new leader scans at once rather than waiting a whole interval.
      if (leader) this.scheduleScan(0);
    }
    if (!this.stopped) this.leaseTimer = setTimeout(() => void this.tickLease(), this.lease.renewEveryMs);
  }

  private scheduleScan(delayMs: number): void {
    clearTimeout(this.scanTimer);
    if (this.stopped) return;
    this.scanTimer = setTimeout(() => {
      this.scanning = (async () => {
        try {
          await this.scanNow();
        } catch (err) {
          this.logger.warn({ error: (err as Error).name, message: (err as Error).message }, 'scan failed; retried next interval');
        }
      })();
      void this.scanning.finally(() => this.scheduleScan(this.scanIntervalMs));
    }, delayMs);
  }
}
