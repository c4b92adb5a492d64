import { parseDbUrl } from './db-url.parser';
import { DbUrlError } from './sql.errors';

describe('parseDbUrl', () => {
  it('reads sqlite paths', () => {
    expect(parseDbUrl('sqlite:/tmp/x/rm.sqlite')).toEqual({ kind: 'sqlite', path: '/tmp/x/rm.sqlite' });
    expect(parseDbUrl('sqlite:///tmp/rm.sqlite')).toEqual({ kind: 'sqlite', path: '/tmp/rm.sqlite' });
    expect(parseDbUrl('sqlite:rel/rm.sqlite')).toEqual({ kind: 'sqlite', path: 'rel/rm.sqlite' });
    expect(parseDbUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('strips the schema parameter from PostgreSQL URLs and keeps the others', () => {
    expect(parseDbUrl('postgres://u:p@db:5432/coffer?schema=rm_1&sslmode=require')).toEqual({
      kind: 'postgres', url: 'postgres://u:p@db:5432/coffer?sslmode=require', schema: 'rm_1',
    });
    expect(parseDbUrl('postgresql://db/coffer')).toEqual({ kind: 'postgres', url: 'postgresql://db/coffer' });
  });

  it('rejects anything else with a typed error that does not echo the URL', () => {
    expect(() => parseDbUrl('mysql://u:secret@db/x')).toThrow(DbUrlError);
    expect(() => parseDbUrl('sqlite:')).toThrow(DbUrlError);
    expect(() => parseDbUrl('postgres://db/x?schema=a;drop')).toThrow(DbUrlError);
    try {
      parseDbUrl('mysql://u:secret@db/x');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
