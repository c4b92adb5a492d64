import pino, { Logger, LoggerOptions } from 'pino';

/** JSON logs to stdout. Callers log sequences, types and counts only: never event data. */
export function projectorLoggerOptions(level: string): LoggerOptions {
  return { level, base: { service: 'coffer-projector' }, timestamp: pino.stdTimeFunctions.isoTime };
}

export function createProjectorLogger(level: string): Logger {
  return pino(projectorLoggerOptions(level));
}

/** What may be logged about a failure: its class and message, never attached query parameters. */
export function errorSummary(err: unknown): { error: string; message: string } {
  return err instanceof Error ? { error: err.name, message: err.message } : { error: 'Error', message: String(err) };
}
