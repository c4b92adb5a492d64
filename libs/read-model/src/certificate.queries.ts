import { DataSource } from 'typeorm';
import { certificateSqlFor, CertificateSql } from './certificate.sql';
import {
  CertificateContactsRow, certificateContactsTable, CertificateIssuerRow, certificateIssuersTable, CertificateRevocationRow, certificateRevocationsTable, CertificateRow, certificatesTable,
  CertificateVersionRow, certificateVersionsTable,
} from './tables/certificate.tables';
import { Page, toPage } from './page';
import { RawRow, SqlRunner, sqlRunner } from '@coffer/sql';

/** Read-side queries for certificates, issuers and contacts (point lookups and keyset-paged lists, as ReadModel). */
export class CertificateReadModel {
  private readonly sql: CertificateSql;
  private readonly rows: SqlRunner;

  constructor(ds: DataSource) {
    this.sql = certificateSqlFor(ds);
    this.rows = sqlRunner(ds);
  }

  private async one<T>(statement: string, params: unknown[], map: (r: RawRow) => T): Promise<T | null> {
    const [row] = await this.rows(statement, params);
    return row ? map(row) : null;
  }

  /** Any status; null when it never existed, was purged, or its only operation was cancelled. */
  getCertificate(vault: string, name: string): Promise<CertificateRow | null> {
    return this.one(this.sql.certGet, [vault, name], certificatesTable.row);
  }

  getVersion(vault: string, name: string, version: string): Promise<CertificateVersionRow | null> {
    return this.one(this.sql.versionGet, [vault, name, version], certificateVersionsTable.row);
  }

  /** Certificates with at least one version (pending-only ones are not listed, as in Azure). */
  async listCertificates(vault: string, status: 'active' | 'deleted', afterName: string | undefined, limit: number): Promise<Page<CertificateRow>> {
    const rows = afterName === undefined
      ? await this.rows(this.sql.certList, [vault, status, limit + 1])
      : await this.rows(this.sql.certListAfter, [vault, status, afterName, limit + 1]);
    return toPage(rows.map(certificatesTable.row), limit);
  }

  async listVersions(vault: string, name: string, afterOrdinal: number | undefined, limit: number): Promise<Page<CertificateVersionRow>> {
    const rows = afterOrdinal === undefined
      ? await this.rows(this.sql.versionsList, [vault, name, limit + 1])
      : await this.rows(this.sql.versionsListAfter, [vault, name, afterOrdinal, limit + 1]);
    return toPage(rows.map(certificateVersionsTable.row), limit);
  }

  /** Every version, oldest first (backup). */
  async allVersions(vault: string, name: string): Promise<CertificateVersionRow[]> {
    const out: CertificateVersionRow[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await this.listVersions(vault, name, after, 100);
      out.push(...page.rows);
      if (!page.hasMore || page.rows.length === 0) return out;
      after = page.rows[page.rows.length - 1]!.ordinal;
    }
  }

  getIssuer(vault: string, name: string): Promise<CertificateIssuerRow | null> {
    return this.one(this.sql.issuerGet, [vault, name], certificateIssuersTable.row);
  }

  async listIssuers(vault: string, afterName: string | undefined, limit: number): Promise<Page<CertificateIssuerRow>> {
    const rows = afterName === undefined
      ? await this.rows(this.sql.issuerList, [vault, limit + 1])
      : await this.rows(this.sql.issuerListAfter, [vault, afterName, limit + 1]);
    return toPage(rows.map(certificateIssuersTable.row), limit);
  }

  async revocations(vault: string, issuer: string): Promise<CertificateRevocationRow[]> {
    return (await this.rows(this.sql.revocationsOf, [vault, issuer])).map(certificateRevocationsTable.row);
  }

  async isRevoked(vault: string, issuer: string, serialNumber: string): Promise<boolean> {
    return (await this.rows(this.sql.revokedSerial, [vault, issuer, serialNumber])).length > 0;
  }

  async revokedCount(vault: string, issuer: string): Promise<number> {
    const [row] = await this.rows(this.sql.revokedCount, [vault, issuer]);
    return Number(row?.n ?? 0);
  }

  getContacts(vault: string): Promise<CertificateContactsRow | null> {
    return this.one(this.sql.contactsGet, [vault], certificateContactsTable.row);
  }
}
