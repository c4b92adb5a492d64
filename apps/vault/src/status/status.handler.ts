import { Anonymous } from '../auth/access.decorator';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EmptyRequest, InternalSubjects, Patterns, StatusReply } from '@coffer/contracts';
import { NatsConnection } from 'nats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@coffer/config';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { NATS_CONNECTION } from '../infrastructure/tokens';

const PROBE_TIMEOUT_MS = 1500;
const VERSION: string = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).version;

/** Health of the whole service: this vault, the crypto-worker (and its HSM) and the projector's lag. */
@Controller()
export class StatusHandler {
  constructor(private readonly crypto: CryptoWorkerClient, @Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  @MessagePattern(Patterns.status)
  @Anonymous('Coffer/status/read')
  async handle(@Payload() _req: EmptyRequest): Promise<StatusReply> {
    const [crypto, projector] = await Promise.allSettled([
      this.crypto.status(PROBE_TIMEOUT_MS),
      this.nc.request(InternalSubjects.projectorStatus, new Uint8Array(), { timeout: PROBE_TIMEOUT_MS }),
    ]);
    const p =
      projector.status === 'fulfilled'
        ? (JSON.parse(Buffer.from(projector.value.data).toString('utf8')) as { checkpoint: number; lastSequence: number; lag: number; error?: string })
        : undefined;
    return {
      vault: { ok: true, version: VERSION },
      cryptoWorker:
        crypto.status === 'fulfilled'
          ? { ok: true, token: crypto.value.token, sessions: crypto.value.sessions }
          : { ok: false, detail: 'no answer from the crypto-worker' },
      projector: p
        ? { ok: !p.error, checkpoint: p.checkpoint, lastSequence: p.lastSequence, lag: p.lag, ...(p.error && { detail: p.error }) }
        : { ok: false, detail: 'no answer from the projector' },
    };
  }
}
