import { DbUrlError } from './sql.errors';

export type ParsedDbUrl =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema?: string };

/** `sqlite:<path>` (or `sqlite::memory:`) or `postgres[ql]://…[?schema=NAME]`; `schema` is stripped from the URL. */
export function parseDbUrl(dbUrl: string): ParsedDbUrl {
  if (dbUrl.startsWith('sqlite:')) {
    const path = dbUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new DbUrlError('sqlite: URL has no path');
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(dbUrl)) {
    let url: URL;
    try {
      url = new URL(dbUrl);
    } catch {
      throw new DbUrlError('PostgreSQL URL is not a valid URL');
    }
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new DbUrlError(`schema '${schema}' must be a plain SQL identifier`);
    }
    return { kind: 'postgres', url: url.toString(), ...(schema ? { schema } : {}) };
  }
  throw new DbUrlError('database URL must start with sqlite: or postgres://');
}
