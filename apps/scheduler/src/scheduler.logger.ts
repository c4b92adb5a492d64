import pino, { Logger } from 'pino';

/** JSON lines on stdout like the other apps; actions are logged by object and request id, never values. */
export function createSchedulerLogger(level: string): Logger {
  return pino({ level, base: { service: 'coffer-scheduler' }, timestamp: pino.stdTimeFunctions.isoTime });
}
