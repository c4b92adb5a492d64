import { conflict, InnerErrorCodes } from '@coffer/contracts';
import { SecretState } from './secret.state';

/**
 * Check-and-set: `ifMatch` is the latest version id the caller saw, or the object's sequence.
 * A stale one is a Conflict, so a read-modify-write never overwrites a change it did not see.
 */
export function assertIfMatch(name: string, ifMatch: string | undefined, state: SecretState): void {
  if (ifMatch === undefined) return;
  const matches = /^[0-9]+$/.test(ifMatch) ? Number(ifMatch) === state.sequence : ifMatch === state.currentVersion;
  if (!matches) {
    throw conflict(
      `Secret '${name}' has changed since '${ifMatch}' (now version ${state.currentVersion ?? 'none'}, sequence ${state.sequence}).`,
      InnerErrorCodes.VersionMismatch,
    );
  }
}
