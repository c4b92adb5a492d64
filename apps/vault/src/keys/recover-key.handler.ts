import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyBundle, KeyNameRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { KeyCommands } from './key-commands';
import { keyScope } from './key-scope';
import { KeyReader } from './key.reader';

@Controller()
export class RecoverKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: KeyCommands, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('recover'))
  @Access(DataActions.keysRecover, keyScope)
  async handle(@Payload() req: KeyNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyBundle> {
    await this.vaults.require(vaultName);
    await this.commands.run(vaultName, req.name, request, { version: false }, (now) => ({ type: 'RecoverKey', name: req.name, now }));
    return this.reader.bundle(vaultName, req.name);
  }
}
