import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, hsmKeyIdOf, KeyBundle, KeyImportRequest, Patterns } from '@coffer/contracts';
import { ImportedJwk, resolveImportSpec } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope, KeyWriter } from './key.kind';
import { KeyReader } from './key.reader';
import { newKeyVersion, newVersionId } from './new-key-version';

/** BYOK: a private JWK goes into the HSM (sensitive, like a generated key); only its public half is recorded. */
@Controller()
export class ImportKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: KeyWriter, private readonly crypto: KeyCryptoClient, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('import'))
  @Access(DataActions.keysImport, keyScope)
  async handle(@Payload() req: KeyImportRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyBundle> {
    await this.vaults.require(vaultName);
    const jwk = { ...req.key } as ImportedJwk;
    const spec = resolveImportSpec(jwk, req.key_ops);
    const version = newVersionId();
    const hsmKeyId = hsmKeyIdOf(vaultName, req.name, version);
    const outcome = await this.writer.runMaking(vaultName, req.name, request, {
      needs: { version: false },
      make: (_loaded, made) => {
        made.hsmKeyIds.push(hsmKeyId);
        return this.crypto.importKey(hsmKeyId, jwk as Record<string, string>);
      },
      command: (publicKey, now) => ({ type: 'ImportKey', name: req.name, key: newKeyVersion(spec, { version, hsmKeyId }, publicKey, req), now }),
    });
    return this.reader.bundle(vaultName, req.name, outcome.event.data.version);
  }
}
