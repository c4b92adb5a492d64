import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities/read-model-entities';

/** Empties every read-model table, checkpoint included, in one transaction (before a rebuild). */
export async function clearReadModel(ds: DataSource): Promise<void> {
  await ds.transaction(async (manager) => {
    for (const entity of READ_MODEL_ENTITIES) await manager.clear(entity);
  });
}
