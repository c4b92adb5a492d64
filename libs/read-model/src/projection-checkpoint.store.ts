import { EntityManager } from 'typeorm';
import { sqlFor } from './sql-statements';
import { sqlRunner } from '@coffer/sql';

/** Name of the read model's row in projection_checkpoints. */
export const READ_MODEL_PROJECTION = 'read-model';

/** `forUpdate` locks the row on PostgreSQL, so concurrent writers of one database serialize here. */
export async function readCheckpoint(manager: EntityManager, projection = READ_MODEL_PROJECTION, forUpdate = false): Promise<number> {
  const { s } = sqlFor(manager.connection);
  const [row] = (await sqlRunner(manager)(forUpdate ? s.checkpointReadForUpdate : s.checkpointRead, [projection])) as { sequence: number | string }[];
  return row ? Number(row.sequence) : 0;
}

export async function writeCheckpoint(manager: EntityManager, sequence: number, projection = READ_MODEL_PROJECTION): Promise<void> {
  await sqlRunner(manager)(sqlFor(manager.connection).s.checkpointWrite, [projection, sequence]);
}
