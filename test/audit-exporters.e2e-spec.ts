import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { freePort, until } from '@coffer/testing';
import { AuditExporter, loadState, saveState } from '../examples/audit-exporters/audit-exporter';
import { JsonLinesArchiver } from '../examples/audit-exporters/jsonl-archiver';
import { SD_ID, SyslogTcpSender, syslogMessage } from '../examples/audit-exporters/syslog-forwarder';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';

const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((p) => existsSync(p));

/** A real rsyslogd of the test's own on a free port (imtcp, RFC 5424 parser), writing what it parsed: app, msgid, structured data, message. */
async function startRsyslog(dir: string): Promise<{ port: number; received: () => string[]; stop: () => Promise<void> }> {
  const port = await freePort();
  const out = join(dir, 'received.log');
  writeFileSync(join(dir, 'rsyslog.conf'), `
global(workDirectory="${dir}")
module(load="imtcp")
input(type="imtcp" port="${port}" address="127.0.0.1")
template(name="parsed" type="string" string="%APP-NAME%|%MSGID%|%syslogseverity%|%STRUCTURED-DATA%|%msg%\\n")
*.* action(type="omfile" file="${out}" template="parsed")
`);
  const proc: ChildProcess = spawn(RSYSLOGD!, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslog.pid')], { stdio: 'ignore' });
  await until('rsyslogd listening', () => new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
  }));
  return {
    port,
    received: () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : []),
    stop: () => new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

const positionOf = (line: string) => Number(/position="(\d+)"/.exec(line)?.[1]);

/** The example exporters against a real stack and a real local syslog receiver: resume, verify, alert. */
describe('audit exporters (examples/audit-exporters)', () => {
  let stack: InProcessStack;
  let admin: CofferClient;
  let dir: string;

  beforeAll(async () => {
    stack = await startInProcessStack({ env: { COFFER_AUDIT_CHECKPOINT_INTERVAL_MS: '200' } });
    admin = await CofferClient.connect({ url: stack.nats.url, credentials: adminCredentials(stack.home) });
    await admin.vaults.create('exported');
    dir = mkdtempSync(join(tmpdir(), 'coffer-exporters-'));
  });
  afterAll(async () => {
    await admin?.close();
    await stack?.stop();
  });

  it('forwards the verified chain to rsyslog as RFC 5424, resumes after a restart without a gap or a repeat, and alerts on a gap', async () => {
    if (!RSYSLOGD) {
      console.log('SKIPPED: no rsyslogd (infra/scripts/setup.sh installs it)');
      return;
    }
    const rsyslog = await startRsyslog(dir);
    const stateFile = join(dir, 'syslog.state');
    const sender = new SyslogTcpSender('127.0.0.1', rsyslog.port);
    const alerts: string[] = [];
    const exporter = () => new AuditExporter(admin, {
      stateFile, waitMs: 300,
      deliver: (item) => sender.send(syslogMessage(item, 'coffer-test')),
      alert: async (problem) => {
        alerts.push(problem.problem);
        await sender.send(syslogMessage({ kind: 'alert', problem }, 'coffer-test'));
      },
    });
    try {
      await admin.secrets('exported').set('first', 'value-exported-1');
      const one = exporter();
      const running = one.start();
      await until('the first secret forwarded', () => rsyslog.received().some((l) => l.includes('/vaults/exported/secrets/first')));
      await one.stop();
      expect(await running).toBe('stopped');

      await admin.secrets('exported').set('second', 'value-exported-2');
      const two = exporter();
      const again = two.start();
      await until('the second secret forwarded', () => rsyslog.received().some((l) => l.includes('/vaults/exported/secrets/second')));
      await two.stop();
      await again;

      const lines = rsyslog.received();
      // rsyslog parsed them as RFC 5424: app name, message id, severity, our structured data.
      const records = lines.filter((l) => l.startsWith('coffer-audit|record|'));
      expect(records.every((l) => l.includes(`[${SD_ID} position=`))).toBe(true);
      expect(lines.some((l) => l.startsWith('coffer-audit|checkpoint|6|'))).toBe(true);
      const positions = records.map(positionOf);
      expect(positions).toEqual(positions.map((_, i) => i + 1)); // every position once, in order, across the restart
      expect(lines.join('\n')).not.toMatch(/value-exported-/);

      // The chain no longer continues from the saved hash (as if records had been removed): alert, stay put.
      const saved = loadState(stateFile);
      saveState(stateFile, { ...saved, cursor: { position: saved.cursor!.position, hash: 'e'.repeat(64) } });
      expect(await exporter().start()).toBe('alerted');
      expect(alerts).toEqual(['gap']);
      await until('the alert at rsyslog', () => rsyslog.received().some((l) => l.startsWith('coffer-audit|integrity|1|')));
    } finally {
      await sender.close();
      await rsyslog.stop();
    }
  });

  it('archives the verified chain as JSON lines and resumes after a restart, every position once', async () => {
    const file = join(dir, 'audit.jsonl');
    const stateFile = join(dir, 'jsonl.state');
    const run = async (marker: string) => {
      const archiver = new JsonLinesArchiver(file);
      const exporter = new AuditExporter(admin, { stateFile, waitMs: 300, deliver: (item) => archiver.write(item), alert: async () => undefined });
      const running = exporter.start();
      await until(`${marker} archived`, () => existsSync(file) && readFileSync(file, 'utf8').includes(marker));
      await exporter.stop();
      archiver.close();
      return running;
    };
    await admin.secrets('exported').set('third', 'value-exported-3');
    expect(await run('/vaults/exported/secrets/third')).toBe('stopped');
    await admin.secrets('exported').set('fourth', 'value-exported-4');
    expect(await run('/vaults/exported/secrets/fourth')).toBe('stopped');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { position?: number; checkpoint?: unknown });
    const positions = lines.filter((l) => l.position !== undefined).map((l) => l.position);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    expect(lines.some((l) => l.checkpoint)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toMatch(/value-exported-/);
  });
});
