import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyOperationResult, KeyWrapRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { KeyCipher } from './key-cipher.service';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/** Wraps a key: RSA in software on the public key, AES key wrap in the HSM. */
@Controller()
export class WrapKeyHandler {
  constructor(private readonly reader: KeyReader, private readonly cipher: KeyCipher) {}

  @MessagePattern(Patterns.key('wrap'))
  @Access(DataActions.keysWrap, keyScope)
  async handle(@Payload() req: KeyWrapRequest, @VaultName() vaultName: string): Promise<KeyOperationResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'wrapKey');
    const wrapped = await this.cipher.wrap(view, req.alg, Buffer.from(req.value, 'base64url'));
    return { kid: keyId(vaultName, req.name, view.version), value: wrapped.toString('base64url') };
  }
}
