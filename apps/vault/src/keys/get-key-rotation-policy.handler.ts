import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyNameRequest, KeyRotationPolicy, Patterns } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { keyScope } from './key.kind';
import { policyOfRow, toRotationPolicy } from './key.mapper';
import { KeyReader } from './key.reader';

/** The key's rotation policy; a key without one has an empty policy (as Azure). */
@Controller()
export class GetKeyRotationPolicyHandler {
  constructor(private readonly reader: KeyReader, private readonly readModel: ReadModel) {}

  @MessagePattern(Patterns.key('rotationpolicy.get'))
  @Access(DataActions.keysRotationPolicyRead, keyScope)
  async handle(@Payload() req: KeyNameRequest, @VaultName() vaultName: string): Promise<KeyRotationPolicy> {
    await this.reader.version(vaultName, req.name);
    const row = await this.readModel.getKeyRotationPolicy(vaultName, req.name);
    return toRotationPolicy(vaultName, req.name, row && policyOfRow(row));
  }
}
