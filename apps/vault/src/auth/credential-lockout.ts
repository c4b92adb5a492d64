import { Inject, Injectable } from '@nestjs/common';
import { afterFailure, lockedForMs, LockoutState, NO_FAILURES } from './lockout-schedule';
import { THROTTLE_SETTINGS, ThrottleSettings } from './throttle-settings';

/**
 * Failed credential exchanges per client id and credential kind, held by this vault replica (see
 * lockout-schedule for the rules). Unknown ids are tracked exactly like known ones, so a lockout
 * says nothing about whether an id exists. At most `maxTracked` ids are remembered: the one whose
 * last failure is oldest is forgotten first.
 */
@Injectable()
export class CredentialLockout {
  private readonly states = new Map<string, LockoutState>();
  /** Real time, not the vault's shiftable Clock: a dev time shift must not lift or extend lockouts. Tests replace it. */
  now: () => number = Date.now;

  constructor(@Inject(THROTTLE_SETTINGS) private readonly settings: ThrottleSettings) {}

  /** How long `key` is still locked out, or undefined. */
  lockedForMs(key: string): number | undefined {
    const state = this.states.get(key);
    return state === undefined ? undefined : lockedForMs(state, this.now());
  }

  /** Records a failure; returns the lockout's length when this failure started one. */
  failed(key: string): number | undefined {
    const policy = this.settings.lockout;
    const previous = this.states.get(key);
    const { state, lockedForMs: started } = afterFailure(previous ?? NO_FAILURES, this.now(), policy);
    // Re-inserting keeps the map in order of last failure, oldest first.
    if (previous) this.states.delete(key);
    else if (this.states.size >= policy.maxTracked) this.states.delete(this.states.keys().next().value as string);
    this.states.set(key, state);
    return started;
  }

  succeeded(key: string): void {
    this.states.delete(key);
  }
}
