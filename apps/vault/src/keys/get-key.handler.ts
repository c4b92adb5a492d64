import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyBundle, KeyGetRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/** The public part of a version (the latest by default) as a JWK, with its attributes. */
@Controller()
export class GetKeyHandler {
  constructor(private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('get'))
  @Access(DataActions.keysRead, keyScope)
  handle(@Payload() req: KeyGetRequest, @VaultName() vaultName: string): Promise<KeyBundle> {
    return this.reader.bundle(vaultName, req.name, req.version);
  }
}
