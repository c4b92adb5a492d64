import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyVerifyRequest, KeyVerifyResult, Patterns } from '@coffer/contracts';
import { assertDigestLength, signatureSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';
import { verifyDigestSignature } from './public-key-crypto';

/** Verifies a signature over a digest in software on the version's public key (no HSM round trip). */
@Controller()
export class VerifyHandler {
  constructor(private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('verify'))
  @Access(DataActions.keysVerify, keyScope)
  async handle(@Payload() req: KeyVerifyRequest, @VaultName() vaultName: string): Promise<KeyVerifyResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'verify');
    signatureSpecFor(req.alg, view);
    const digest = Buffer.from(req.digest, 'base64url');
    assertDigestLength(req.alg, digest);
    const value = verifyDigestSignature(view.publicKey, req.alg, digest, Buffer.from(req.value, 'base64url'));
    return { kid: keyId(vaultName, req.name, view.version), value };
  }
}
