import { CertificateVersionParts } from '@coffer/contracts';

/** Stands in for a version's records in the decider's dry run, before the HSM and the CA have made anything. */
export function dryRunParts(version: string): CertificateVersionParts {
  const attributes = { enabled: true, nbf: '', exp: '' };
  return {
    certificate: { version, cer: '', x5t: '', serialNumber: '', subject: '', issuer: '', chain: [], attributes, created: '', updated: '' },
    key: { version, hsmKeyId: '', kty: 'RSA-HSM', keyOps: [], publicKey: { kty: 'oct' }, attributes, created: '', updated: '' },
    secret: { version, value: { alg: 'A256GCM', dek: 0, iv: '', ct: '' }, attributes, created: '', updated: '' },
  };
}
