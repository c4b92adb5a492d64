import { Subjects } from '@coffer/contracts';
import { SpawnedNats, startNatsServer } from '@coffer/testing';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect, Msg, NatsConnection } from 'nats';
import { run } from './main';

const VAULT = 'vault-1';
const VERSION = 'a'.repeat(32);

const bundle = (name: string, value: string) => ({
  id: `coffer://${VAULT}/secrets/${name}/${VERSION}`, name, version: VERSION, value, sequence: 1,
  attributes: { enabled: true, created: '2030-01-01T00:00:00.000Z', updated: '2030-01-01T00:00:00.000Z', recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
});
const item = (name: string) => {
  const { value: _value, sequence: _sequence, version: _version, ...rest } = bundle(name, '');
  return rest;
};
const wireError = (code: string, message: string, inner?: string) => ({ error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } });

const allOk = { vault: { ok: true, version: '0.1.0' }, cryptoWorker: { ok: true, sessions: 8 }, projector: { ok: true, checkpoint: 5, lastSequence: 5, lag: 0 }, audit: { ok: true, count: 3, lag: 0 } };

/** The fake vault service: replies by subject; records every request body. */
function fakeService(status: { reply: unknown }) {
  const requests: { subject: string; body: Record<string, unknown> }[] = [];
  const names = ['s1', 's2', 's3', 's4', 's5'];
  const route = (subject: string, body: Record<string, unknown>): unknown => {
    switch (subject) {
      case Subjects.status:
        return status.reply;
      case Subjects.secret(VAULT, 'get'):
        return body.name === 'db-pass' ? bundle('db-pass', 'hunter2') : wireError('SecretNotFound', `Secret '${body.name}' was not found.`);
      case Subjects.secret(VAULT, 'set'):
        if (body.ifMatch === '99') return wireError('Conflict', 'The secret changed since version 99.', 'VersionMismatch');
        if (String(body.name).startsWith('-')) return wireError('BadParameter', 'Invalid request: name must match ^[0-9a-zA-Z-]{1,127}$.');
        return bundle(String(body.name), String(body.value));
      case Subjects.secret(VAULT, 'list'): {
        // Pages of 2, whatever maxResults says, to prove the CLI follows continuation tokens.
        const start = Number(body.continuationToken ?? 0);
        const next = start + 2 < names.length ? String(start + 2) : undefined;
        return { value: names.slice(start, start + 2).map(item), ...(next ? { continuationToken: next } : {}) };
      }
      case Subjects.secret(VAULT, 'backup'):
        return { value: 'QkFDS1VQ' };
      case Subjects.secret(VAULT, 'restore'):
        return body.value === 'QkFDS1VQ' ? item('restored') : wireError('BadParameter', 'Not a backup.', 'InvalidBackup');
      default:
        return wireError('BadParameter', `no fake for ${subject}`);
    }
  };
  return {
    requests,
    handle(msg: Msg) {
      const body = JSON.parse(new TextDecoder().decode(msg.data));
      requests.push({ subject: msg.subject, body });
      msg.respond(new TextEncoder().encode(JSON.stringify(route(msg.subject, body))));
    },
  };
}

