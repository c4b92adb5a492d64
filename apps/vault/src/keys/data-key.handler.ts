import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, DataKeyResult, KeyDataKeyRequest, KeyLimits, Patterns } from '@coffer/contracts';
import { wrapSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { KeyCipher } from './key-cipher.service';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/**
 * Envelope encryption in one call (beyond Azure): fresh random bytes from the HSM wrapped under the
 * key with wrapKey semantics; the plaintext is returned too unless the caller asks for wrapped only.
 */
@Controller()
export class DataKeyHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient, private readonly cipher: KeyCipher) {}

  @MessagePattern(Patterns.key('datakey'))
  @Access(DataActions.keysWrap, keyScope)
  async handle(@Payload() req: KeyDataKeyRequest, @VaultName() vaultName: string): Promise<DataKeyResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'wrapKey');
    wrapSpecFor(req.alg, view); // refuse before asking the HSM for bytes
    const dataKey = await this.crypto.random(req.bytes ?? KeyLimits.dataKeyBytesDefault);
    try {
      const wrapped = await this.cipher.wrap(view, req.alg, dataKey);
      return {
        kid: keyId(vaultName, req.name, view.version),
        wrapped: wrapped.toString('base64url'),
        ...(!req.wrappedOnly && { plaintext: dataKey.toString('base64url') }),
      };
    } finally {
      dataKey.fill(0);
    }
  }
}
