import { EVENT_CATALOGUE } from '@coffer/contracts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { READ_MODEL_MIGRATIONS } from '../migrations/read-model-migrations';
import { READ_MODEL_TABLES } from '../tables/read-model.tables';
import { READ_MODEL_KINDS } from './read-model-kinds';

describe('READ_MODEL_KINDS', () => {
  it('projects every event type of the catalogue exactly once', () => {
    const projected = READ_MODEL_KINDS.flatMap((kind) => Object.keys(kind.projections));
    expect([...projected].sort()).toEqual(Object.keys(EVENT_CATALOGUE).sort());
  });

  it('declares each subject token, subject kind and table once', () => {
    const once = (values: string[]) => expect(new Set(values).size).toBe(values.length);
    once(READ_MODEL_KINDS.flatMap((kind) => kind.subjects.map((s) => s.token)));
    once(READ_MODEL_KINDS.flatMap((kind) => kind.subjects.map((s) => s.kind)));
    once(READ_MODEL_TABLES.map((table) => table.name));
  });

  it('runs every migration file once, oldest first (the kinds\' and the cross-kind ones)', () => {
    const files = readdirSync(join(__dirname, '../migrations')).filter((f) => f.endsWith('.migration.ts'));
    const timestamps = READ_MODEL_MIGRATIONS.map((m) => m.name.slice(-13));
    expect(timestamps).toEqual(files.map((f) => f.slice(0, 13)).sort());
  });
});
