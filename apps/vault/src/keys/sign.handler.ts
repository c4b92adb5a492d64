import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyOperationResult, KeySignRequest, Patterns } from '@coffer/contracts';
import { assertDigestLength, signatureSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/** Signs a digest the caller made, in the HSM (ES*: r‖s). */
@Controller()
export class SignHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('sign'))
  @Access(DataActions.keysSign, keyScope)
  async handle(@Payload() req: KeySignRequest, @VaultName() vaultName: string): Promise<KeyOperationResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'sign');
    signatureSpecFor(req.alg, view);
    const digest = Buffer.from(req.value, 'base64url');
    assertDigestLength(req.alg, digest);
    const signature = await this.crypto.sign(view.hsmKeyId, req.alg, digest);
    return { kid: keyId(vaultName, req.name, view.version), value: signature.toString('base64url') };
  }
}
