import { Injectable } from '@nestjs/common';
import { badParameter, CertificatePolicy, InnerErrorCodes, IssuerRecord, PublicKeyMaterial } from '@coffer/contracts';
import { certificateKeyFamily, issuerKindOf, sansOf } from '@coffer/domain';
import { CertificateReadModel } from '@coffer/read-model';
import { addValidityMonths, createCsr, issueCertificate, KeyUsageName } from '@coffer/x509';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Material } from '../objects/object-kind';
import { hsmSigner, jwkOf } from './hsm-signer';
import { x509Input } from './x509-errors';

/** An HSM key a certificate is for. */
export interface SubjectKey {
  hsmKeyId: string;
  publicKey: PublicKeyMaterial;
}

/**
 * The X.509 side of issuance: the certificate's HSM key, the certificate signed with its own key
 * (Self) or with a Coffer issuer's HSM key, and the CSR for an external CA (Unknown).
 */
@Injectable()
export class CertificateIssuance {
  constructor(private readonly crypto: KeyCryptoClient, private readonly certificates: CertificateReadModel) {}

  /** A Coffer issuer of the vault; naming one that does not exist is the caller's mistake. */
  async issuer(vault: string, name: string): Promise<IssuerRecord> {
    const row = await this.certificates.getIssuer(vault, name);
    if (!row) throw badParameter(`Issuer '${name}' was not found: use Self, Unknown or the name of an issuer of this vault.`, InnerErrorCodes.IssuerNotFound);
    return JSON.parse(row.record) as IssuerRecord;
  }

  /** Generates the key in the HSM (recorded in `made` first, so a failure later destroys it). */
  async makeKey(hsmKeyId: string, policy: CertificatePolicy, made: Material): Promise<PublicKeyMaterial> {
    made.hsmKeyIds.push(hsmKeyId);
    const family = certificateKeyFamily(policy);
    return this.crypto.generate(hsmKeyId, family, { size: policy.key_props.key_size, crv: policy.key_props.crv, exportable: policy.key_props.exportable });
  }

  /** Signs the policy's certificate for `subject`: self-signed, or by the named Coffer issuer. Returns it and its chain. */
  async sign(vault: string, policy: CertificatePolicy, subject: SubjectKey, now: Date): Promise<{ certificate: Buffer; chain: Buffer[] }> {
    const kind = issuerKindOf(policy);
    if (kind.kind === 'unknown') throw new Error('an Unknown issuer cannot sign: start a pending operation');
    const x = policy.x509_props;
    const common = {
      subject: x.subject,
      subjectPublicKey: jwkOf(subject.publicKey),
      sans: sansOf(policy),
      keyUsage: x.key_usage as KeyUsageName[] | undefined,
      ekus: x.ekus,
      notBefore: now,
      notAfter: addValidityMonths(now, x.validity_months),
    };
    if (kind.kind === 'self') {
      const certificate = await x509Input('certificate', () =>
        issueCertificate({ ...common, issuer: 'self', signer: hsmSigner(this.crypto, subject.hsmKeyId, subject.publicKey) }));
      return { certificate, chain: [] };
    }
    const ca = await this.issuer(vault, kind.name);
    const caCert = Buffer.from(ca.cer, 'base64');
    const certificate = await x509Input('certificate', () =>
      issueCertificate({ ...common, issuer: { certificate: caCert }, signer: hsmSigner(this.crypto, ca.hsmKeyId, ca.publicKey) }));
    return { certificate, chain: [caCert, ...ca.chain.map((c) => Buffer.from(c, 'base64'))] };
  }

  /** A PKCS#10 request signed with the new key itself (proof of possession) for an external CA. */
  csr(policy: CertificatePolicy, subject: SubjectKey): Promise<Buffer> {
    const x = policy.x509_props;
    return x509Input('CSR', () => createCsr({
      subject: x.subject,
      subjectPublicKey: jwkOf(subject.publicKey),
      sans: sansOf(policy),
      keyUsage: x.key_usage as KeyUsageName[] | undefined,
      ekus: x.ekus,
      signer: hsmSigner(this.crypto, subject.hsmKeyId, subject.publicKey),
    }));
  }
}
