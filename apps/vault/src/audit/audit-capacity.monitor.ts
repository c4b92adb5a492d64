import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditStorageStatus, InternalSubjects } from '@coffer/contracts';
import { NatsConnection } from 'nats';
import { NATS_CONNECTION } from '../infrastructure/tokens';
import { AuditCapacity } from './jetstream-audit.sink';

export const AUDIT_CAPACITY_POLL_MS = 2_000;

/**
 * Polls the audit app's status for its storage alert, so the sink refuses requests (AuditStoreFull)
 * as soon as the chain database is full, before the stream fills up behind it. A stream at its
 * limit is detected by the publish itself; no answer from the audit app leaves the last state.
 */
@Injectable()
export class AuditCapacityMonitor implements AuditCapacity, OnModuleInit, OnModuleDestroy {
  private storage?: AuditStorageStatus;
  private timer?: NodeJS.Timeout;

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.poll(), AUDIT_CAPACITY_POLL_MS);
    this.timer.unref();
    void this.poll();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The chain database or the checkpoint stream is at its limit (the record stream refuses publishes itself). */
  full(): boolean {
    const s = this.storage;
    return s !== undefined && (s.databaseBytes.percent >= 100 || s.checkpointBytes.percent >= 99);
  }

  async poll(): Promise<void> {
    try {
      const reply = await this.nc.request(InternalSubjects.audit('status'), '{}', { timeout: AUDIT_CAPACITY_POLL_MS });
      const storage = (reply.json<{ storage?: AuditStorageStatus }>()).storage;
      if (storage) this.storage = storage;
    } catch {
      /* the audit app is down or slow: keep the last state */
    }
  }
}
