import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throwaway PKI, for NATS TLS tests. */
export interface TlsFixture {
  dir: string;
  /** Self-signed CA certificate (the trust anchor clients need). */
  caFile: string;
  /** Server certificate for 127.0.0.1 and localhost, signed by the CA, and its key. */
  serverCert: string;
  serverKey: string;
  /** Client certificate (CN coffer-test-client, clientAuth), signed by the CA, and its key. */
  clientCert: string;
  clientKey: string;
  /** A second, unrelated CA: a client trusting only this one must refuse the server. */
  otherCaFile: string;
  remove(): void;
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(dir: string, name: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

function signedLeaf(dir: string, name: string, cn: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
}

/** Creates a CA, a server certificate (SAN 127.0.0.1, localhost) and a client certificate with openssl. */
export function createTlsFixture(): TlsFixture {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-tls-'));
  try {
    selfSignedCa(dir, 'ca');
    selfSignedCa(dir, 'other-ca');
    signedLeaf(dir, 'server', 'coffer-test-server',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
    signedLeaf(dir, 'client', 'coffer-test-client',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`, { cause: err });
  }
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    otherCaFile: join(dir, 'other-ca.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
