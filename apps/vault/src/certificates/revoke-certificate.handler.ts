import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, IssuerRevokeRequest, Patterns, RevocationResult } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { IssuerWriter } from './issuer-writer';

/** Records a revocation by an issuer: the serial is in every CRL the issuer signs from now on. */
@Controller()
export class RevokeCertificateHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: IssuerWriter, private readonly clock: Clock) {}

  @MessagePattern(Patterns.issuer('revoke'))
  @Access(DataActions.certificateIssuersWrite, vaultScope)
  async handle(@Payload() req: IssuerRevokeRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<RevocationResult> {
    await this.vaults.require(vaultName);
    const outcome = await this.commands.run(vaultName, req.name, request, {
      type: 'RevokeCertificate', issuer: req.name,
      revocation: { serialNumber: req.serialNumber, revocationDate: this.clock.now().toISOString(), reason: req.reason ?? 'unspecified' },
    }, req.serialNumber);
    const d = outcome.event.data;
    return { issuer: d.issuer, serialNumber: d.serialNumber, revocationDate: d.revocationDate, reason: d.reason };
  }
}
