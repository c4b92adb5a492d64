import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSchema } from '@coffer/testing';
import { postgresAvailableSync } from '@coffer/testing';

/** A throwaway database: a temp SQLite file or a fresh PostgreSQL schema. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  available: boolean;
  create(): Promise<TestDatabase>;
}

export const sqliteBackend: TestBackend = {
  name: 'sqlite',
  available: true,
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-rm-'));
    return { url: `sqlite:${join(dir, 'readmodel.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

let pgAvailable: boolean | undefined;
export const postgresBackend: TestBackend = {
  name: 'postgres',
  get available() {
    return (pgAvailable ??= postgresAvailableSync());
  },
  async create() {
    const s = await createTestSchema();
    return { url: s.url, drop: () => s.drop() };
  },
};

/** `describe` when the backend answers, `describe.skip` (with a printed notice) when it does not. */
export function describeOn(backend: TestBackend): jest.Describe {
  return backend.available ? describe : describe.skip;
}
