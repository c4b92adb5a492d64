import { MigrationInterface, QueryRunner } from 'typeorm';

const NOTICE_COLUMNS = ['nearExpiryNotified', 'expiredNotified'];
const TABLES = ['secret_versions', 'key_versions'];

/**
 * Expiry notices per version: the exp each notice was recorded for (null: none). The vault's
 * notify decider reads them (once per version, kind and exp) and the scheduler's scan skips
 * versions already noticed, so a scan does not resend what is done.
 */
export class ExpiryNotices1772150400000 implements MigrationInterface {
  name = 'ExpiryNotices1772150400000';

  // Plain ALTER TABLE (both databases accept it), schema-qualified on PostgreSQL.
  async up(qr: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      for (const name of NOTICE_COLUMNS) await qr.query(`ALTER TABLE ${qualified(qr, table)} ADD COLUMN "${name}" varchar NULL`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of TABLES) for (const name of NOTICE_COLUMNS) await qr.query(`ALTER TABLE ${qualified(qr, table)} DROP COLUMN "${name}"`);
  }
}

function qualified(qr: QueryRunner, table: string): string {
  const schema = qr.connection.options.type === 'postgres' ? (qr.connection.options as { schema?: string }).schema : undefined;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}
