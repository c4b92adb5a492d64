import { assertObjectIfMatch } from '../lifecycle/if-match';
import { SecretState } from './secret.state';

/** Check-and-set on a secret (see assertObjectIfMatch). */
export function assertIfMatch(name: string, ifMatch: string | undefined, state: SecretState): void {
  assertObjectIfMatch('Secret', name, ifMatch, state);
}
