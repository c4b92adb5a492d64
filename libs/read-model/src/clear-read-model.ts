import { Transactor } from '@coffer/sql';
import { READ_MODEL_ENTITIES } from './entities/read-model-entities';

/** Empties every read-model table, checkpoint included, in one transaction (before a rebuild). */
export async function clearReadModel(db: Transactor): Promise<void> {
  await db.transaction(async (manager) => {
    for (const entity of READ_MODEL_ENTITIES) await manager.clear(entity);
  });
}
