import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, IssuerSignCsrRequest, Patterns, SignedCsrResult } from '@coffer/contracts';
import { addValidityMonths, issueCertificate, KeyUsageName, parseCertificate, parseCsr } from '@coffer/x509';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { CertificateIssuance } from './certificate-issuance';
import { hsmSigner } from './hsm-signer';
import { x509Input } from './x509-errors';

/**
 * Signs an external PKCS#10 request with an issuer's HSM key: the CSR's self-signature is verified
 * first; subject, key and SANs come from it, validity, key usage and EKUs from the request.
 * Nothing is stored (the caller keeps the certificate; revocation goes by serial number).
 */
@Controller()
export class SignCsrHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly issuance: CertificateIssuance, private readonly crypto: KeyCryptoClient, private readonly clock: Clock) {}

  @MessagePattern(Patterns.issuer('signcsr'))
  @Access(DataActions.certificatesCreate, vaultScope)
  async handle(@Payload() req: IssuerSignCsrRequest, @VaultName() vaultName: string): Promise<SignedCsrResult> {
    await this.vaults.require(vaultName);
    const ca = await this.issuance.issuer(vaultName, req.name);
    const text = req.csr.includes('-----BEGIN') ? req.csr : Buffer.from(req.csr, 'base64');
    const csr = await x509Input('csr', () => parseCsr(text));
    const now = this.clock.now();
    const certificate = await x509Input('certificate', () => issueCertificate({
      subject: csr.subject, subjectPublicKey: csr.publicKey, sans: csr.sans,
      keyUsage: (req.key_usage as KeyUsageName[] | undefined) ?? csr.keyUsage, ekus: req.ekus ?? csr.ekus,
      notBefore: now, notAfter: addValidityMonths(now, req.validity_months ?? 12),
      issuer: { certificate: Buffer.from(ca.cer, 'base64') }, signer: hsmSigner(this.crypto, ca.hsmKeyId, ca.publicKey),
    }));
    return { issuer: ca.name, serialNumber: parseCertificate(certificate).serialNumber, cer: certificate.toString('base64'), chain: [ca.cer, ...ca.chain] };
  }
}
