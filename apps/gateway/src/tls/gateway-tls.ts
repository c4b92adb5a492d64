import { CofferClient, isCofferError } from '@coffer/client';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the gateway's own certificate lives in Coffer: a vault of its own, an internal CA, one certificate. */
export const GATEWAY_TLS_VAULT = 'coffer-gateway';
export const GATEWAY_CA_ISSUER = 'gateway-ca';
export const GATEWAY_TLS_CERTIFICATE = 'tls';
/** Renew when less than this is left. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface GatewayTlsFiles {
  keyFile: string;
  certFile: string;
  caFile: string;
}

const pem = (base64Der: string) => `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

/** Whether the files hold a certificate for `*.<domain>` and `<domain>` with more than 30 days left. */
export function gatewayTlsCurrent(files: GatewayTlsFiles, domain: string, now = Date.now()): boolean {
  if (![files.keyFile, files.certFile, files.caFile].every((f) => existsSync(f))) return false;
  try {
    const cert = new X509Certificate(readFileSync(files.certFile));
    const names = cert.subjectAltName ?? '';
    return Date.parse(cert.validTo) - now > RENEW_BEFORE_MS && names.includes(`DNS:*.${domain}`) && names.includes(`DNS:${domain}`);
  } catch {
    return false;
  }
}

/**
 * Dogfoods Coffer's certificates: the gateway's TLS certificate (`*.<domain>`, `<domain>`, localhost,
 * 127.0.0.1) is issued by an internal CA of the vault `coffer-gateway`, its key generated in the HSM
 * as exportable (the policy says so: the TLS server needs it), read back through the certificate's
 * secret. Writes the key (0600), the chain and the CA's PEM. Does nothing when the files are current.
 * `client` must be allowed to create the vault, the issuer and the certificate (the administrator).
 */
export async function ensureGatewayTls(client: CofferClient, files: GatewayTlsFiles, domain: string): Promise<{ issued: boolean }> {
  if (gatewayTlsCurrent(files, domain)) return { issued: false };
  await client.vaults.show(GATEWAY_TLS_VAULT).catch(async (err) => {
    if (!isCofferError(err, 'VaultNotFound')) throw err;
    await client.vaults.create(GATEWAY_TLS_VAULT, {});
  });
  const issuers = client.issuers(GATEWAY_TLS_VAULT);
  const ca = await issuers.get(GATEWAY_CA_ISSUER).catch(async (err) => {
    if (!['IssuerNotFound', 'NotFound', 'CertificateNotFound'].some((code) => isCofferError(err, code))) throw err;
    return issuers.create(GATEWAY_CA_ISSUER, 'CN=Coffer Gateway CA, O=Coffer', { kty: 'EC', crv: 'P-256' });
  });
  await client.certificates(GATEWAY_TLS_VAULT).create(GATEWAY_TLS_CERTIFICATE, {
    policy: {
      key_props: { kty: 'EC', crv: 'P-256', exportable: true, reuse_key: false },
      secret_props: { contentType: 'application/x-pem-file' },
      x509_props: {
        subject: `CN=${domain}`, validity_months: 12,
        sans: { dns_names: [`*.${domain}`, domain, 'localhost'], ip_addresses: ['127.0.0.1'] },
        ekus: ['1.3.6.1.5.5.7.3.1'], key_usage: ['digitalSignature'],
      },
      issuer: { name: GATEWAY_CA_ISSUER },
    },
  });
  const bundle = (await client.secrets(GATEWAY_TLS_VAULT).get(GATEWAY_TLS_CERTIFICATE)).value;
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(bundle)?.[0];
  const chain = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!key || !chain) throw new Error('the gateway certificate secret holds no key and certificate');
  writePrivate(files.keyFile, `${key}\n`);
  write(files.certFile, `${chain.join('\n')}\n`);
  write(files.caFile, pem(ca.cer));
  return { issued: true };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text);
}

function writePrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}
