import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificate expiry notices per version (EmailContacts → CertificateNearExpiry): the exp the notice
 * was recorded for (null: none), as ExpiryNotices1772150400000 added for secrets and keys. The
 * notify decider reads it (once per version and exp) and the scheduler's scan skips what is done.
 */
export class CertificateNotices1777507200000 implements MigrationInterface {
  name = 'CertificateNotices1777507200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE ${qualified(qr, 'certificate_versions')} ADD COLUMN "nearExpiryNotified" varchar NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE ${qualified(qr, 'certificate_versions')} DROP COLUMN "nearExpiryNotified"`);
  }
}

function qualified(qr: QueryRunner, table: string): string {
  const schema = qr.connection.options.type === 'postgres' ? (qr.connection.options as { schema?: string }).schema : undefined;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}
