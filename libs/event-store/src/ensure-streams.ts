import { Streams } from '@coffer/contracts';
import { JetStreamManager, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';

const STREAM_NOT_FOUND = 10059;

/** JetStream's Nats-Msg-Id dedupe window on COFFER_EVENTS unless configured (COFFER_DEDUPE_WINDOW_MS). */
export const DEFAULT_DEDUPE_WINDOW_MS = 2 * 60_000;

/** Stream layout Coffer depends on; direct get serves the vault's per-object reads. */
export const COFFER_STREAM_CONFIGS: Partial<StreamConfig>[] = [
  {
    name: Streams.events.name,
    subjects: [...Streams.events.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    allow_direct: true,
    // Nats-Msg-Id dedupe window: a first line against retries; applied_requests holds them for the longer horizon.
    duplicate_window: nanos(DEFAULT_DEDUPE_WINDOW_MS),
    // The log is the system of record: never purged, no message ever deleted (see stream-protection).
    deny_purge: true,
    deny_delete: true,
  },
  {
    name: Streams.keyring.name,
    subjects: [...Streams.keyring.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    allow_direct: true,
    // Never purged; single messages are deleted (securely erased) by the shredder only.
    deny_purge: true,
  },
];

function isStreamNotFound(err: unknown): boolean {
  const api = (err as { api_error?: { err_code?: number } }).api_error;
  return api?.err_code === STREAM_NOT_FOUND || /stream not found/i.test((err as Error).message ?? '');
}

/**
 * Creates COFFER_EVENTS and COFFER_KEYRING when missing, with `replicas` copies in a cluster and
 * the given Nats-Msg-Id dedupe window on COFFER_EVENTS.
 */
export function ensureCofferStreams(jsm: JetStreamManager, replicas = 1, dedupeWindowMs = DEFAULT_DEDUPE_WINDOW_MS): Promise<void> {
  return ensureStreams(jsm, cofferStreamConfigs(dedupeWindowMs), replicas);
}

/** COFFER_STREAM_CONFIGS with the given Nats-Msg-Id dedupe window on COFFER_EVENTS (also what provisioning creates). */
export function cofferStreamConfigs(dedupeWindowMs = DEFAULT_DEDUPE_WINDOW_MS): Partial<StreamConfig>[] {
  return COFFER_STREAM_CONFIGS.map((c) => (c.name === Streams.events.name ? { ...c, duplicate_window: nanos(dedupeWindowMs) } : c));
}

/**
 * Creates each stream that is missing; existing streams are left as they are (an operator may have
 * tuned replicas or limits). Safe to call from several processes at once.
 */
export async function ensureStreams(jsm: JetStreamManager, configs: readonly Partial<StreamConfig>[], replicas = 1): Promise<void> {
  for (const base of configs) {
    // Replicated streams acknowledge once a majority of the cluster holds a write (durability).
    const config = { ...base, num_replicas: replicas };
    try {
      await jsm.streams.info(config.name!);
      continue;
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
    try {
      await jsm.streams.add(config);
    } catch (err) {
      // Lost a creation race: fine if the stream now exists.
      await jsm.streams.info(config.name!).catch(() => Promise.reject(err));
    }
  }
}
