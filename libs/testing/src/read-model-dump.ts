import { openReadModel, READ_MODEL_TABLES } from '@coffer/read-model';
import { tableRows } from '@coffer/sql';

/** Every row of every read-model table, in a stable order, for comparing two databases. */
export async function dumpReadModel(dbUrl: string): Promise<Record<string, unknown[]>> {
  const ds = await openReadModel(dbUrl, { migrate: false });
  try {
    const out: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const rows = (await tableRows(ds, table)) as Record<string, unknown>[];
      const key = (r: Record<string, unknown>) => table.primaryKey.map((c) => String(r[c])).join('\u0000');
      out[table.name] = rows.sort((a, b) => key(a).localeCompare(key(b)));
    }
    return out;
  } finally {
    await ds.destroy();
  }
}
