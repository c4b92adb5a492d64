import { Injectable } from '@nestjs/common';
import { CofferError, DeletedKeyBundle, DeletedKeyItem, ErrorCodes, KeyBundle, keyNotFound, KeyOp } from '@coffer/contracts';
import { assertKeyPermits } from '@coffer/domain';
import { KeyRow, ReadModel, VaultRow } from '@coffer/read-model';
import { Clock } from '../infrastructure/clock';
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
export class KeyReader {
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

  async deleted(vault: VaultRow, name: string): Promise<DeletedKeyBundle> {
    const head = await this.readModel.getKey(vault.name, name);
    if (!head || head.status !== 'deleted') throw deletedNotFound(name);
    return toDeletedKeyBundle(vault, head, await this.currentOf(head));
  }

  async deletedItemOf(vault: VaultRow, head: KeyRow): Promise<DeletedKeyItem> {
    return toDeletedKeyItem(vault, head, await this.currentOf(head));
  }

  async currentOf(head: KeyRow): Promise<KeyVersionView> {
    const row = await this.readModel.getKeyVersion(head.vault, head.name, head.currentVersion);
    if (!row) throw keyNotFound(head.name);
    return viewOfKeyRow(row);
  }
}
