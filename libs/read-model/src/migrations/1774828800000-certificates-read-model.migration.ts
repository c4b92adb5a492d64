import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', ...extra });
const nullableText = (name: string): TableColumnOptions => text(name, { isNullable: true });
const longText = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const MANAGED_TABLES = ['keys', 'secrets'];

/**
 * Certificates: heads (policy, pending operation), versions, internal CA issuers, their revocations
 * and the vault's contacts; plus `managedBy` on keys and secrets, set for the key and secret of a
 * certificate (which only certificate commands may change). Portable Table API: SQLite and PostgreSQL.
 */
export class CertificatesReadModel1774828800000 implements MigrationInterface {
  name = 'CertificatesReadModel1774828800000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'certificates',
      columns: [
        text('vault', { isPrimary: true }), text('name', { isPrimary: true }), text('status'), nullableText('currentVersion'),
        { name: 'sequence', type: 'bigint' }, int('versionCount'), longText('policy'), longText('pending', true), text('created'), text('updated'),
        nullableText('deletedDate'), nullableText('scheduledPurgeDate'), nullableText('recoveryId'),
      ],
      indices: [new TableIndex({ name: 'IDX_certificates_vault_status_name', columnNames: ['vault', 'status', 'name'] })],
    }), false, true, true);
    await qr.createTable(new Table({
      name: 'certificate_versions',
      columns: [
        text('vault', { isPrimary: true }), text('name', { isPrimary: true }), text('version', { isPrimary: true }), int('ordinal'),
        longText('cer'), text('x5t'), text('serialNumber'), longText('subject'), longText('issuer'), longText('chain'),
        { name: 'enabled', type: 'boolean' }, text('nbf'), text('exp'), longText('tags', true), text('created'), text('updated'),
      ],
      indices: [new TableIndex({ name: 'IDX_certificate_versions_vault_name_ordinal', columnNames: ['vault', 'name', 'ordinal'], isUnique: true })],
    }), false, true, true);
    await qr.createTable(new Table({
      name: 'certificate_issuers',
      columns: [
        text('vault', { isPrimary: true }), text('name', { isPrimary: true }), longText('record'), { name: 'sequence', type: 'bigint' }, int('crlNumber'),
        text('created'), text('updated'),
      ],
    }));
    await qr.createTable(new Table({
      name: 'certificate_revocations',
      columns: [text('vault', { isPrimary: true }), text('issuer', { isPrimary: true }), text('serialNumber', { isPrimary: true }), text('revocationDate'), text('reason')],
    }));
    await qr.createTable(new Table({
      name: 'certificate_contacts',
      columns: [text('vault', { isPrimary: true }), longText('contacts'), { name: 'sequence', type: 'bigint' }, text('updated')],
    }));
    for (const table of MANAGED_TABLES) await qr.query(`ALTER TABLE ${qualified(qr, table)} ADD COLUMN "managedBy" varchar NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of MANAGED_TABLES) await qr.query(`ALTER TABLE ${qualified(qr, table)} DROP COLUMN "managedBy"`);
    for (const table of ['certificate_contacts', 'certificate_revocations', 'certificate_issuers', 'certificate_versions', 'certificates']) {
      await qr.dropTable(table, true);
    }
  }
}

function qualified(qr: QueryRunner, table: string): string {
  const schema = qr.connection.options.type === 'postgres' ? (qr.connection.options as { schema?: string }).schema : undefined;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}
