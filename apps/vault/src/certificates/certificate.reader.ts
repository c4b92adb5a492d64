import { Injectable } from '@nestjs/common';
import { CertificateBundle, certificateNotFound, CofferError, DeletedCertificateBundle, DeletedCertificateItem, ErrorCodes, Page } from '@coffer/contracts';
import { CertificateReadModel, CertificateRow, CertificateVersionRow, VaultRow } from '@coffer/read-model';
import { ObjectViews } from '../objects/object-kind';
import { continuationOf } from '../paging/page-reply';
import { VaultDirectory } from '../vaults/vault-directory';
import { toCertificateBundle, toDeletedCertificateBundle, toDeletedCertificateItem } from './certificate.mapper';

export interface CertificateVersionOf {
  vault: VaultRow;
  head: CertificateRow;
  row: CertificateVersionRow;
}

const deletedNotFound = (name: string) => new CofferError(ErrorCodes.CertificateNotFound, `Deleted certificate '${name}' was not found.`);

/** Reads certificates from the read model (a deleted one is not found, a pending-only one has no version yet). */
@Injectable()
export class CertificateReader implements ObjectViews<CertificateBundle, DeletedCertificateBundle, DeletedCertificateItem> {
  constructor(private readonly certificates: CertificateReadModel, private readonly vaults: VaultDirectory) {}

  async version(vaultName: string, name: string, version?: string): Promise<CertificateVersionOf> {
    const [vault, head] = await Promise.all([this.vaults.require(vaultName), this.certificates.getCertificate(vaultName, name)]);
    if (!head || head.status !== 'active') throw certificateNotFound(name);
    const id = version ?? head.currentVersion;
    if (!id) throw new CofferError(ErrorCodes.CertificateNotFound, `Certificate '${name}' has no version yet: its operation is pending.`);
    const row = await this.certificates.getVersion(vaultName, name, id);
    if (!row) throw certificateNotFound(name, version);
    return { vault, head, row };
  }

  async bundle(vaultName: string, name: string, version?: string): Promise<CertificateBundle> {
    const { vault, head, row } = await this.version(vaultName, name, version);
    return toCertificateBundle(vault, head, row);
  }

  /** The current version of an active certificate (the reply to recover and restore). */
  current(vault: VaultRow, name: string): Promise<CertificateBundle> {
    return this.bundle(vault.name, name);
  }

  async deletedPage(vault: VaultRow, after: string | undefined, size: number): Promise<Page<DeletedCertificateItem>> {
    const page = await this.certificates.listCertificates(vault.name, 'deleted', after, size);
    const value: DeletedCertificateItem[] = [];
    for (const head of page.rows) value.push(toDeletedCertificateItem(vault, head, await this.currentOf(head)));
    return { value, ...continuationOf(page, (head) => head.name) };
  }

  async deleted(vault: VaultRow, name: string): Promise<DeletedCertificateBundle> {
    const head = await this.certificates.getCertificate(vault.name, name);
    if (!head || head.status !== 'deleted' || !head.currentVersion) throw deletedNotFound(name);
    const row = await this.certificates.getVersion(vault.name, name, head.currentVersion);
    if (!row) throw deletedNotFound(name);
    return toDeletedCertificateBundle(vault, head, row);
  }

  async currentOf(head: CertificateRow): Promise<CertificateVersionRow> {
    const row = head.currentVersion ? await this.certificates.getVersion(head.vault, head.name, head.currentVersion) : null;
    if (!row) throw certificateNotFound(head.name);
    return row;
  }
}
