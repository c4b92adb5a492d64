import { issueCertificate } from '../issue-certificate';
import type { X509SignatureAlgorithm } from '../signer';
import { SoftKey, softKey, softSigner } from './soft-signer';

export type KeySpec = 'RSA-2048' | 'P-256' | 'P-384' | 'P-521';

export interface Chain {
  rootKey: SoftKey;
  root: Buffer;
  intermediateKey: SoftKey;
  intermediate: Buffer;
  leafKey: SoftKey;
  leaf: Buffer;
}

const DAY = 86_400_000;

/** root → intermediate → leaf, every key of `spec`, every signature with `alg`. */
export async function makeChain(spec: KeySpec, alg: X509SignatureAlgorithm, leafSpec: KeySpec = spec): Promise<Chain> {
  const now = Date.now();
  const notBefore = new Date(now - DAY);
  const rootKey = softKey(spec);
  const root = await issueCertificate({
    subject: `CN=Coffer Test Root ${alg}, O=Coffer, C=US`,
    subjectPublicKey: rootKey.publicJwk,
    notBefore,
    notAfter: new Date(now + 3650 * DAY),
    ca: {},
    issuer: 'self',
    signer: softSigner(rootKey, alg),
  });
  const intermediateKey = softKey(spec);
  const intermediate = await issueCertificate({
    subject: `CN=Coffer Test Issuing CA ${alg}, O=Coffer, C=US`,
    subjectPublicKey: intermediateKey.publicJwk,
    notBefore,
    notAfter: new Date(now + 1825 * DAY),
    ca: { pathLength: 0 },
    issuer: { certificate: root },
    crlDistributionPointUri: 'http://crl.example.com/root.crl',
    signer: softSigner(rootKey, alg),
  });
  const leafKey = softKey(leafSpec);
  const leaf = await issueCertificate({
    subject: 'CN=localhost, O=Acme, C=US',
    subjectPublicKey: leafKey.publicJwk,
    sans: { dnsNames: ['localhost', 'www.example.com'], ipAddresses: ['127.0.0.1', '::1'] },
    notBefore,
    notAfter: new Date(now + 365 * DAY),
    issuer: { certificate: intermediate },
    signer: softSigner(intermediateKey, alg),
  });
  return { rootKey, root, intermediateKey, intermediate, leafKey, leaf };
}
