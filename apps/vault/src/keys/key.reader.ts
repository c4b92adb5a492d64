import { Injectable } from '@nestjs/common';
import { CofferError, DeletedKeyBundle, DeletedKeyItem, ErrorCodes, KeyBundle, keyNotFound, KeyOp, Page } from '@coffer/contracts';
import { assertKeyPermits } from '@coffer/domain';
import { KeyRow, ReadModel, VaultRow } from '@coffer/read-model';
import { Clock } from '../infrastructure/clock';
import { ObjectViews } from '../objects/object-kind';
import { continuationOf } from '../paging/page-reply';
import { VaultDirectory } from '../vaults/vault-directory';
import { KeyVersionView, toDeletedKeyBundle, toDeletedKeyItem, toKeyBundle, viewOfKeyRow } from './key.mapper';

/** One active key version with its vault and head: what every read and operation starts from. */
export interface KeyVersionOf {
  vault: VaultRow;
  head: KeyRow;
  view: KeyVersionView;
}

const deletedNotFound = (name: string) => new CofferError(ErrorCodes.KeyNotFound, `Deleted key '${name}' was not found.`);

/** Reads keys from the read model for queries and operations (a deleted key is not found, as in Azure). */
@Injectable()
export class KeyReader implements ObjectViews<KeyBundle, DeletedKeyBundle, DeletedKeyItem> {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory, private readonly clock: Clock) {}

  /** The addressed version (default: the latest) of an active key. */
  async version(vaultName: string, name: string, version?: string): Promise<KeyVersionOf> {
    const [vault, head] = await Promise.all([this.vaults.require(vaultName), this.readModel.getKey(vaultName, name)]);
    if (!head || head.status !== 'active') throw keyNotFound(name);
    const row = await this.readModel.getKeyVersion(vaultName, name, version ?? head.currentVersion);
    if (!row) throw keyNotFound(name, version);
    return { vault, head, view: viewOfKeyRow(row) };
  }

  /** The version, once the operation rules allow `op` on it now (enabled, key_ops, validity period). */
  async operable(vaultName: string, name: string, version: string | undefined, op: KeyOp): Promise<KeyVersionOf> {
    const found = await this.version(vaultName, name, version);
    assertKeyPermits(found.view, op, this.clock.now());
    return found;
  }

  async bundle(vaultName: string, name: string, version?: string): Promise<KeyBundle> {
    const { vault, head, view } = await this.version(vaultName, name, version);
    return toKeyBundle(vault, name, view, head.sequence);
  }

  /** The current version of an active key (the reply to recover and restore). */
  current(vault: VaultRow, name: string): Promise<KeyBundle> {
    return this.bundle(vault.name, name);
  }

  async deleted(vault: VaultRow, name: string): Promise<DeletedKeyBundle> {
    const head = await this.readModel.getKey(vault.name, name);
    if (!head || head.status !== 'deleted') throw deletedNotFound(name);
    return toDeletedKeyBundle(vault, head, await this.currentOf(head));
  }

  async deletedPage(vault: VaultRow, after: string | undefined, size: number): Promise<Page<DeletedKeyItem>> {
    const page = await this.readModel.listKeys(vault.name, 'deleted', after, size);
    const value: DeletedKeyItem[] = [];
    for (const head of page.rows) value.push(toDeletedKeyItem(vault, head, await this.currentOf(head)));
    return { value, ...continuationOf(page, (head) => head.name) };
  }

  async currentOf(head: KeyRow): Promise<KeyVersionView> {
    const row = await this.readModel.getKeyVersion(head.vault, head.name, head.currentVersion);
    if (!row) throw keyNotFound(head.name);
    return viewOfKeyRow(row);
  }
}
