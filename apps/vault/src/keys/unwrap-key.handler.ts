import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyOperationResult, KeyWrapRequest, Patterns } from '@coffer/contracts';
import { wrapSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/** Unwrapping needs the private or secret key: always in the HSM. Allowed on expired keys (as Azure). */
@Controller()
export class UnwrapKeyHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('unwrap'))
  @Access(DataActions.keysUnwrap, keyScope)
  async handle(@Payload() req: KeyWrapRequest, @VaultName() vaultName: string): Promise<KeyOperationResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'unwrapKey');
    wrapSpecFor(req.alg, view);
    const out = await this.crypto.cipher('key.unwrap', { hsmKeyId: view.hsmKeyId, alg: req.alg, value: Buffer.from(req.value, 'base64url') });
    return { kid: keyId(vaultName, req.name, view.version), value: out.value.toString('base64url') };
  }
}
