import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BackupBlob, DataActions, keyFamilyOf, KeyNameRequest, Patterns } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { BackupSealer } from '../crypto/backup-sealer';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { BackedUpKeyVersion, KeyBackupPayload } from './key-backup.payload';
import { keyScope } from './key-scope';
import { policyOfRow, viewOfKeyRow } from './key.mapper';
import { KeyReader } from './key.reader';

const PAGE = 500;

/**
 * Every version's material wrapped by the vault's trusted backup key (key.export: it never leaves
 * the HSM otherwise), plus records and rotation policy, sealed in a blob only this Coffer can open.
 */
@Controller()
export class BackupKeyHandler {
  constructor(private readonly readModel: ReadModel, private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient, private readonly sealer: BackupSealer) {}

  @MessagePattern(Patterns.key('backup'))
  @Access(DataActions.keysBackup, keyScope)
  async handle(@Payload() req: KeyNameRequest, @VaultName() vaultName: string): Promise<BackupBlob> {
    await this.reader.version(vaultName, req.name);
    const versions: BackedUpKeyVersion[] = [];
    for (let after: number | undefined; ;) {
      const page = await this.readModel.listKeyVersions(vaultName, req.name, after, PAGE);
      for (const row of page.rows) {
        const { hsmKeyId, ...record } = viewOfKeyRow(row);
        const exported = await this.crypto.exportKey(hsmKeyId);
        versions.push({ ...record, family: keyFamilyOf(record.kty), wrapped: exported.wrapped, publicKey: record.publicKey });
      }
      if (!page.hasMore) break;
      after = page.rows[page.rows.length - 1].ordinal;
    }
    const policy = await this.readModel.getKeyRotationPolicy(vaultName, req.name);
    const payload: KeyBackupPayload = { name: req.name, versions, ...(policy && { rotationPolicy: policyOfRow(policy) }) };
    return { value: await this.sealer.seal('key', payload) };
  }
}
