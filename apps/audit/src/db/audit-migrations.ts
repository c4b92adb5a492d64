import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', ...extra });
const seq = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra });

/** The audit app's tables (portable Table API: SQLite and PostgreSQL), tracked in `audit_migrations`. */
export class InitialAudit1767225600000 implements MigrationInterface {
  name = 'InitialAudit1767225600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'audit_records',
        columns: [
          seq('seq', { isPrimary: true }), seq('position'), text('time'), text('requestId'), text('principal', { isNullable: true }),
          text('action'), text('objectId'), text('version', { isNullable: true }), text('outcome'),
          text('errorCode', { isNullable: true }), text('subject'), text('hash'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_audit_records_object', columnNames: ['objectId', 'seq'] }),
          new TableIndex({ name: 'IDX_audit_records_principal', columnNames: ['principal', 'seq'] }),
        ],
      }),
      false, true, true,
    );
    await qr.createTable(
      new Table({
        name: 'audit_checkpoints',
        columns: [seq('sequence', { isPrimary: true }), seq('count'), text('head'), text('time'), text('keyId'), text('signature')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('audit_checkpoints', true);
    await qr.dropTable('audit_records', true);
  }
}

export const AUDIT_MIGRATIONS = [InitialAudit1767225600000];
/** Separate from the read model's `migrations` table, so the two never see each other's migrations. */
export const AUDIT_MIGRATIONS_TABLE = 'audit_migrations';
