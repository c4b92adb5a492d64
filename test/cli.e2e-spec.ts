import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../apps/cli/src/main';
import { startScheduler } from '../apps/scheduler/src/start-scheduler';
import { until } from '@coffer/testing';
import { InProcessStack, startInProcessStack } from './in-process-stack';

/** The coffer CLI against the real service: what a user types, what they see, the exit codes. */
describe('coffer CLI end to end', () => {
  let stack: InProcessStack;
  let dir: string;
  const coffer = async (args: string, stdin = '') => {
    let stdout = '';
    let stderr = '';
    const code = await run(['--nats-url', stack.nats.url, ...args.split(' ').filter(Boolean)], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      stdin: Readable.from([stdin]),
    });
    if (process.env.CLI_DEBUG) console.log(args, code, stdout, stderr);
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    stack = await startInProcessStack();
    // The CLI authenticates as the bootstrap administrator (COFFER_CREDENTIALS: a credentials file).
    process.env.COFFER_CREDENTIALS = join(stack.home, 'admin.credentials');
    dir = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
  });
  afterAll(async () => {
    delete process.env.COFFER_CREDENTIALS;
    await stack?.stop();
  });

  it('reports status: exits 1 naming the scheduler while none runs, 0 once every component answers', async () => {
    const without = await coffer('status -o table');
    expect(without.code).toBe(1);
    expect(without.stdout).toMatch(/scheduler.*no answer from the scheduler/);

    const scheduler = await startScheduler(stack.configFor('scheduler'));
    try {
      const r = await until('coffer status to exit 0 with a scheduler running', async () => {
        const status = await coffer('status -o table');
        return status.code === 0 ? status : undefined;
      }, 60_000, 250);
      expect(r.stdout).toMatch(/projector/);
      expect(r.stdout).toMatch(/scheduler/);
    } finally {
      await scheduler.stop();
    }
  });

  it('creates a vault and walks a secret through its life', async () => {
    expect((await coffer('vault create --name cli-demo --retention-days 7')).code).toBe(0);
    const set = await coffer('secret set --vault cli-demo -n db-password --value s3cret --tags env=prod team=core --content-type text/plain');
    expect(set.code).toBe(0);
    const bundle = JSON.parse(set.stdout);
    expect(bundle).toMatchObject({ value: 's3cret', tags: { env: 'prod', team: 'core' }, contentType: 'text/plain' });
    expect(bundle.id.endsWith(bundle.version)).toBe(true);

    expect((await coffer('secret show --vault cli-demo -n db-password --field value')).stdout).toBe('s3cret\n');
    expect((await coffer('secret set --vault cli-demo -n from-stdin --file -', 'piped value')).code).toBe(0);
    expect((await coffer('secret show --vault cli-demo -n from-stdin --field value')).stdout).toBe('piped value\n');

    const stale = await coffer(`secret set --vault cli-demo -n db-password --value x --if-match ${'0'.repeat(32)}`);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/Conflict/);

    const tsv = await coffer('secret list --vault cli-demo -o tsv');
    expect(tsv.stdout).toMatch(/db-password/);
    expect(tsv.stdout).not.toMatch(/s3cret/);

    expect((await coffer('secret set-attributes --vault cli-demo -n db-password --disabled')).code).toBe(0);
    expect((await coffer('secret show --vault cli-demo -n db-password')).code).toBe(5);
    expect((await coffer('secret set-attributes --vault cli-demo -n db-password --enabled')).code).toBe(0);

    const backupFile = join(dir, 'db-password.backup');
    expect((await coffer(`secret backup --vault cli-demo -n db-password --file ${backupFile}`)).code).toBe(0);
    expect(readFileSync(backupFile, 'utf8')).not.toContain('s3cret');
    expect((await coffer('secret delete --vault cli-demo -n db-password')).code).toBe(0);
    expect((await coffer('secret show --vault cli-demo -n db-password')).code).toBe(3);
    expect(JSON.parse((await coffer('secret list-deleted --vault cli-demo')).stdout)[0]).toMatchObject({ name: 'db-password' });
    expect((await coffer('secret purge --vault cli-demo -n db-password')).code).toBe(0);
    expect((await coffer(`secret restore --vault cli-demo --file ${backupFile}`)).code).toBe(0);
    expect((await coffer('secret show --vault cli-demo -n db-password --field value')).stdout).toBe('s3cret\n');
  });

  it('exit codes: 2 for bad parameters, 3 for an unknown vault', async () => {
    expect((await coffer('secret set --vault cli-demo -n bad!name --value x')).code).toBe(2);
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(30 * 1024));
    expect((await coffer(`secret set --vault cli-demo -n big --file ${big}`)).code).toBe(2);
    expect((await coffer('secret show --vault nosuchvault -n x')).code).toBe(3);
    expect((await coffer('secret frobnicate')).code).toBe(2);
  });
  it('events tail prints the change feed as JSON lines or tsv, from a cursor, and says where to resume', async () => {
    expect((await coffer('vault create --name cli-events')).code).toBe(0);
    expect((await coffer('secret set --vault cli-events -n a --value one')).code).toBe(0);
    expect((await coffer('secret delete --vault cli-events -n a')).code).toBe(0);
    const all = await coffer('events tail --vault cli-events --no-follow');
    expect(all.code).toBe(0);
    const events = all.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'Coffer.KeyVault.VaultCreated', 'Coffer.KeyVault.SecretNewVersionCreated', 'Coffer.KeyVault.SecretDeleted',
    ]);
    expect(all.stdout).not.toContain('one');
    const resume = /resume with --from (\d+)/.exec(all.stderr)![1];
    expect((await coffer(`events tail --vault cli-events --no-follow --from ${resume}`)).stdout).toBe('');
    const second = await coffer(`events tail --vault cli-events --no-follow --from ${events[1].cofferseq} -o tsv --count 1`);
    expect(second.stdout).toMatch(/^\d+\t\S+\tCoffer\.KeyVault\.SecretNewVersionCreated\tcoffer:\/\/cli-events\/secrets\/a\//);
    const followed = await coffer('events tail --vault cli-events --type SecretDeleted --count 1');
    expect(JSON.parse(followed.stdout)).toMatchObject({ type: 'Coffer.KeyVault.SecretDeleted' });
    expect((await coffer('events tail --type NoSuchType')).code).toBe(2);
    expect((await coffer('events tail --from yesterday')).code).toBe(2);
  });
  it('walks a key through creation, operations, import and its life, with exit codes', async () => {
    expect((await coffer('vault create --name cli-keys --retention-days 7')).code).toBe(0);
    const created = await coffer('key create --vault cli-keys -n signer --kty EC --curve P-256 --tags app=cli');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).key).toMatchObject({ kty: 'EC-HSM', crv: 'P-256' });
    const sig = (await coffer('key sign --vault cli-keys -n signer --alg ES256 --value hello --field value')).stdout.trim();
    expect((await coffer(`key verify --vault cli-keys -n signer --alg ES256 --value hello --signature ${sig}`)).code).toBe(0);
    const bad = await coffer(`key verify --vault cli-keys -n signer --alg ES256 --value other --signature ${sig}`);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).value).toBe(false);

    expect((await coffer('key create --vault cli-keys -n aes --kty oct --size 256')).code).toBe(0);
    const enc = JSON.parse((await coffer('key encrypt --vault cli-keys -n aes --alg A256GCM --value attack-at-dawn --aad Y3R4')).stdout);
    const out = join(dir, 'plain.bin');
    const dec = await coffer(`key decrypt --vault cli-keys -n aes --alg A256GCM --value ${enc.value} --iv ${enc.iv} --tag ${enc.tag} --aad Y3R4 --out-file ${out}`);
    expect(dec.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('attack-at-dawn');
    expect((await coffer(`key decrypt --vault cli-keys -n aes --alg A256GCM --value ${enc.value} --iv ${enc.iv} --tag ${enc.tag}`)).code).toBe(2);

    const pem = join(dir, 'byok.pem');
    writeFileSync(pem, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const imported = await coffer(`key import --vault cli-keys -n byok --file ${pem} -o table`);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/RSA-HSM/);
    expect(imported.stdout).toMatch(/RSA 2048/);

    expect((await coffer('key rotation-policy set --vault cli-keys -n aes --rotate-after P90D --expires-after P1Y')).code).toBe(0);
    expect((await coffer('key rotation-policy show --vault cli-keys -n aes -o tsv')).stdout).toMatch(/Rotate\ttimeAfterCreate=P90D\tP1Y/);
    expect((await coffer('key rotate --vault cli-keys -n aes')).code).toBe(0);
    expect(JSON.parse((await coffer('key list-versions --vault cli-keys -n aes')).stdout)).toHaveLength(2);
    expect((await coffer('key random --vault cli-keys --count 16 --field value')).stdout.trim()).toMatch(/^[A-Za-z0-9_-]{22}$/);

    expect((await coffer('key show --vault cli-keys -n nosuchkey')).code).toBe(3);
    expect((await coffer('key sign --vault cli-keys -n signer --alg RS256 --value x')).code).toBe(2);
    expect((await coffer('key create --vault cli-keys -n x --kty DSA')).code).toBe(2);
    expect((await coffer('key delete --vault cli-keys -n signer')).code).toBe(0);
    expect((await coffer('key show --vault cli-keys -n signer')).code).toBe(3);
    expect((await coffer('key purge --vault cli-keys -n signer')).code).toBe(0);
  });

  it('certificates: creates a CA, issues a server certificate, downloads it as PEM, and openssl verify accepts it', async () => {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect((await coffer('vault create --name cli-certs --retention-days 7')).code).toBe(0);
    expect((await coffer('issuer create --vault cli-certs -n root --subject CN=CLI-Root --kty EC --curve P-256')).code).toBe(0);
    const created = await coffer(
      'certificate create --vault cli-certs -n web --subject CN=www.example.com --san dns:www.example.com ip:10.0.0.1 --issuer root'
      + ' --kty EC --curve P-256 --validity-months 3 --eku serverAuth --key-usage digitalSignature -o table',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/completed/);
    expect((await coffer(`certificate download --vault cli-certs -n web --encoding PEM --file ${join(dir, 'web.pem')}`)).code).toBe(0);
    expect((await coffer(`issuer show --vault cli-certs -n root --out-file ${join(dir, 'root.pem')}`)).code).toBe(0);
    expect(openssl('verify', '-CAfile', 'root.pem', 'web.pem')).toContain('web.pem: OK');
    const text = openssl('x509', '-in', 'web.pem', '-noout', '-text');
    expect(text).toContain('DNS:www.example.com, IP Address:10.0.0.1');
    expect(text).toContain('TLS Web Server Authentication');
    expect((await coffer(`certificate download --vault cli-certs -n web --encoding DER --file ${join(dir, 'web.der')}`)).code).toBe(0);
    expect(openssl('x509', '-inform', 'DER', '-in', 'web.der', '-noout', '-subject')).toMatch(/www\.example\.com/);

    const kid = (await coffer('certificate show --vault cli-certs -n web --field kid')).stdout.trim();
    expect(kid).toMatch(/^coffer:\/\/cli-certs\/keys\/web\/[0-9a-f]{32}$/);
    expect((await coffer('certificate list --vault cli-certs -o tsv')).stdout).toMatch(/^web\t/m);
    expect((await coffer('certificate policy show --vault cli-certs -n web --field issuer.name')).stdout).toBe('root\n');
    expect((await coffer('certificate get-default-policy --vault cli-certs --field key_props.exportable')).stdout).toBe('false\n');
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ x509_props: { subject: 'CN=self.example', validity_months: 1 }, key_props: { kty: 'EC' } }));
    expect((await coffer(`certificate create --vault cli-certs -n self --policy @${join(dir, 'policy.json')}`)).code).toBe(0);
    expect(JSON.parse((await coffer('certificate list-versions --vault cli-certs -n self')).stdout)).toHaveLength(1);

    // An external CSR signed by the issuer, a revocation, and the CRL as OpenSSL checks it.
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=client');
    expect((await coffer(`issuer sign-csr --vault cli-certs -n root --file ${join(dir, 'client.csr')} --out-file ${join(dir, 'client.pem')} --eku clientAuth`)).code).toBe(0);
    expect(openssl('verify', '-CAfile', 'root.pem', 'client.pem')).toContain('OK');
    const serial = openssl('x509', '-in', 'client.pem', '-noout', '-serial').trim().replace(/^serial=/, '');
    expect((await coffer(`issuer revoke --vault cli-certs -n root --serial-number ${serial} --reason keyCompromise`)).code).toBe(0);
    expect((await coffer(`issuer crl --vault cli-certs -n root --encoding DER --file ${join(dir, 'root.crl')}`)).code).toBe(0);
    expect(openssl('crl', '-inform', 'DER', '-in', 'root.crl', '-CAfile', 'root.pem', '-noout', '-text').toUpperCase()).toContain(serial.toUpperCase());

    // A pending operation for an external CA, its CSR, and its cancellation.
    const pending = await coffer('certificate create --vault cli-certs -n ext --subject CN=ext.example --issuer Unknown -o tsv');
    expect(pending.stdout).toMatch(/inProgress/);
    expect((await coffer(`certificate pending show --vault cli-certs -n ext --csr-file ${join(dir, 'ext.csr')}`)).code).toBe(0);
    expect(openssl('req', '-in', 'ext.csr', '-noout', '-subject')).toMatch(/ext\.example/);
    expect((await coffer('certificate pending cancel --vault cli-certs -n ext --field status')).stdout).toBe('cancelled\n');

    expect((await coffer('certificate contact add --vault cli-certs --email ops@example.com --name Ops')).code).toBe(0);
    expect((await coffer('certificate contact list --vault cli-certs -o tsv')).stdout).toBe('ops@example.com\tOps\t\n');
    expect((await coffer('certificate contact delete --vault cli-certs --email ops@example.com')).code).toBe(0);

    expect((await coffer('certificate show --vault cli-certs -n nosuch')).code).toBe(3);
    expect((await coffer('certificate create --vault cli-certs -n bad --subject CN=x --san fax:1')).code).toBe(2);
    expect((await coffer('certificate create --vault cli-certs -n bad --subject CN=x --issuer nosuch')).code).toBe(2);
    expect((await coffer('key delete --vault cli-certs -n web')).code).toBe(5);
    expect((await coffer('certificate delete --vault cli-certs -n web')).code).toBe(0);
    expect(JSON.parse((await coffer('certificate list-deleted --vault cli-certs')).stdout)[0]).toMatchObject({ name: 'web' });
    expect((await coffer('certificate recover --vault cli-certs -n web')).code).toBe(0);

    const blob = join(dir, 'web.certbackup');
    expect((await coffer(`certificate backup --vault cli-certs -n web --file ${blob}`)).code).toBe(0);
    expect((await coffer('certificate delete --vault cli-certs -n web')).code).toBe(0);
    expect((await coffer('certificate purge --vault cli-certs -n web')).code).toBe(0);
    expect((await coffer(`certificate restore --vault cli-certs --file ${blob} --field name`)).stdout).toBe('web\n');

    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'imp.key', '-out', 'imp.pem', '-subj', '/CN=imp.example', '-days', '30');
    openssl('pkcs12', '-export', '-inkey', 'imp.key', '-in', 'imp.pem', '-out', 'imp.pfx', '-passout', 'pass:pfx-pass');
    expect((await coffer(`certificate import --vault cli-certs -n imp --file ${join(dir, 'imp.pfx')} --password wrong`)).code).toBe(2);
    expect((await coffer(`certificate import --vault cli-certs -n imp --file ${join(dir, 'imp.pfx')} --password pfx-pass --field subject`)).stdout).toBe('CN=imp.example\n');
  });
});
