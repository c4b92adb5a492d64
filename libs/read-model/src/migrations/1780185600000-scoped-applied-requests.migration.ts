import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * applied_requests keyed by (principal, request id, subject), with the request's hash and event time
 * (for pruning past the horizon). The old rows (keyed by request id alone, no principal) can never
 * match a scoped retry, and the projection writes no row for events without a principal, so the
 * table is recreated empty: a rebuild gives the same.
 */
export class ScopedAppliedRequests1780185600000 implements MigrationInterface {
  name = 'ScopedAppliedRequests1780185600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropTable('applied_requests', true);
    await qr.createTable(
      new Table({
        name: 'applied_requests',
        columns: [
          { name: 'principalId', type: 'varchar', isPrimary: true }, { name: 'requestId', type: 'varchar', isPrimary: true },
          { name: 'subject', type: 'varchar', isPrimary: true }, { name: 'sequence', type: 'bigint' },
          { name: 'requestHash', type: 'varchar' }, { name: 'occurredAt', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'IDX_applied_requests_occurredAt', columnNames: ['occurredAt'] })],
      }),
      false, true, true,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('applied_requests', true);
    await qr.createTable(
      new Table({
        name: 'applied_requests',
        columns: [{ name: 'requestId', type: 'varchar', isPrimary: true }, { name: 'sequence', type: 'bigint' }, { name: 'subject', type: 'varchar' }],
      }),
    );
  }
}
