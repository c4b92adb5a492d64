import { JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from 'nats';
import { Streams } from '@coffer/contracts';

const DUPLICATE_WINDOW_NS = 2 * 60 * 1_000_000_000;

/** The two streams Coffer needs; idempotent, safe for every process to call on start. */
export function cofferStreamConfigs(): Partial<StreamConfig>[] {
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    allow_direct: true,
    duplicate_window: DUPLICATE_WINDOW_NS,
  };
  return [
    { name: Streams.events.name, subjects: [...Streams.events.subjects], ...common },
    { name: Streams.keyring.name, subjects: [...Streams.keyring.subjects], ...common },
  ];
}

export async function ensureCofferStreams(jsm: JetStreamManager): Promise<void> {
  for (const config of cofferStreamConfigs()) {
    try {
      await jsm.streams.info(config.name!);
    } catch (err) {
      if ((err as { code?: string }).code !== '404') throw err;
      await jsm.streams.add(config);
    }
  }
}
