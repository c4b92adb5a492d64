import { AuditStreams, Streams } from '@coffer/contracts';
import { JetStreamManager, StreamConfig } from 'nats';
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

export interface ProvisionReport {
  /** Streams created (they did not exist). */
  created: string[];
  /** Existing streams whose protection was turned on (a deployment made before it existed). */
  upgraded: string[];
}

/**
 * The provisioning step (`npm start` runs it as the admin NATS user, before any app starts; apps
 * may not update streams): creates the missing streams from `configs` with their protection, and
 * turns the protection on for existing ones, leaving every other setting as an operator tuned it.
 * Idempotent; safe beside apps that ensure the same streams (a stream update is atomic server-side).
 */
export async function provisionStreams(jsm: JetStreamManager, configs: readonly Partial<StreamConfig>[], replicas = 1): Promise<ProvisionReport> {
  const report: ProvisionReport = { created: [], upgraded: [] };
  const withProtection = configs.map((c) => ({ ...c, ...STREAM_PROTECTION[c.name!] }));
  for (const config of withProtection) {
    const exists = await jsm.streams.info(config.name!).then(() => true, () => false);
    if (!exists) {
      await ensureStreams(jsm, [config], replicas);
      report.created.push(config.name!);
    }
  }
  for (const [name, protection] of Object.entries(STREAM_PROTECTION)) {
    const info = await jsm.streams.info(name).catch(() => undefined);
    if (!info) continue;
    const missing = Object.entries(protection).some(([k, v]) => v && !info.config[k as keyof typeof protection]);
    if (!missing) continue;
    await jsm.streams.update(name, { ...info.config, ...protection });
    report.upgraded.push(name);
  }
  return report;
}
