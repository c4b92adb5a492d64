import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', ...extra });
const nullableText = (name: string): TableColumnOptions => text(name, { isNullable: true });
const seq = (name: string): TableColumnOptions => ({ name, type: 'bigint' });

/** Principals, their credentials and role assignments (portable Table API: SQLite and PostgreSQL). */
export class PrincipalsReadModel1767225600000 implements MigrationInterface {
  name = 'PrincipalsReadModel1767225600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'principals',
        columns: [
          text('id', { isPrimary: true }), text('name'), text('type'), { name: 'enabled', type: 'boolean' },
          text('created'), seq('sequence'), nullableText('revokedBefore'),
        ],
        indices: [new TableIndex({ name: 'IDX_principals_name', columnNames: ['name'], isUnique: true })],
      }),
      false, true, true,
    );
    await qr.createTable(
      new Table({
        name: 'principal_credentials',
        columns: [
          text('id', { isPrimary: true }), text('principalId'), text('kind'), nullableText('hash'), nullableText('publicKey'),
          nullableText('hint'), text('created'), nullableText('expires'),
        ],
        indices: [new TableIndex({ name: 'IDX_principal_credentials_principalId', columnNames: ['principalId'] })],
      }),
      false, true, true,
    );
    await qr.createTable(
      new Table({
        name: 'role_assignments',
        columns: [text('id', { isPrimary: true }), text('principalId'), text('role'), text('scope'), text('created'), seq('sequence')],
        indices: [new TableIndex({ name: 'IDX_role_assignments_principalId', columnNames: ['principalId'] })],
      }),
      false, true, true,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['role_assignments', 'principal_credentials', 'principals']) await qr.dropTable(table, true);
  }
}
