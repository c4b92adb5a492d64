import { Access } from '../auth/access.decorator';
import { secretScope } from './secret.kind';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CofferError, EncryptedValue, ErrorCodes, GetSecretRequest, InnerErrorCodes, Patterns, SecretBundle, secretNotFound, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretValuesService } from './secret-values.service';
import { toSecretItem, viewOfRow } from './secret.mapper';

@Controller()
export class GetSecretHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory, private readonly values: SecretValuesService) {}

  @MessagePattern(Patterns.secret('get'))

  @Access(DataActions.secretsGet, secretScope)
  async handle(@Payload() req: GetSecretRequest, @VaultName() vaultName: string): Promise<SecretBundle> {
    const [vault, head] = await Promise.all([this.vaults.require(vaultName), this.readModel.getSecret(vaultName, req.name)]);
    if (!head || head.status !== 'active') throw secretNotFound(req.name);
    const row = await this.readModel.getSecretVersion(vaultName, req.name, req.version ?? head.currentVersion);
    if (!row) throw secretNotFound(req.name, req.version);
    if (!row.enabled) throw new CofferError(ErrorCodes.Forbidden, `Secret '${req.name}' version '${row.version}' is disabled.`, InnerErrorCodes.SecretDisabled);
    const value = await this.values.decrypt(vaultName, req.name, row.version, JSON.parse(row.value) as EncryptedValue);
    return { ...toSecretItem(vault, req.name, viewOfRow(row), true), version: row.version, value, sequence: head.sequence };
  }
}
