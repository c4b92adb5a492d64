import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { natsProbe, readinessOf, sqlProbe } from '@coffer/observability';
import { NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { NATS_CONNECTION } from './tokens';

/** The vault is ready when its own NATS connection (event log, crypto-worker calls) and the read model answer; the serving connection is the transport's probe. */
@Injectable()
export class VaultReadiness implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly remove: (() => void)[] = [];

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection, private readonly ds: DataSource) {}

  onApplicationBootstrap(): void {
    const readiness = readinessOf('vault');
    this.remove.push(readiness.add('nats-events', natsProbe(this.nc)), readiness.add('database', sqlProbe(this.ds)));
  }

  onApplicationShutdown(): void {
    this.remove.splice(0).forEach((fn) => fn());
  }
}
