import { DataSourceOpts, DbSchema, DedicatedConnection, openDataSource } from '@coffer/sql';
import { DataSource } from 'typeorm';
import { READ_MODEL_MIGRATIONS } from './migrations/read-model-migrations';

export const READ_MODEL_SCHEMA: DbSchema = { migrations: READ_MODEL_MIGRATIONS };

export type ReadModelDbOpts = Omit<DataSourceOpts, 'schema'> & { migrate?: boolean };

/** The read model's DataSource, initialized and (unless `migrate: false`) migrated. */
export function openReadModel(dbUrl: string, opts: ReadModelDbOpts = {}): Promise<DataSource> {
  return openDataSource(dbUrl, { ...opts, schema: READ_MODEL_SCHEMA });
}

/** A writer's own connection to the read model (the projector, a rebuild): see DedicatedConnection. */
export function readModelConnection(dbUrl: string, opts: ReadModelDbOpts = {}): DedicatedConnection {
  return new DedicatedConnection(dbUrl, { ...opts, schema: READ_MODEL_SCHEMA });
}
