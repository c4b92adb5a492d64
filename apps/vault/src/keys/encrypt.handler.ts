import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyEncryptRequest, KeyOperationResult, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { KeyCipher } from './key-cipher.service';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';
import { operationResult } from './operation-result';

/** RSA (in software, on the public key) or AES-GCM (in the HSM, which picks the iv) encryption. */
@Controller()
export class EncryptHandler {
  constructor(private readonly reader: KeyReader, private readonly cipher: KeyCipher) {}

  @MessagePattern(Patterns.key('encrypt'))
  @Access(DataActions.keysEncrypt, keyScope)
  async handle(@Payload() req: KeyEncryptRequest, @VaultName() vaultName: string): Promise<KeyOperationResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'encrypt');
    const aad = req.aad === undefined ? undefined : Buffer.from(req.aad, 'base64url');
    const out = await this.cipher.encrypt(view, req.alg, Buffer.from(req.value, 'base64url'), aad);
    return operationResult(keyId(vaultName, req.name, view.version), { ...out, aad });
  }
}
