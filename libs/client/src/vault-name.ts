import { VAULT_NAME } from '@coffer/contracts/protocol';
import { invalidArgument } from './errors';

/**
 * The vault name is a token of the subject, so a name with `.`, `*` or `>` would address another
 * subject entirely: check it before building one.
 */
export function assertVaultName(vault: string): string {
  if (typeof vault !== 'string' || !VAULT_NAME.test(vault)) {
    throw invalidArgument(`vault name must match ${VAULT_NAME.source} (got '${vault}')`);
  }
  return vault;
}
