import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CrlBundle, DataActions, IssuerNameRequest, Patterns } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { createCrl, RevocationReason } from '@coffer/x509';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { CertificateIssuance } from './certificate-issuance';
import { hsmSigner } from './hsm-signer';

const NEXT_UPDATE_MS = 7 * 86_400_000;

/** A fresh CRL of everything the issuer revoked, signed with its HSM key; cRLNumber is the count of revocations so far. */
@Controller()
export class GetCrlHandler {
  constructor(
    private readonly vaults: VaultDirectory, private readonly issuance: CertificateIssuance, private readonly certificates: CertificateReadModel,
    private readonly crypto: KeyCryptoClient, private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.issuer('crl'))
  @Access(DataActions.certificateIssuersRead, vaultScope)
  async handle(@Payload() req: IssuerNameRequest, @VaultName() vaultName: string): Promise<CrlBundle> {
    await this.vaults.require(vaultName);
    const ca = await this.issuance.issuer(vaultName, req.name);
    const [row, revoked] = await Promise.all([this.certificates.getIssuer(vaultName, req.name), this.certificates.revocations(vaultName, req.name)]);
    const thisUpdate = this.clock.now();
    const nextUpdate = new Date(thisUpdate.getTime() + NEXT_UPDATE_MS);
    const crlNumber = row?.crlNumber ?? 0;
    const crl = await createCrl({
      issuerCertificate: Buffer.from(ca.cer, 'base64'),
      revoked: revoked.map((r) => ({
        serialNumber: r.serialNumber, revocationDate: new Date(r.revocationDate),
        ...(r.reason !== 'unspecified' && { reason: r.reason as RevocationReason }),
      })),
      thisUpdate, nextUpdate, crlNumber, signer: hsmSigner(this.crypto, ca.hsmKeyId, ca.publicKey),
    });
    return {
      issuer: ca.name, crl: crl.toString('base64'), crlNumber, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString(),
      revoked: revoked.map((r) => ({ serialNumber: r.serialNumber, revocationDate: r.revocationDate, reason: r.reason })),
    };
  }
}
