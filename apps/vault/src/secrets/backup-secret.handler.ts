import { Access } from '../auth/access.decorator';
import { secretScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BACKUP_KEK_ID, BackupBlob, EncryptedValue, Patterns, SecretNameRequest, secretNotFound, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { sealBackup, SecretBackupPayload } from './backup.codec';
import { SecretValuesService } from './secret-values.service';
import { viewOfRow } from './secret.mapper';

const PAGE = 500;

/** An opaque, encrypted, integrity-protected blob of every version; only this Coffer's HSM can open it. */
@Controller()
export class BackupSecretHandler {
  constructor(
    private readonly readModel: ReadModel,
    private readonly vaults: VaultDirectory,
    private readonly values: SecretValuesService,
    private readonly crypto: CryptoWorkerClient,
  ) {}

  @MessagePattern(Patterns.secret('backup'))

  @Access(DataActions.secretsBackup, secretScope)
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string): Promise<BackupBlob> {
    await this.vaults.require(vaultName);
    const head = await this.readModel.getSecret(vaultName, req.name);
    if (!head || head.status !== 'active') throw secretNotFound(req.name);
    const payload: SecretBackupPayload = { name: req.name, versions: [] };
    let after: number | undefined;
    for (;;) {
      const page = await this.readModel.listVersions(vaultName, req.name, after, PAGE);
      for (const row of page.rows) {
        const value = await this.values.decrypt(vaultName, req.name, row.version, JSON.parse(row.value) as EncryptedValue);
        const { version, attributes, contentType, tags, created, updated } = viewOfRow(row);
        payload.versions.push({ version, value, attributes, contentType, tags, created, updated });
      }
      if (!page.hasMore) break;
      after = page.rows[page.rows.length - 1].ordinal;
    }
    const { plaintext, wrapped } = await this.crypto.generateDataKey(BACKUP_KEK_ID);
    try {
      return { value: sealBackup(payload, plaintext, wrapped) };
    } finally {
      plaintext.fill(0);
    }
  }
}
