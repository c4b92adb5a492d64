import { AuditFeedIntegrityError, CofferClient } from '@coffer/client';
import { AuditExporter } from './audit-exporter';
import { JsonLinesArchiver } from './jsonl-archiver';
import { SyslogTcpSender, syslogMessage } from './syslog-forwarder';

/**
 * `COFFER_CREDENTIALS=siem.credentials node dist/examples/audit-exporters/main.js syslog 127.0.0.1 514 audit-syslog.state [vault]`
 * `COFFER_CREDENTIALS=siem.credentials node dist/examples/audit-exporters/main.js jsonl audit.jsonl audit-jsonl.state [vault]`
 * Exit status 3 when the feed failed verification (the alert was raised).
 */
async function main(): Promise<void> {
  const [kind, ...args] = process.argv.slice(2);
  const client = await CofferClient.connect();
  const alertToStderr = async (p: AuditFeedIntegrityError) => void process.stderr.write(`ALERT: ${p.message}\n`);
  let exporter: AuditExporter;
  let close: () => Promise<void> | void;
  if (kind === 'syslog') {
    const [host = '127.0.0.1', port = '514', stateFile = 'audit-syslog.state', vault] = args;
    const sender = new SyslogTcpSender(host, Number(port));
    close = () => sender.close();
    exporter = new AuditExporter(client, {
      stateFile, vault,
      deliver: (item) => sender.send(syslogMessage(item)),
      alert: async (problem) => {
        await alertToStderr(problem);
        await sender.send(syslogMessage({ kind: 'alert', problem }));
      },
    });
  } else if (kind === 'jsonl') {
    const [file = 'audit.jsonl', stateFile = 'audit-jsonl.state', vault] = args;
    const archiver = new JsonLinesArchiver(file);
    close = () => archiver.close();
    exporter = new AuditExporter(client, { stateFile, vault, deliver: (item) => archiver.write(item), alert: alertToStderr });
  } else {
    throw new Error('usage: main.js syslog HOST PORT STATE [VAULT] | jsonl FILE STATE [VAULT]');
  }
  process.once('SIGINT', () => void exporter.stop());
  const outcome = await exporter.start();
  await close();
  await client.close();
  if (outcome === 'alerted') process.exitCode = 3;
}

void main();
