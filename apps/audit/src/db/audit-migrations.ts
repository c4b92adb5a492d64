import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableIndex } from 'typeorm';

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

/**
 * Group commit: a COFFER_AUDIT message holds several records, so a row is identified by (seq, idx).
 * Existing rows (one record per message) get idx 0. `position` gets a unique index (usage looks rows up by it).
 */
export class AuditRecordIndex1767830400000 implements MigrationInterface {
  name = 'AuditRecordIndex1767830400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('audit_records', new TableColumn({ name: 'idx', type: 'integer', default: 0 }));
    await setPrimaryKey(qr, ['seq', 'idx']);
    await qr.createIndex('audit_records', new TableIndex({ name: 'IDX_audit_records_position', columnNames: ['position'], isUnique: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('audit_records', 'IDX_audit_records_position');
    await qr.query(`DELETE FROM ${qr.connection.driver.escape('audit_records')} WHERE "idx" > 0`);
    await setPrimaryKey(qr, ['seq']);
    await qr.dropColumn('audit_records', 'idx');
  }
}

/** Replaces the primary key of audit_records (SQLite rebuilds the table; PostgreSQL swaps the constraint). */
async function setPrimaryKey(qr: QueryRunner, columns: string[]): Promise<void> {
  const table = (await qr.getTable('audit_records'))!;
  if (qr.connection.options.type === 'postgres') {
    await qr.updatePrimaryKeys(table, table.columns.filter((c) => columns.includes(c.name)));
    return;
  }
  await qr.dropPrimaryKey(table);
  await qr.createPrimaryKey(table, columns);
}

/** Summary records (the vault folds anonymous noise): how many requests a row stands for, and the last one's time. */
export class AuditSummaryRecords1768435200000 implements MigrationInterface {
  name = 'AuditSummaryRecords1768435200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('audit_records', new TableColumn({ name: 'count', type: 'integer', isNullable: true }));
    await qr.addColumn('audit_records', new TableColumn({ name: 'lastTime', type: 'varchar', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('audit_records', 'lastTime');
    await qr.dropColumn('audit_records', 'count');
  }
}

export const AUDIT_MIGRATIONS = [InitialAudit1767225600000, AuditRecordIndex1767830400000, AuditSummaryRecords1768435200000];
/** Separate from the read model's `migrations` table, so the two never see each other's migrations. */
export const AUDIT_MIGRATIONS_TABLE = 'audit_migrations';
