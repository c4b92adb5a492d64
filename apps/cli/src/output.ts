import type Table from 'cli-table3';

export const OUTPUT_FORMATS = ['json', 'table', 'tsv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A table column: its header and the dotted path of the value in a row. */
export interface Column {
  header: string;
  path: string;
}

/** How a result looks as table or tsv; json always shows the result itself. */
export interface View<T = unknown> {
  columns: Column[];
  /** Rows to tabulate; by default the items of a list, or the one object. */
  rows?: (data: T) => object[];
}

export interface RenderOptions {
  format: OutputFormat;
  /** Print only this (dotted) field, raw: one line per object. */
  field?: string;
}

/** The text to print for a result, ending in a newline (empty for an empty tsv/field list). */
export function render<T>(data: T, view: View<T>, options: RenderOptions): string {
  if (options.field !== undefined) return renderField(data, options.field);
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`;
    case 'table':
      return renderTable(rowsOf(data, view), view.columns);
    case 'tsv':
      return renderTsv(rowsOf(data, view), view.columns);
  }
}

function rowsOf<T>(data: T, view: View<T>): object[] {
  if (view.rows) return view.rows(data);
  return Array.isArray(data) ? data : [data as object];
}

export function renderField(data: unknown, field: string): string {
  const items = Array.isArray(data) ? data : [data];
  return items.map((item) => `${rawValue(valueAt(item, field))}\n`).join('');
}

export function renderTable(rows: object[], columns: Column[]): string {
  // Loaded here, not at start: only `-o table` needs it (CLI start-up time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const TableOf = require('cli-table3') as typeof Table;
  // No colours: output may be piped or captured, and ANSI codes would get in the way.
  const table = new TableOf({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((c) => cellText(valueAt(row, c.path))));
  return `${table.toString()}\n`;
}

/** Tab-separated values, no header; tabs, newlines and backslashes escaped so a row stays one line. */
export function renderTsv(rows: object[], columns: Column[]): string {
  return rows.map((row) => `${columns.map((c) => escapeTsv(cellText(valueAt(row, c.path)))).join('\t')}\n`).join('');
}

/** `a.b.c` in an object; undefined when any step is missing. */
export function valueAt(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A field as scripts want it: strings unquoted, absent as empty, objects as compact JSON. */
function rawValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A cell: tags (a flat object) read best as `k=v, k=v`. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => `${k}=${rawValue(v)}`).join(', ');
  }
  return rawValue(value);
}

function escapeTsv(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** The error a failed command prints on stderr. */
export interface ErrorDescription {
  code: string;
  message: string;
  innerCode?: string;
  /** With Throttled: how long the service asked to wait (the SDK already retried what it would). */
  retryAfterMs?: number;
}

export function renderError(error: ErrorDescription, asJson: boolean): string {
  if (asJson) {
    const wire = {
      code: error.code, message: error.message,
      ...(error.innerCode ? { innererror: { code: error.innerCode } } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
    return `${JSON.stringify({ error: wire }, null, 2)}\n`;
  }
  const code = error.innerCode ? `${error.code}/${error.innerCode}` : error.code;
  const retry = error.retryAfterMs !== undefined ? ` Retry after ${formatRetryAfter(error.retryAfterMs)}.` : '';
  return `ERROR: (${code}) ${error.message}${retry}\n`;
}

/** 850 → "0.9 s", 12_000 → "12 s", 300_000 → "5 min". */
export function formatRetryAfter(ms: number): string {
  if (ms < 10_000) return `${Math.max(0.1, Math.ceil(ms / 100) / 10)} s`;
  if (ms < 120_000) return `${Math.ceil(ms / 1000)} s`;
  return `${Math.ceil(ms / 60_000)} min`;
}
