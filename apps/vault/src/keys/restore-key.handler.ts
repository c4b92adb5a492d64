import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, hsmKeyIdOf, KeyBundle, KeyRestored, KeyRestoreRequest, KeyVersionRecord, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { BackupSealer } from '../crypto/backup-sealer';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { isKeyBackup } from './key-backup.payload';
import { KeyCommands } from './key-commands';
import { KeyReader } from './key.reader';
import { newVersionId } from './new-key-version';

/**
 * Restores a key backup into this vault: each version's material is unwrapped into the HSM under a
 * fresh HSM id (never colliding with objects that still exist), then the key is recorded with its
 * version ids, attributes and rotation policy. Refused if the name exists or is deleted.
 */
@Controller()
export class RestoreKeyHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly sealer: BackupSealer,
    private readonly crypto: KeyCryptoClient,
    private readonly commands: KeyCommands,
    private readonly reader: KeyReader,
  ) {}

  @MessagePattern(Patterns.key('restore'))
  @Access(DataActions.keysRestore, vaultScope)
  async handle(@Payload() req: KeyRestoreRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyBundle> {
    await this.vaults.require(vaultName);
    const payload = await this.sealer.open('key', req.value, isKeyBackup);
    const { name } = payload;
    await this.commands.runMaking<KeyRestored, KeyVersionRecord[]>(vaultName, name, request, {
      needs: { version: false },
      make: async (_state, track) => {
        const versions: KeyVersionRecord[] = [];
        for (const { family, wrapped, ...record } of payload.versions) {
          const hsmKeyId = hsmKeyIdOf(vaultName, name, newVersionId());
          track(hsmKeyId);
          const publicKey = await this.crypto.restoreKey({ hsmKeyId, kty: family, wrapped, publicKey: record.publicKey });
          versions.push({ ...record, hsmKeyId, publicKey });
        }
        return versions;
      },
      command: (versions, now) => ({ type: 'RestoreKey', name, versions: versions ?? [], rotationPolicy: payload.rotationPolicy, now }),
    });
    return this.reader.bundle(vaultName, name);
  }
}
