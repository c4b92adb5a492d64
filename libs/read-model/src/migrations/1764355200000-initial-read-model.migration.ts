import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', ...extra });
const nullableText = (name: string): TableColumnOptions => text(name, { isNullable: true });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const seq = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean' });

/** The whole read model, written with the portable Table API so one class serves SQLite and PostgreSQL. */
export class InitialReadModel1764355200000 implements MigrationInterface {
  name = 'InitialReadModel1764355200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'vaults',
        columns: [
          text('name', { isPrimary: true }), text('kekId'), int('retentionDays'), bool('purgeProtection'),
          text('created'), text('updated'), seq('sequence'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'secrets',
        columns: [
          text('vault', { isPrimary: true }), text('name', { isPrimary: true }), text('status'), text('currentVersion'),
          seq('sequence'), int('dek'), int('versionCount'), text('created'), text('updated'),
          nullableText('deletedDate'), nullableText('scheduledPurgeDate'), nullableText('recoveryId'),
        ],
        indices: [new TableIndex({ name: 'IDX_secrets_vault_status_name', columnNames: ['vault', 'status', 'name'] })],
      }),
      false, true, true,
    );
    await qr.createTable(
      new Table({
        name: 'secret_versions',
        columns: [
          text('vault', { isPrimary: true }), text('name', { isPrimary: true }), text('version', { isPrimary: true }),
          int('ordinal'), { name: 'value', type: 'text' }, int('dek'), bool('enabled'),
          nullableText('nbf'), nullableText('exp'), nullableText('contentType'), { name: 'tags', type: 'text', isNullable: true },
          text('created'), text('updated'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_secret_versions_vault_name_ordinal', columnNames: ['vault', 'name', 'ordinal'], isUnique: true }),
        ],
      }),
      false, true, true,
    );
    await qr.createTable(new Table({ name: 'projection_checkpoints', columns: [text('name', { isPrimary: true }), seq('sequence')] }));
    await qr.createTable(
      new Table({ name: 'applied_requests', columns: [text('requestId', { isPrimary: true }), seq('sequence'), text('subject')] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['applied_requests', 'projection_checkpoints', 'secret_versions', 'secrets', 'vaults']) {
      await qr.dropTable(table, true);
    }
  }
}
