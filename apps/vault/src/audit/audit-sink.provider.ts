import { Provider } from '@nestjs/common';
import { ensureAuditStreams } from '@coffer/audit';
import { NatsConnection } from 'nats';
import { CofferConfig } from '@coffer/config';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';
import { AUDIT_SINK } from './audit-sink';
import { JetStreamAuditSink } from './jetstream-audit.sink';

/**
 * Binds AUDIT_SINK to the JetStream sink on the vault's own connection, creating COFFER_AUDIT and
 * COFFER_AUDIT_CHECKPOINTS when missing (start-up fails when it cannot).
 */
export const auditSinkProvider: Provider = {
  provide: AUDIT_SINK,
  inject: [NATS_CONNECTION, COFFER_CONFIG],
  useFactory: async (nc: NatsConnection, config: CofferConfig): Promise<JetStreamAuditSink> => {
    await ensureAuditStreams(await nc.jetstreamManager(), config.streamReplicas);
    return new JetStreamAuditSink(nc);
  },
};
