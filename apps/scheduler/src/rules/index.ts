import { LifecycleRule } from '../lifecycle-rule';
import { CertificateLifetimeRule } from './certificate-lifetime.rule';
import { KeyExpiryRule } from './key-expiry.rule';
import { KeyRotationRule } from './key-rotation.rule';
import { PurgeDeletedRule } from './purge-deleted.rule';
import { SecretExpiryRule } from './secret-expiry.rule';
import { SecretRotationHookRule } from './secret-rotation-hook.rule';

/** Every rule a scan runs, in order. */
export const defaultRules = (): LifecycleRule[] => [
  new KeyRotationRule(), new KeyExpiryRule(), new CertificateLifetimeRule(), new SecretExpiryRule(), new SecretRotationHookRule(), new PurgeDeletedRule(),
];
