/**
 * Small field checks for event data read back from the log, shared by the event catalogues: a
 * malformed event fails decoding, not half way into SQL. Problems name fields, never quote values.
 */
export type EventData = Record<string, unknown>;

export const isObj = (x: unknown): x is EventData => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isStr = (x: unknown): x is string => typeof x === 'string';
export const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
export const optStr = (x: unknown): boolean => x === undefined || isStr(x);
export const optObj = (x: unknown): boolean => x === undefined || isObj(x);
export const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);

/** `problem` unless `ok`. */
export const unless = (ok: boolean, problem: string): string | undefined => (ok ? undefined : problem);

/** The first of `keys` whose value fails `test`, as `<key> must be <what>` (by default: strings). */
export function need(d: EventData, keys: string[], test: (x: unknown) => boolean = isStr, what = 'a string'): string | undefined {
  const bad = keys.find((k) => !test(d[k]));
  return bad === undefined ? undefined : `${bad} must be ${what}`;
}

/** All of `keys` are strings, or one problem naming them all. */
export const needStrings = (d: EventData, keys: string[]): string | undefined =>
  unless(keys.every((k) => isStr(d[k])), `${keys.join(', ')} must be strings`);

/** A version's attributes: enabled, optional nbf and exp. */
export const isAttributes = (a: unknown): boolean => isObj(a) && isBool(a.enabled) && optStr(a.nbf) && optStr(a.exp);

/** A restore's versions: a non-empty array (checked before anything else). */
export const needVersions = (d: EventData): string | undefined =>
  unless(Array.isArray(d.versions) && d.versions.length > 0, 'versions must be a non-empty array');

/** The first problem `check` finds in `items` (an array). */
export const firstProblem = (items: unknown, check: (x: unknown) => string | undefined): string | undefined =>
  (items as unknown[]).map(check).find((p) => p !== undefined);

/** An expiry notice (see ExpiryNotice) of one of `kinds`. */
export const expiryNoticeProblem = (d: EventData, kinds: readonly string[]): string | undefined =>
  need(d, ['name', 'version', 'exp', 'notified']) || unless(optStr(d.nbf), 'nbf must be a string')
  || unless(kinds.includes(d.kind as string), `kind must be ${kinds.join(' or ')}`);
