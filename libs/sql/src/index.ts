export * from './sql.errors';
export * from './db-url.parser';
export * from './data-source.factory';
export * from './dedicated-connection';
export * from './sql-dialect';
export * from './sqlite-handle';
export * from './sql-runner';
