import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { natsProbe, readinessOf, sqlProbe } from '@coffer/observability';
import { AuditChainService } from './audit-chain.service';
import { observeChain } from './audit-metrics';

/** While the app runs: the audit gauges read its chain, and readiness asks NATS and the chain database. */
@Injectable()
export class AuditObservation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly undo: (() => void)[] = [];

  constructor(private readonly chain: AuditChainService) {}

  onApplicationBootstrap(): void {
    // The chain service may still be connecting (bootstrap hooks run together): probes look it up when asked.
    const chain = this.chain;
    const readiness = readinessOf('audit');
    const notStarted = () => Promise.reject(new Error('not started'));
    this.undo.push(
      observeChain(chain),
      readiness.add('nats-chain', () => (chain.nc ? natsProbe(chain.nc)() : notStarted())),
      readiness.add('database', () => (chain.store ? sqlProbe(chain.store.ds)() : notStarted())),
    );
  }

  onApplicationShutdown(): void {
    this.undo.splice(0).forEach((fn) => fn());
  }
}
