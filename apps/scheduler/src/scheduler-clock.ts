import { CofferConfig } from '@coffer/config';
import { DevTime } from '@coffer/event-store';
import { NatsConnection } from 'nats';

/** Where the scheduler's "now" comes from: real time, or the shared dev time shift in dev mode. */
export interface SchedulerClock {
  now(): number;
  stop(): void;
}

export async function openSchedulerClock(nc: NatsConnection, config: CofferConfig): Promise<SchedulerClock> {
  if (!config.devMode) return { now: () => Date.now(), stop: () => undefined };
  const devTime = await DevTime.open(nc, config.streamReplicas);
  return { now: () => devTime.now().getTime(), stop: () => devTime.stop() };
}
