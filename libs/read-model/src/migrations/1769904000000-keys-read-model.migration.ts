import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', ...extra });
const nullableText = (name: string): TableColumnOptions => text(name, { isNullable: true });
const longText = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });

/** Keys: heads, versions (public halves and HSM ids only) and rotation policies (portable Table API: SQLite and PostgreSQL). */
export class KeysReadModel1769904000000 implements MigrationInterface {
  name = 'KeysReadModel1769904000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'keys',
        columns: [
          text('vault', { isPrimary: true }), text('name', { isPrimary: true }), text('status'), text('currentVersion'),
          { name: 'sequence', type: 'bigint' }, int('versionCount'), text('created'), text('updated'),
          nullableText('deletedDate'), nullableText('scheduledPurgeDate'), nullableText('recoveryId'),
        ],
        indices: [new TableIndex({ name: 'IDX_keys_vault_status_name', columnNames: ['vault', 'status', 'name'] })],
      }),
      false, true, true,
    );
    await qr.createTable(
      new Table({
        name: 'key_versions',
        columns: [
          text('vault', { isPrimary: true }), text('name', { isPrimary: true }), text('version', { isPrimary: true }),
          int('ordinal'), text('hsmKeyId'), text('kty'), int('keySize', true), nullableText('crv'), longText('keyOps'), longText('publicKey'),
          { name: 'enabled', type: 'boolean' }, nullableText('nbf'), nullableText('exp'), longText('tags', true), text('created'), text('updated'),
        ],
        indices: [new TableIndex({ name: 'IDX_key_versions_vault_name_ordinal', columnNames: ['vault', 'name', 'ordinal'], isUnique: true })],
      }),
      false, true, true,
    );
    await qr.createTable(
      new Table({
        name: 'key_rotation_policies',
        columns: [
          text('vault', { isPrimary: true }), text('name', { isPrimary: true }), longText('lifetimeActions'), nullableText('expiryTime'),
          text('created'), text('updated'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['key_rotation_policies', 'key_versions', 'keys']) await qr.dropTable(table, true);
  }
}
