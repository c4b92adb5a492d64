import { bigint, bool, defineTable, integer, text, varchar } from './table-spec';

const things = defineTable('things', {
  id: varchar(), sequence: bigint(), enabled: bool(), size: integer().nullable(), body: text().nullable(), note: varchar().nullable(),
}, { primaryKey: ['id'] });

describe('defineTable', () => {
  it('maps driver rows to typed rows (SQLite 0/1, pg bigint strings, nulls) and keeps other columns', () => {
    expect(things.row({ id: 'a', sequence: '9007199254740991', enabled: 0, size: null, body: null, note: null, extra: 'x' })).toEqual({
      id: 'a', sequence: 9007199254740991, enabled: false, size: null, body: null, note: null, extra: 'x',
    });
    expect(things.row({ id: 'b', sequence: 3, enabled: true, size: 7, body: '{}', note: 'n' })).toEqual({
      id: 'b', sequence: 3, enabled: true, size: 7, body: '{}', note: 'n',
    });
  });

  it('writes INSERT and UPSERT column lists from the spec, in spec order', () => {
    const d = { postgres: false, table: (n: string) => `"${n}"` };
    expect(things.insert(d, ['id', 'sequence'])).toBe('INSERT INTO "things" ("id", "sequence") VALUES (?, ?)');
    expect(things.upsert(d, things.except('body', 'note'))).toBe(
      'INSERT INTO "things" ("id", "sequence", "enabled", "size") VALUES (?, ?, ?, ?) ON CONFLICT ("id") DO UPDATE SET '
        + '"sequence" = excluded."sequence", "enabled" = excluded."enabled", "size" = excluded."size"',
    );
    expect(things.upsert(d, ['id'])).toBe('INSERT INTO "things" ("id") VALUES (?) ON CONFLICT ("id") DO NOTHING');
  });

  it('gives the columns a migration would create', () => {
    expect(things.migrationColumns()).toEqual([
      { name: 'id', type: 'varchar', isNullable: false, isPrimary: true }, { name: 'sequence', type: 'bigint', isNullable: false },
      { name: 'enabled', type: 'boolean', isNullable: false }, { name: 'size', type: 'integer', isNullable: true },
      { name: 'body', type: 'text', isNullable: true }, { name: 'note', type: 'varchar', isNullable: true },
    ]);
  });

  it('accepts plain identifiers only (they reach SQL and the generated row mapper)', () => {
    expect(() => defineTable('t', { 'a"b': varchar() }, { primaryKey: [] })).toThrow(/plain SQL identifier/);
    expect(() => defineTable('t; drop', { a: varchar() }, { primaryKey: ['a'] })).toThrow(/plain SQL identifier/);
  });
});
