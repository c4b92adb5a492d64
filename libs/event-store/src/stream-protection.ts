import { AuditStreams, Streams } from '@coffer/contracts';
import { JetStreamManager, StreamConfig, StreamState } from 'nats';
import { ensureStreams } from './ensure-streams';

/**
 * What each Coffer stream must refuse, whoever asks: the event log and the audit trail are never
 * purged and never lose a message; the keyring is never purged, but purging an object securely
 * erases its wrapped data keys one message at a time, so it allows message deletes (the NATS
 * permissions let only the vault's user do that). nats-server lets a stream update turn these on
 * and never off again, so once provisioned they hold even against a full-access NATS user.
 */
export const STREAM_PROTECTION: Record<string, Partial<Pick<StreamConfig, 'deny_purge' | 'deny_delete'>>> = {
  [Streams.events.name]: { deny_purge: true, deny_delete: true },
  [Streams.keyring.name]: { deny_purge: true },
  [AuditStreams.records.name]: { deny_purge: true, deny_delete: true },
  [AuditStreams.checkpoints.name]: { deny_purge: true, deny_delete: true },
};

/**
 * Limits provisioning brings existing streams to when their config sets them (the audit streams:
 * bounded, discard 'new'). Every other setting stays as an operator tuned it.
 */
export const PROVISIONED_LIMITS = ['discard', 'max_bytes', 'max_msgs'] as const;

/** The protection flags and provisioned limits in which `current` differs from `wanted` (with its STREAM_PROTECTION). */
export function streamDrift(wanted: Partial<StreamConfig>, current: StreamConfig): (keyof StreamConfig)[] {
  const protection = STREAM_PROTECTION[wanted.name!] ?? {};
  const off = (['deny_purge', 'deny_delete'] as const).filter((k) => (wanted[k] || protection[k]) && !current[k]);
  return [...off, ...PROVISIONED_LIMITS.filter((f) => wanted[f] !== undefined && wanted[f] !== current[f])];
}

export interface ProvisionReport {
  /** Streams created (they did not exist). */
  created: string[];
  /** Existing streams whose protection was turned on (a deployment made before it existed). */
  upgraded: string[];
  /** Existing streams given the configured limits (PROVISIONED_LIMITS). */
  limited: string[];
}

/**
 * The provisioning step (`npm start` runs it as the admin NATS user, before any app starts; apps
 * may not update streams): creates the missing streams from `configs` with their protection, turns
 * the protection on for existing ones and gives them the configured limits, leaving every other
 * setting as an operator tuned it. Idempotent; safe beside apps that ensure the same streams (a
 * stream update is atomic server-side).
 *
 * nats-server applies a lowered max_msgs / max_bytes to a stream's content at once, dropping its
 * oldest messages whatever the discard policy and deny_delete say: a limit below what a stream
 * holds is refused here (StreamLimitBelowContent), never applied.
 */
export async function provisionStreams(jsm: JetStreamManager, configs: readonly Partial<StreamConfig>[], replicas = 1): Promise<ProvisionReport> {
  const report: ProvisionReport = { created: [], upgraded: [], limited: [] };
  for (const base of configs) {
    const config = { ...base, ...STREAM_PROTECTION[base.name!] };
    const info = await jsm.streams.info(config.name!).catch(() => undefined);
    if (!info) {
      await ensureStreams(jsm, [config], replicas);
      report.created.push(config.name!);
      continue;
    }
    const drift = streamDrift(config, info.config);
    if (drift.length === 0) continue;
    const changes = Object.fromEntries(drift.map((f) => [f, config[f]])) as Partial<StreamConfig>;
    refuseDroppingContent(config.name!, changes, info.state);
    await jsm.streams.update(config.name!, { ...info.config, ...changes });
    if (drift.some((f) => f === 'deny_purge' || f === 'deny_delete')) report.upgraded.push(config.name!);
    if (drift.some((f) => (PROVISIONED_LIMITS as readonly string[]).includes(f))) report.limited.push(config.name!);
  }
  return report;
}

/** A configured limit that would make nats-server drop old messages (see provisionStreams). */
export class StreamLimitBelowContent extends Error {
  constructor(readonly stream: string, readonly limit: 'max_bytes' | 'max_msgs', readonly configured: number, readonly held: number) {
    super(`${stream} holds ${held} ${limit === 'max_bytes' ? 'bytes' : 'messages'}, more than its configured ${limit} ${configured}: ` +
      'nats-server would drop the oldest to apply it. Raise the setting and provision again.');
    this.name = 'StreamLimitBelowContent';
  }
}

function refuseDroppingContent(stream: string, changes: Partial<StreamConfig>, state: StreamState): void {
  const held = { max_bytes: state.bytes, max_msgs: state.messages };
  for (const limit of ['max_bytes', 'max_msgs'] as const) {
    const configured = changes[limit];
    if (configured !== undefined && configured > 0 && held[limit] > configured) throw new StreamLimitBelowContent(stream, limit, configured, held[limit]);
  }
}
