import { badParameter, InnerErrorCodes, LifetimeAction } from '@coffer/contracts';
import { isoDurationMs } from './iso-duration';

const invalid = (message: string) => badParameter(`Invalid rotation policy: ${message}`, InnerErrorCodes.InvalidRotationPolicy);

/**
 * A rotation policy's rules (Azure's, minus its minimum durations so short policies can be tested):
 * every action has exactly one trigger; at most one Rotate and one Notify; Notify fires only
 * before expiry; durations are positive ISO 8601 durations shorter than expiryTime when it is set.
 * An empty list of actions is a policy that does nothing.
 */
export function assertValidRotationPolicy(lifetimeActions: readonly LifetimeAction[], expiryTime: string | undefined): void {
  const positive = (field: string, value: string): number => {
    const ms = isoDurationMs(value);
    if (ms === undefined || ms <= 0) throw invalid(`${field} '${value}' is not a positive ISO 8601 duration.`);
    return ms;
  };
  const expiryMs = expiryTime === undefined ? undefined : positive('expiryTime', expiryTime);
  const seen = new Set<string>();
  for (const [i, { trigger, action }] of lifetimeActions.entries()) {
    const fields = (['timeAfterCreate', 'timeBeforeExpiry'] as const).filter((f) => trigger?.[f] !== undefined);
    if (fields.length !== 1) throw invalid(`lifetimeActions[${i}] must have exactly one trigger (timeAfterCreate or timeBeforeExpiry).`);
    if (seen.has(action.type)) throw invalid(`at most one ${action.type} action is allowed.`);
    seen.add(action.type);
    const field = fields[0];
    const ms = positive(`lifetimeActions[${i}].trigger.${field}`, trigger[field] as string);
    if (action.type === 'Notify' && field !== 'timeBeforeExpiry') throw invalid('a Notify action is triggered by timeBeforeExpiry only.');
    if (expiryMs !== undefined && ms >= expiryMs) throw invalid(`lifetimeActions[${i}].trigger.${field} must be shorter than expiryTime.`);
  }
}
