import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { TailedAuditItem } from '@coffer/client';

/**
 * Appends each verified record or checkpoint as one JSON line (`{"position",…,"record"}` or
 * `{"checkpoint"}`), flushed to disk before the exporter saves its cursor. A crash between the two
 * would deliver the last item again: the archiver skips what the file already ends with, so the
 * archive holds every position once.
 */
export class JsonLinesArchiver {
  private fd?: number;
  private last: string | undefined;

  constructor(private readonly file: string) {
    if (existsSync(file)) this.last = readFileSync(file, 'utf8').trimEnd().split('\n').at(-1);
  }

  async write(item: TailedAuditItem): Promise<void> {
    const line = JSON.stringify(item.kind === 'record' ? item.record : { checkpoint: item.checkpoint });
    if (line === this.last) return; // delivered again after a crash
    this.fd ??= openSync(this.file, 'a', 0o600);
    writeSync(this.fd, `${line}\n`);
    fsyncSync(this.fd);
    this.last = line;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
