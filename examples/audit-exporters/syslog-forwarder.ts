import { Socket, connect } from 'node:net';
import { hostname } from 'node:os';
import { AuditFeedIntegrityError, TailedAuditItem } from '@coffer/client';
import { AuditOutcome } from '@coffer/contracts';

/** RFC 5612's enterprise number for documentation: replace it with your own in production. */
export const SD_ID = 'coffer@32473';
const AUTHPRIV = 10;
const SEVERITY: Record<AuditOutcome, number> = { succeeded: 6, failed: 5, denied: 4, unauthenticated: 4 };
const ALERT = 1;
const INFO = 6;

/** SD-PARAM value escaping (RFC 5424 §6.3.3): `"`, `\` and `]`. */
const sdValue = (v: unknown) => String(v ?? '').replace(/(["\\\]])/g, '\\$1');
const sd = (params: Record<string, unknown>) =>
  `[${SD_ID} ${Object.entries(params).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k}="${sdValue(v)}"`).join(' ')}]`;

/**
 * One RFC 5424 message: `<PRI>1 TIMESTAMP HOST coffer-audit - MSGID [SD] MSG`, facility authpriv,
 * severity by outcome (denied and unauthenticated: warning), MSGID `record` / `checkpoint` /
 * `integrity` (an alert), the chain position and hashes as structured data (so the SIEM can check
 * the chain too), the record itself as JSON in MSG (UTF-8, with the BOM the RFC asks for).
 */
export function syslogMessage(item: TailedAuditItem | { kind: 'alert'; problem: AuditFeedIntegrityError }, host = hostname()): string {
  const head = (severity: number, time: string, msgId: string) => `<${AUTHPRIV * 8 + severity}>1 ${time} ${host} coffer-audit - ${msgId}`;
  const now = new Date().toISOString();
  if (item.kind === 'alert') {
    return `${head(ALERT, now, 'integrity')} ${sd({ problem: item.problem.problem, position: item.problem.position })} \uFEFF${item.problem.message}`;
  }
  if (item.kind === 'checkpoint') {
    const c = item.checkpoint;
    return `${head(INFO, c.time, 'checkpoint')} ${sd({ position: c.count, sequence: c.sequence, head: c.head, keyId: c.keyId, signature: c.signature })} \uFEFF${JSON.stringify(c)}`;
  }
  const r = item.record;
  return `${head(SEVERITY[r.record.outcome], r.record.time || now, 'record')} ${sd({ position: r.position, sequence: r.sequence, index: r.index, previous: r.previous, hash: r.hash })} \uFEFF${JSON.stringify(r.record)}`;
}

/** A syslog receiver over TCP with octet-counting framing (RFC 6587 §3.4.1), as rsyslog's imtcp and syslog-ng accept it. */
export class SyslogTcpSender {
  private socket?: Socket;

  constructor(private readonly host: string, private readonly port: number) {}

  async send(message: string): Promise<void> {
    const socket = await this.connected();
    const bytes = Buffer.from(message, 'utf8');
    // Resolves once the bytes are handed to the kernel; a lost connection fails the send (the cursor stays put).
    await new Promise<void>((resolve, reject) => socket.write(Buffer.concat([Buffer.from(`${bytes.length} `), bytes]), (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.end(resolve));
  }

  private connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port }, () => {
        socket.off('error', reject);
        socket.on('error', () => socket.destroy());
        this.socket = socket;
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }
}
