import { Provider } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { DevTime } from '@coffer/event-store';
import { NatsConnection } from 'nats';
import { Clock } from '../infrastructure/clock';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';
import { ShiftedClock } from './shifted-clock';

/** The shared dev time offset, or null outside dev mode (production never reads the KV entry). */
export const DEV_TIME = Symbol('DEV_TIME');

export const devTimeProviders = (clock: Clock | undefined): Provider[] => [
  {
    provide: DEV_TIME,
    inject: [NATS_CONNECTION, COFFER_CONFIG],
    useFactory: (nc: NatsConnection, config: CofferConfig): Promise<DevTime> | null => (config.devMode ? DevTime.open(nc, config.streamReplicas) : null),
  },
  clock
    ? { provide: Clock, useValue: clock }
    : { provide: Clock, inject: [DEV_TIME], useFactory: (devTime: DevTime | null): Clock => (devTime ? new ShiftedClock(devTime) : new Clock()) },
];
