import { EVENT_CATALOGUE } from '@coffer/contracts';
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
});
