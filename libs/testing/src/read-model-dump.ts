import { openReadModel, READ_MODEL_ENTITIES } from '@coffer/read-model';

/** Every row of every read-model table, in a stable order, for comparing two databases. */
export async function dumpReadModel(dbUrl: string): Promise<Record<string, unknown[]>> {
  const ds = await openReadModel(dbUrl, { migrate: false });
  try {
    const out: Record<string, unknown[]> = {};
    for (const entity of READ_MODEL_ENTITIES) {
      const meta = ds.getMetadata(entity);
      const rows = await ds.manager.find(entity);
      const key = (r: object) => meta.primaryColumns.map((c) => String(c.getEntityValue(r))).join('\u0000');
      out[meta.tableName] = [...rows].sort((a, b) => key(a as object).localeCompare(key(b as object)));
    }
    return out;
  } finally {
    await ds.destroy();
  }
}
