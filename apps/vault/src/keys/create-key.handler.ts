import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, hsmKeyIdOf, KeyBundle, KeyCreateRequest, Patterns } from '@coffer/contracts';
import { resolveCreateSpec } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope, KeyWriter } from './key.kind';
import { KeyReader } from './key.reader';
import { newKeyVersion, newVersionId } from './new-key-version';

/** Generates a key (or a new version of one) inside the HSM, then records it. */
@Controller()
export class CreateKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: KeyWriter, private readonly crypto: KeyCryptoClient, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('create'))
  @Access(DataActions.keysCreate, keyScope)
  async handle(@Payload() req: KeyCreateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyBundle> {
    await this.vaults.require(vaultName);
    const spec = resolveCreateSpec(req);
    const version = newVersionId();
    const hsmKeyId = hsmKeyIdOf(vaultName, req.name, version);
    const outcome = await this.writer.runMaking(vaultName, req.name, request, {
      needs: { version: false },
      make: (_loaded, made) => {
        made.hsmKeyIds.push(hsmKeyId);
        return this.crypto.generate(hsmKeyId, spec.family, { size: spec.size, publicExponent: spec.publicExponent, crv: spec.crv });
      },
      command: (publicKey, now) => ({ type: 'CreateKey', name: req.name, key: newKeyVersion(spec, { version, hsmKeyId }, publicKey, req), now }),
    });
    return this.reader.bundle(vaultName, req.name, outcome.event.data.version);
  }
}
