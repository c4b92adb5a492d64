import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { CofferConfig, natsConnectOptions } from '@coffer/config';
import { Streams } from '@coffer/contracts';
import { ensureCofferStreams, EventStore, Keyring } from '@coffer/event-store';
import { openReadModel, ReadModel } from '@coffer/read-model';
import { connect, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { COFFER_CONFIG, NATS_CONNECTION } from './tokens';

/**
 * The vault's own NATS connection (event log, keyring, crypto-worker calls), separate from the
 * one NestJS uses to serve requests, and the read-model database (migrated by the projector).
 */
export const infrastructureProviders: Provider[] = [
  {
    provide: NATS_CONNECTION,
    inject: [COFFER_CONFIG],
    useFactory: async (config: CofferConfig): Promise<NatsConnection> => {
      const nc = await connect(natsConnectOptions(config, 'coffer-vault'));
      await ensureCofferStreams(await nc.jetstreamManager(), config.streamReplicas, config.dedupeWindowMs);
      return nc;
    },
  },
  { provide: EventStore, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => EventStore.open(nc, Streams.events.name) },
  { provide: Keyring, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => Keyring.open(nc) },
  {
    provide: DataSource,
    inject: [COFFER_CONFIG],
    useFactory: (config: CofferConfig) => openReadModel(config.dbUrl, { migrate: false }),
  },
  { provide: ReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new ReadModel(ds) },
];

/** Closes the connection and the database on shutdown. */
@Injectable()
export class InfrastructureShutdown implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection, private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
    await this.ds.destroy().catch(() => undefined);
  }
}
