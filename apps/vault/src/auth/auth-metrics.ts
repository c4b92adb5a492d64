import { appMetrics } from '@coffer/observability';

const metrics = appMetrics('vault');

/** Access tokens issued by credential exchange (auth.token). */
export const tokensIssued = metrics.counter({ name: 'coffer_tokens_issued_total', help: 'Access tokens issued (credential exchanges that succeeded)' });

/** Credential exchanges refused, by credential kind and reason (the error's inner code: InvalidCredential, CredentialLockedOut, …). */
export const credentialFailures = metrics.counter({
  name: 'coffer_credential_failures_total',
  help: 'Credential exchanges (sign-ins) refused, by credential kind (secret, key) and reason (inner error code)',
  labelNames: ['kind', 'reason'] as const,
});
