import { LifecycleRule } from '../lifecycle-rule';
import { CertificateLifetimeRule } from './certificate-lifetime.rule';
import { KeyExpiryRule } from './key-expiry.rule';
import { KeyRotationRule } from './key-rotation.rule';
import { PurgeDeletedRule } from './purge-deleted.rule';
import { SecretExpiryRule } from './secret-expiry.rule';
import { HookSkipLogger, SecretRotationHookRule } from './secret-rotation-hook.rule';
import { NatsConnection } from 'nats';

/** Every rule a scan runs, in order; rotation hooks go over `hooks` (the hook-sender connection) when given. */
export const defaultRules = (hooks?: NatsConnection, logger?: HookSkipLogger): LifecycleRule[] => [
  new KeyRotationRule(), new KeyExpiryRule(), new CertificateLifetimeRule(), new SecretExpiryRule(), new SecretRotationHookRule(hooks, logger), new PurgeDeletedRule(),
];
