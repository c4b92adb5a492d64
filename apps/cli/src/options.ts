import { CREDENTIAL_ID, Limits, parseScope, PRINCIPAL_ID, ROLE_ASSIGNMENT_ID, VAULT_NAME } from '@coffer/contracts/protocol';
import { parseIsoTime } from '@coffer/client';
import { InvalidArgumentError } from 'commander';

/** Commander parsers for option values; each throws InvalidArgumentError (a usage error, exit 2). */

/** `--tags a=1 b=2`: commander calls this once per value, accumulating into one object. */
export function parseTag(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`tags are name=value (got '${value}').`);
  const [name, tagValue] = [value.slice(0, eq), value.slice(eq + 1)];
  if (name.length > Limits.maxTagNameLength || tagValue.length > Limits.maxTagValueLength) {
    throw new InvalidArgumentError(`tag names and values are at most ${Limits.maxTagValueLength} characters.`);
  }
  const tags = { ...previous, [name]: tagValue };
  if (Object.keys(tags).length > Limits.maxTags) throw new InvalidArgumentError(`at most ${Limits.maxTags} tags.`);
  return tags;
}

/** A vault name (it becomes a subject token, so it is checked before anything is sent). */
export function parseVaultName(value: string): string {
  if (!VAULT_NAME.test(value)) throw new InvalidArgumentError(`vault names are 3-24 letters, digits and dashes, starting with a letter.`);
  return value;
}

/** An ISO 8601 time (date, or date-time with Z or an offset), normalised to UTC. */
export function parseIsoDate(value: string): string {
  const date = parseIsoTime(value);
  if (!date) {
    throw new InvalidArgumentError(`expected an ISO 8601 date or date-time with a zone, e.g. 2030-01-31 or 2030-01-31T12:00:00Z.`);
  }
  return date.toISOString();
}

/** A parser for integers from `min` to `max` inclusive. */
export function intInRange(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected an integer of at least ${min}.` : `expected an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

/** The page size that fetches `maxResults` items in as few requests as the service allows. */
export function pageSizeFor(maxResults: number | undefined): number | undefined {
  return maxResults === undefined ? undefined : Math.min(maxResults, Limits.pageSizeMax);
}

/** `--enabled` / `--disabled` (commander already refuses both together) as the `enabled` attribute. */
export function enabledFlag(opts: { enabled?: boolean; disabled?: boolean }): boolean | undefined {
  if (opts.enabled) return true;
  if (opts.disabled) return false;
  return undefined;
}

/** A parser for an id of the given form, e.g. p-<16 hex>. */
function idParser(pattern: RegExp, what: string): (value: string) => string {
  return (value) => {
    if (!pattern.test(value)) throw new InvalidArgumentError(`expected ${what}.`);
    return value;
  };
}

export const parsePrincipalId = idParser(PRINCIPAL_ID, 'a principal id (p-<16 hex digits>)');
export const parseCredentialId = idParser(CREDENTIAL_ID, 'a credential id (c-<16 hex digits>)');
export const parseRoleAssignmentId = idParser(ROLE_ASSIGNMENT_ID, 'a role assignment id (ra-<16 hex digits>)');

/** A role assignment scope: /, /vaults/<vault> or /vaults/<vault>/(secrets|keys|certificates)/<name>. */
export function parseScopeOption(value: string): string {
  if (!parseScope(value)) {
    throw new InvalidArgumentError('a scope is /, /vaults/<vault> or /vaults/<vault>/secrets/<name> (likewise keys, certificates).');
  }
  return value;
}
