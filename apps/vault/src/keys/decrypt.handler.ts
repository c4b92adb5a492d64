import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { badParameter, DataActions, KeyDecryptRequest, KeyOperationResult, Patterns } from '@coffer/contracts';
import { assertGcmDecryptParameters, encryptionSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';
import { operationResult } from './operation-result';

const bytes = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, 'base64url'));

/** Decryption needs the private or secret key: always in the HSM. Allowed on expired keys (as Azure). */
@Controller()
export class DecryptHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('decrypt'))
  @Access(DataActions.keysDecrypt, keyScope)
  async handle(@Payload() req: KeyDecryptRequest, @VaultName() vaultName: string): Promise<KeyOperationResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'decrypt');
    const spec = encryptionSpecFor(req.alg, view);
    const [iv, tag, aad] = [bytes(req.iv), bytes(req.tag), bytes(req.aad)];
    if (spec.kind === 'aes-gcm') assertGcmDecryptParameters(iv, tag);
    else if (iv || tag || aad) throw badParameter(`iv, tag and aad apply to AES-GCM only, not ${req.alg}.`);
    const out = await this.crypto.cipher('key.decrypt', { hsmKeyId: view.hsmKeyId, alg: req.alg, value: Buffer.from(req.value, 'base64url'), iv, tag, aad });
    return operationResult(keyId(vaultName, req.name, view.version), { value: out.value });
  }
}
