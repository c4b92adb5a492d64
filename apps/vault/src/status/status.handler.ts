import { Anonymous } from '../auth/access.decorator';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditStorageStatus, EmptyRequest, InternalSubjects, Patterns, SchedulerStatusReply, SchedulerSubjects, StatusReply } from '@coffer/contracts';
import { Msg, NatsConnection } from 'nats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@coffer/config';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { NATS_CONNECTION } from '../infrastructure/tokens';

const PROBE_TIMEOUT_MS = 1500;
const VERSION: string = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).version;

/** Health of the whole service: this vault, the crypto-worker (and its HSM), the projector's and the audit chain's lag, the scheduler. */
@Controller()
export class StatusHandler {
  constructor(private readonly crypto: CryptoWorkerClient, @Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  @MessagePattern(Patterns.status)
  @Anonymous('Coffer/status/read')
  async handle(@Payload() _req: EmptyRequest): Promise<StatusReply> {
    const probe = (subject: string) => this.nc.request(subject, Buffer.from('{}'), { timeout: PROBE_TIMEOUT_MS });
    const [crypto, projector, audit, scheduler] = await Promise.allSettled([
      this.crypto.status(PROBE_TIMEOUT_MS),
      probe(InternalSubjects.projectorStatus),
      probe(InternalSubjects.audit('status')),
      probe(SchedulerSubjects.status),
    ]);
    const json = <T>(r: PromiseSettledResult<Msg>): T | undefined =>
      r.status === 'fulfilled' ? (JSON.parse(Buffer.from(r.value.data).toString('utf8')) as T) : undefined;
    const p = json<{ checkpoint: number; lastSequence: number; lag: number; error?: string }>(projector);
    const a = json<{ count: number; lag: number; error?: string; storage?: AuditStorageStatus }>(audit);
    const s = json<SchedulerStatusReply>(scheduler);
    return {
      vault: { ok: true, version: VERSION },
      cryptoWorker:
        crypto.status === 'fulfilled'
          ? { ok: true, token: crypto.value.token, sessions: crypto.value.sessions }
          : { ok: false, detail: 'no answer from the crypto-worker' },
      projector: p
        ? { ok: !p.error, checkpoint: p.checkpoint, lastSequence: p.lastSequence, lag: p.lag, ...(p.error && { detail: p.error }) }
        : { ok: false, detail: 'no answer from the projector' },
      audit: a
        ? {
          // A full audit store refuses every request (fail closed): not ok, whatever else.
          ok: !a.error && a.storage?.alert !== 'full', count: a.count, lag: a.lag,
          ...(a.storage && { storage: a.storage }),
          ...(a.error && { detail: a.error }),
        }
        : { ok: false, detail: 'no answer from the audit service' },
      scheduler: s
        ? { ok: s.ok, leader: s.leader, scans: s.scans, ...(s.lastScanAt && { lastScanAt: s.lastScanAt }) }
        : { ok: false, detail: 'no answer from the scheduler' },
    };
  }
}