describe('coffer CLI against a real nats-server and a fake service', () => {
  let nats: SpawnedNats;
  let responder: NatsConnection;
  let service: ReturnType<typeof fakeService>;
  const status = { reply: allOk as unknown };
  let dir: string;

  /** Runs the CLI in-process with buffered output. */
  async function coffer(args: string[], stdin = '') {
    let stdout = '';
    let stderr = '';
    const code = await run(
      [...args, '--nats-url', nats.url, '--timeout', '2000'],
      {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        stdin: Readable.from([Buffer.from(stdin)]),
      },
      // No credentials from the developer's environment, login cache or embedded admin.credentials.
      { PATH: process.env.PATH, HOME: dir, COFFER_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'config') },
    );
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    responder = await connect({ servers: nats.url, noAsyncTraces: true });
    service = fakeService(status);
    responder.subscribe(Subjects.status, { callback: (_e, m) => service.handle(m) });
    responder.subscribe(`coffer.v1.vault.${VAULT}.>`, { callback: (_e, m) => service.handle(m) });
    await responder.flush();
    dir = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
  });

  beforeEach(() => {
    service.requests.length = 0;
    status.reply = allOk;
  });

  afterAll(async () => {
    await responder?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('status', () => {
    it('exits 0 and prints the reply as JSON when every component is ok', async () => {
      const { code, stdout } = await coffer(['status']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual(allOk);
    });

    it('prints a table and exits 1 when a component is not ok', async () => {
      status.reply = { ...allOk, cryptoWorker: { ok: false, detail: 'no HSM session' } };
      const { code, stdout } = await coffer(['status', '-o', 'table']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/Component.*OK.*Lag.*Detail/);
      expect(stdout).toMatch(/crypto-worker.*false.*no HSM session/);
    });
  });

  describe('output formats', () => {
    it('json: the SecretBundle as the SDK returns it', async () => {
      const { code, stdout } = await coffer(['secret', 'show', '--vault', VAULT, '-n', 'db-pass']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual(bundle('db-pass', 'hunter2'));
      expect(service.requests[0]).toEqual({ subject: Subjects.secret(VAULT, 'get'), body: { name: 'db-pass' } });
    });

    it('global options work before the command too; --version is the secret version', async () => {
      const { code } = await coffer(['-o', 'tsv', 'secret', 'show', '--vault', VAULT, '-n', 'db-pass', '--version', VERSION]);
      expect(code).toBe(0);
      expect(service.requests[0].body).toEqual({ name: 'db-pass', version: VERSION });
    });

    it('table and tsv', async () => {
      const table = await coffer(['secret', 'show', '--vault', VAULT, '-n', 'db-pass', '-o', 'table']);
      expect(table.stdout).toMatch(/Name.*Version.*Value/);
      expect(table.stdout).toMatch(/db-pass.*hunter2/);
      const tsv = await coffer(['secret', 'show', '--vault', VAULT, '-n', 'db-pass', '-o', 'tsv']);
      expect(tsv.stdout.split('\t').slice(0, 3)).toEqual(['db-pass', VERSION, 'hunter2']);
    });

    it('--field value prints the raw value and one newline', async () => {
      const { code, stdout } = await coffer(['secret', 'show', '--vault', VAULT, '-n', 'db-pass', '--field', 'value']);
      expect(code).toBe(0);
      expect(stdout).toBe('hunter2\n');
    });
  });

  describe('set', () => {
    it('reads the value from stdin with --file - exactly, and sends every flag under its wire name', async () => {
      const { code, stdout } = await coffer(
        [
          'secret', 'set', '--vault', VAULT, '-n', 'from-stdin', '--file', '-', '--content-type', 'text/plain',
          '--tags', 'env=prod', 'team=core', '--expires', '2030-01-31', '--not-before', '2029-01-01T00:00:00+01:00', '--disabled', '--if-match', '3',
        ],
        'line one\nline two\n',
      );
      expect(code).toBe(0);
      expect(JSON.parse(stdout).value).toBe('line one\nline two\n');
      expect(service.requests[0].body).toEqual({
        name: 'from-stdin', value: 'line one\nline two\n', contentType: 'text/plain', tags: { env: 'prod', team: 'core' },
        attributes: { enabled: false, nbf: '2028-12-31T23:00:00.000Z', exp: '2030-01-31T00:00:00.000Z' }, ifMatch: '3',
      });
    });

    it('reads the value from a file', async () => {
      const file = join(dir, 'value.txt');
      writeFileSync(file, 'from a file');
      const { code, stdout } = await coffer(['secret', 'set', '--vault', VAULT, '-n', 'f', '--file', file, '--field', 'value']);
      expect(code).toBe(0);
      expect(stdout).toBe('from a file\n');
    });
  });

  describe('lists', () => {
    it('follows every continuation token without --max-results', async () => {
      const { code, stdout } = await coffer(['secret', 'list', '--vault', VAULT]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).map((s: { name: string }) => s.name)).toEqual(['s1', 's2', 's3', 's4', 's5']);
      expect(service.requests).toHaveLength(3);
    });

    it('stops at --max-results', async () => {
      const { stdout } = await coffer(['secret', 'list', '--vault', VAULT, '--max-results', '3', '--field', 'name']);
      expect(stdout).toBe('s1\ns2\ns3\n');
      expect(service.requests.map((r) => r.body)).toEqual([{ maxResults: 3 }, { maxResults: 3, continuationToken: '2' }]);
    });
  });

  describe('backup and restore', () => {
    it('writes the blob to a private file and restores from it', async () => {
      const file = join(dir, 'db.backup');
      expect((await coffer(['secret', 'backup', '--vault', VAULT, '-n', 'db-pass', '--file', file])).code).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe('QkFDS1VQ');
      expect(statSync(file).mode & 0o077).toBe(0);
      const restored = await coffer(['secret', 'restore', '--vault', VAULT, '--file', file]);
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.stdout).name).toBe('restored');
    });

    it('restores from stdin, ignoring a trailing newline', async () => {
      const { code } = await coffer(['secret', 'restore', '--vault', VAULT, '--file', '-'], 'QkFDS1VQ\n');
      expect(code).toBe(0);
    });
  });

  describe('exit codes and errors', () => {
    it('3 for SecretNotFound, with ERROR: (code) message on stderr', async () => {
      const { code, stdout, stderr } = await coffer(['secret', 'show', '--vault', VAULT, '-n', 'missing']);
      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toBe("ERROR: (SecretNotFound) Secret 'missing' was not found.\n");
    });

    it('4 for Conflict; with an explicit -o json the error object is JSON on stderr', async () => {
      const { code, stderr } = await coffer(['secret', 'set', '--vault', VAULT, '-n', 'a', '--value', 'x', '--if-match', '99', '-o', 'json']);
      expect(code).toBe(4);
      expect(JSON.parse(stderr)).toEqual(wireError('Conflict', 'The secret changed since version 99.', 'VersionMismatch'));
    });

    it('4 with code/inner code in the human form', async () => {
      const { stderr } = await coffer(['secret', 'set', '--vault', VAULT, '-n', 'a', '--value', 'x', '--if-match', '99']);
      expect(stderr).toBe('ERROR: (Conflict/VersionMismatch) The secret changed since version 99.\n');
    });

    it('2 for BadParameter from the service', async () => {
      const { code, stderr } = await coffer(['secret', 'set', '--vault', VAULT, '--name=-bad', '--value', 'x']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^ERROR: \(BadParameter\) Invalid request/);
    });

    it.each([
      [['secret', 'show', '-n', 'a'], /required option '--vault <name>'/],
      [['secret', 'set', '--vault', VAULT, '-n', 'a'], /--value or --file/],
      [['secret', 'set', '--vault', VAULT, '-n', 'a', '--value', 'x', '--file', 'f'], /cannot be used with/],
      [['secret', 'set', '--vault', VAULT, '-n', 'a', '--value', 'x', '--expires', 'soon'], /ISO 8601/],
      [['secret', 'set', '--vault', VAULT, '-n', 'a', '--value', 'x', '--enabled', '--disabled'], /cannot be used with/],
      [['secret', 'set', '--vault', VAULT, '-n', 'a', '--value', 'x', '--tags', 'oops'], /name=value/],
      [['vault', 'create', '--name', VAULT, '--retention-days', '3'], /from 7 to 90/],
      [['vault', 'update', '--name', VAULT], /nothing to update/],
      [['secret', 'frobnicate'], /unknown command/],
      [['secret', 'show', '--vault', 'bad.vault', '-n', 'a'], /vault names are 3-24/],
      [['secret', 'set', '--vault', VAULT, '-n', 'a', '--file', join(tmpdir(), 'no-such-coffer-file')], /cannot read .*ENOENT/],
      [['-o', 'xml', 'status'], /Allowed choices are json, table, tsv/],
    ])('2 for a usage error: %j', async (args, message) => {
      const { code, stderr } = await coffer(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^ERROR: \(BadParameter(\/InvalidArgument)?\) /);
      expect(stderr).toMatch(message);
      expect(service.requests).toHaveLength(0);
    });

    it('1 for ServiceUnavailable when nothing answers for the vault', async () => {
      const { code, stderr } = await coffer(['secret', 'show', '--vault', 'ghost-vault', '-n', 'a']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^ERROR: \(ServiceUnavailable\/NoResponders\)/);
    });

    it('0 for --help, printed on stdout', async () => {
      const { code, stdout } = await coffer(['secret', 'set', '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Usage: coffer secret set/);
      expect(stdout).toMatch(/--if-match <version>/);
    });

    it('0 for `help secret`; 2 for a group without a command (help on stderr)', async () => {
      expect((await coffer(['help', 'secret'])).code).toBe(0);
      const bare = await coffer(['secret']);
      expect(bare.code).toBe(2);
      expect(bare.stderr).toMatch(/Usage: coffer secret/);
    });
  });
});
