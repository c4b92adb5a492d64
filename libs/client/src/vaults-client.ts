import { Page, Subjects, VaultInfo } from '@coffer/contracts/protocol';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { assertVaultName } from './vault-name';

export interface VaultSettings {
  /** Days a deleted object stays recoverable (7–90). */
  retentionDays?: number;
  /** Once on, it cannot be turned off. */
  purgeProtection?: boolean;
}

/** Vault management: `coffer.v1.vault.<name>.<op>` and `coffer.v1.vaults.list`. */
export class VaultsClient {
  constructor(private readonly requester: Requester) {}

  create(name: string, settings: VaultSettings = {}, options: CallOptions = {}): Promise<VaultInfo> {
    return this.requester.request(Subjects.vault(assertVaultName(name), 'create'), settingsBody(settings), options);
  }

  show(name: string, options: CallOptions = {}): Promise<VaultInfo> {
    return this.requester.request(Subjects.vault(assertVaultName(name), 'show'), {}, options);
  }

  update(name: string, settings: VaultSettings, options: CallOptions = {}): Promise<VaultInfo> {
    return this.requester.request(Subjects.vault(assertVaultName(name), 'update'), settingsBody(settings), options);
  }

  listPage(options: PageOptions = {}): Promise<Page<VaultInfo>> {
    return this.requester.request(Subjects.vaultList, pageBody(options), callOptionsOf(options));
  }

  list(options: ListOptions = {}): AsyncIterable<VaultInfo> {
    return iteratePages((continuationToken) => this.listPage(nextPage(options, continuationToken)));
  }
}

function settingsBody(settings: VaultSettings): VaultSettings {
  return { retentionDays: settings.retentionDays, purgeProtection: settings.purgeProtection };
}
