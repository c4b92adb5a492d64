import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, IssuerBundle, IssuerNameRequest, Patterns } from '@coffer/contracts';
import { issuerNotFound } from '@coffer/domain';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toIssuerBundle } from './certificate.mapper';

@Controller()
export class GetIssuerHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly certificates: CertificateReadModel) {}

  @MessagePattern(Patterns.issuer('get'))
  @Access(DataActions.certificateIssuersRead, vaultScope)
  async handle(@Payload() req: IssuerNameRequest, @VaultName() vaultName: string): Promise<IssuerBundle> {
    await this.vaults.require(vaultName);
    const row = await this.certificates.getIssuer(vaultName, req.name);
    if (!row) throw issuerNotFound(req.name);
    return toIssuerBundle(vaultName, row, await this.certificates.revokedCount(vaultName, req.name));
  }
}
