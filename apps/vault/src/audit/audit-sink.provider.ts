import { Logger, Provider } from '@nestjs/common';
import { ensureAuditStreams } from '@coffer/audit';
import { NatsConnection } from 'nats';
import { CofferConfig } from '@coffer/config';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';
import { AuditCapacityMonitor } from './audit-capacity.monitor';
import { AUDIT_SINK } from './audit-sink';
import { AUDIT_BATCHING, AUDIT_PUBLISH_TIMEOUT_MS, JetStreamAuditSink } from './jetstream-audit.sink';

/**
 * Binds AUDIT_SINK to the JetStream sink on the vault's own connection, creating COFFER_AUDIT and
 * COFFER_AUDIT_CHECKPOINTS when missing (start-up fails when it cannot). Existing streams are not
 * changed (the vault's NATS user may not update streams; provisioning gives them the limits): a
 * difference from the configured limits or protection is logged. Anonymous noise is aggregated per
 * config.audit.aggregation.
 */
export const auditSinkProvider: Provider = {
  provide: AUDIT_SINK,
  inject: [NATS_CONNECTION, COFFER_CONFIG, AuditCapacityMonitor],
  useFactory: async (nc: NatsConnection, config: CofferConfig, capacity: AuditCapacityMonitor): Promise<JetStreamAuditSink> => {
    const drift = await ensureAuditStreams(await nc.jetstreamManager(), config.audit, config.streamReplicas);
    if (drift.length) new Logger('AuditSink').warn(`audit streams differ from the configuration (run the provisioning step as coffer-admin): ${drift.join('; ')}`);
    return new JetStreamAuditSink(nc, AUDIT_PUBLISH_TIMEOUT_MS, AUDIT_BATCHING, { aggregation: config.audit.aggregation, capacity });
  },
};
