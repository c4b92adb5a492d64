import { conflict, InnerErrorCodes } from '@coffer/contracts';

/** What check-and-set compares against: the object's sequence and its latest version. */
export interface CheckAndSetState {
  sequence: number;
  currentVersion?: string;
}

/**
 * Check-and-set for any versioned object (secrets, keys): `ifMatch` is the latest version id the
 * caller saw, or the object's sequence. A stale one is a Conflict, so a read-modify-write never
 * overwrites a change it did not see. `kind` names the object in the message ('Secret', 'Key').
 */
export function assertObjectIfMatch(kind: string, name: string, ifMatch: string | undefined, state: CheckAndSetState): void {
  if (ifMatch === undefined) return;
  const matches = /^[0-9]+$/.test(ifMatch) ? Number(ifMatch) === state.sequence : ifMatch === state.currentVersion;
  if (!matches) {
    throw conflict(
      `${kind} '${name}' has changed since '${ifMatch}' (now version ${state.currentVersion ?? 'none'}, sequence ${state.sequence}).`,
      InnerErrorCodes.VersionMismatch,
    );
  }
}
