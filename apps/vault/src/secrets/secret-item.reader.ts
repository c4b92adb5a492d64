import { Injectable } from '@nestjs/common';
import { CofferError, DeletedSecretItem, ErrorCodes, Page, SecretItem, secretNotFound } from '@coffer/contracts';
import { ReadModel, SecretRow, VaultRow } from '@coffer/read-model';
import { ObjectViews } from '../objects/object-kind';
import { continuationOf } from '../paging/page-reply';
import { toDeletedItem, toSecretItem, viewOfRow } from './secret.mapper';

/** Shapes a secret's head and current version into list items, deleted or not. */
@Injectable()
export class SecretItemReader implements ObjectViews<SecretItem, DeletedSecretItem, DeletedSecretItem> {
  constructor(private readonly readModel: ReadModel) {}

  async deleted(vault: VaultRow, name: string): Promise<DeletedSecretItem> {
    const head = await this.readModel.getSecret(vault.name, name);
    if (!head || head.status !== 'deleted') throw new CofferError(ErrorCodes.SecretNotFound, `Deleted secret '${name}' was not found.`);
    return this.deletedOf(vault, head);
  }

  async deletedPage(vault: VaultRow, after: string | undefined, size: number): Promise<Page<DeletedSecretItem>> {
    const page = await this.readModel.listSecrets(vault.name, 'deleted', after, size);
    const value: DeletedSecretItem[] = [];
    for (const head of page.rows) value.push(await this.deletedOf(vault, head));
    return { value, ...continuationOf(page, (head) => head.name) };
  }

  async deletedOf(vault: VaultRow, head: SecretRow): Promise<DeletedSecretItem> {
    const row = await this.readModel.getSecretVersion(vault.name, head.name, head.currentVersion);
    if (!row) throw secretNotFound(head.name);
    return toDeletedItem(vault, head, viewOfRow(row));
  }

  async current(vault: VaultRow, name: string): Promise<SecretItem> {
    const head = await this.readModel.getSecret(vault.name, name);
    const row = head && (await this.readModel.getSecretVersion(vault.name, name, head.currentVersion));
    if (!head || head.status !== 'active' || !row) throw secretNotFound(name);
    return toSecretItem(vault, name, viewOfRow(row), false);
  }
}
