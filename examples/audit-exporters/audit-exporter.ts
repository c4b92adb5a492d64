import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { AuditFeedCursor, AuditFeedIntegrityError, AuditFeedKey, AuditTailOptions, CofferClient, TailedAuditItem } from '@coffer/client';

/** What an exporter keeps between runs: where it stopped (verified) and the audit key it pinned. */
export interface ExporterState {
  cursor?: AuditFeedCursor;
  key?: AuditFeedKey;
}

export function loadState(file: string): ExporterState {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ExporterState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

/** Written to a temporary file, flushed, then renamed over the old one: a crash leaves the old or the new state, never half of one. */
export function saveState(file: string, state: ExporterState): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export interface AuditExporterOptions extends Pick<AuditTailOptions, 'vault' | 'principal' | 'outcome' | 'waitMs'> {
  /** Where the cursor and the pinned audit key are kept. */
  stateFile: string;
  /** Delivers one verified record or checkpoint; resolves once it is durably handed over. */
  deliver: (item: TailedAuditItem) => Promise<void>;
  /** The feed failed verification (a gap, a tampered record, another key): the exporter stops after calling it. */
  alert: (problem: AuditFeedIntegrityError) => Promise<void>;
}

/**
 * Follows the audit feed from the saved cursor (the beginning on the first run), verifying every
 * page (AuditFeedVerifier, through `client.audit.tail`), delivers each record and checkpoint, and
 * saves the cursor after each delivery: at least once across crashes, exactly once across clean
 * restarts. On an integrity problem it raises the alert and stops without moving the cursor past
 * what it verified, so a restart raises it again until an operator looks.
 */
export class AuditExporter {
  private tail?: ReturnType<CofferClient['audit']['tail']>;
  private running?: Promise<'stopped' | 'alerted'>;

  constructor(private readonly client: CofferClient, private readonly options: AuditExporterOptions) {}

  start(): Promise<'stopped' | 'alerted'> {
    this.running ??= this.run();
    return this.running;
  }

  async stop(): Promise<void> {
    this.tail?.stop();
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<'stopped' | 'alerted'> {
    const { stateFile, deliver, alert, ...filters } = this.options;
    const state = loadState(stateFile);
    this.tail = this.client.audit.tail({ ...filters, from: state.cursor ? { cursor: state.cursor } : 'beginning', key: state.key });
    const tail = this.tail;
    try {
      for await (const item of tail) {
        await deliver(item);
        saveState(stateFile, { cursor: item.cursor, key: tail.key });
      }
      if (tail.cursor) saveState(stateFile, { cursor: tail.cursor, key: tail.key });
      return 'stopped';
    } catch (err) {
      if (!(err instanceof AuditFeedIntegrityError)) throw err;
      await alert(err);
      return 'alerted';
    }
  }
}
