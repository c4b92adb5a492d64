import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, hsmKeyIdOf, KeyBundle, KeyRotateRequest, Patterns } from '@coffer/contracts';
import { rotationSpecOf } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope, KeyWriter } from './key.kind';
import { KeyReader } from './key.reader';
import { DRY_RUN_PUBLIC_KEY, newVersionId } from './new-key-version';

/** A new version generated like the current one (its exp from the rotation policy's expiryTime). */
@Controller()
export class RotateKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: KeyWriter, private readonly crypto: KeyCryptoClient, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('rotate'))
  @Access(DataActions.keysRotate, keyScope)
  async handle(@Payload() req: KeyRotateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyBundle> {
    await this.vaults.require(vaultName);
    const version = newVersionId();
    const hsmKeyId = hsmKeyIdOf(vaultName, req.name, version);
    const outcome = await this.writer.runMaking(vaultName, req.name, request, {
      needs: { policy: true },
      make: ({ state }, made) => {
        const spec = rotationSpecOf(state.versions[state.currentVersion as string]);
        made.hsmKeyIds.push(hsmKeyId);
        return this.crypto.generate(hsmKeyId, spec.family, { size: spec.size, publicExponent: spec.publicExponent, crv: spec.crv });
      },
      command: (publicKey, now) => ({ type: 'RotateKey', name: req.name, version, hsmKeyId, publicKey: publicKey ?? DRY_RUN_PUBLIC_KEY, ifMatch: req.ifMatch, now }),
    });
    return this.reader.bundle(vaultName, req.name, outcome.event.data.version);
  }
}
