import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * subject_heads and voided_events: the projection enforces check-and-set itself (see SubjectHead).
 * Both start empty: a subject without a head row accepts its next event unchecked, so events decided
 * before this version (which carry no expectedSequence anyway) are never voided.
 */
export class CheckAndSetInTheLog1782864000000 implements MigrationInterface {
  name = 'CheckAndSetInTheLog1782864000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'subject_heads',
        columns: [{ name: 'subject', type: 'varchar', isPrimary: true }, { name: 'sequence', type: 'bigint' }],
      }),
      true,
    );
    await qr.createTable(
      new Table({
        name: 'voided_events',
        columns: [
          { name: 'sequence', type: 'bigint', isPrimary: true }, { name: 'subject', type: 'varchar' },
          { name: 'expectedSequence', type: 'bigint' }, { name: 'headSequence', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('voided_events', true);
    await qr.dropTable('subject_heads', true);
  }
}
