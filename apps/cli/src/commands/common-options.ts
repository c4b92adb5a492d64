import { Limits } from '@coffer/contracts/protocol';
import { Option } from 'commander';
import { intInRange, parseIsoDate, parseTag, parseVaultName } from '../options';

/** Options several commands share, defined once so they read the same everywhere. */

export const vaultOption = () => new Option('--vault <name>', 'vault name').makeOptionMandatory().argParser(parseVaultName);
export const nameOption = (what = 'secret') => new Option('-n, --name <name>', `${what} name`).makeOptionMandatory();
export const vaultNameOption = () => new Option('-n, --name <name>', 'vault name').makeOptionMandatory().argParser(parseVaultName);
export const versionOption = (what = 'secret') => new Option('--version <id>', `${what} version (default: the latest)`);
export const maxResultsOption = () =>
  new Option('--max-results <n>', `at most n results (default: all; fetched ${Limits.pageSizeMax} per request)`).argParser(intInRange(1));
export const contentTypeOption = () => new Option('--content-type <type>', 'content type, e.g. text/plain');
export const tagsOption = () => new Option('--tags <name=value...>', 'tags (replace the existing ones)').argParser(parseTag);
export const expiresOption = () => new Option('--expires <time>', 'expiry, ISO 8601 (e.g. 2030-01-31T00:00:00Z)').argParser(parseIsoDate);
export const notBeforeOption = () => new Option('--not-before <time>', 'not valid before, ISO 8601').argParser(parseIsoDate);
export const enabledOption = (what = 'secret') => new Option('--enabled', `enable the ${what}`).conflicts('disabled');
export const disabledOption = (what = 'secret') => new Option('--disabled', `disable the ${what}`).conflicts('enabled');
export const ifMatchOption = () =>
  new Option('--if-match <version>', 'check-and-set: fail with Conflict unless the latest version (id or sequence) is this');

export interface VaultOpt {
  vault: string;
}
export interface NameOpt {
  name: string;
}
export interface MaxResultsOpt {
  maxResults?: number;
}
export interface AttributeOpts {
  enabled?: boolean;
  disabled?: boolean;
  expires?: string;
  notBefore?: string;
  contentType?: string;
  tags?: Record<string, string>;
  ifMatch?: string;
}
