import { dialectOf, Transactor } from '@coffer/sql';
import { READ_MODEL_TABLES } from './tables/read-model.tables';

/** Empties every read-model table, checkpoint included, in one transaction (before a rebuild). */
export async function clearReadModel(db: Transactor): Promise<void> {
  await db.transaction(async (manager) => {
    const d = dialectOf(manager.connection);
    for (const table of READ_MODEL_TABLES) await manager.query(`${d.postgres ? 'TRUNCATE TABLE' : 'DELETE FROM'} ${d.table(table.name)}`);
  });
}
