import { Injectable } from '@nestjs/common';
import {
  assertHookTags, EncryptedValue, OBJECT_NAME, secretNotFound, SecretVersionAttributes, SecretVersionRecord, VERSION_ID,
} from '@coffer/contracts';
import { SecretCommand } from '@coffer/domain';
import { ReadModel, VaultRow } from '@coffer/read-model';
import { DataKeysService } from '../crypto/data-keys.service';
import { BackupFormat, Material } from '../objects/object-kind';
import { LoadedSecret } from './secret-state.loader';
import { SecretValuesService } from './secret-values.service';
import { viewOfRow } from './secret.mapper';

const PAGE = 500;

/** What a secret backup holds once opened: every version, values in plaintext (the blob is sealed under the backup KEK). */
export interface SecretBackupPayload {
  name: string;
  versions: {
    version: string;
    value: string;
    attributes: SecretVersionAttributes;
    contentType?: string;
    tags?: Record<string, string>;
    created: string;
    updated: string;
  }[];
}

/** A secret's backup: every version decrypted into the sealed payload; restored under a fresh data key. */
@Injectable()
export class SecretBackupFormat implements BackupFormat<SecretBackupPayload, SecretVersionRecord[], LoadedSecret, SecretCommand> {
  constructor(private readonly readModel: ReadModel, private readonly values: SecretValuesService, private readonly dataKeys: DataKeysService) {}

  isPayload(p: unknown): p is SecretBackupPayload {
    const payload = p as SecretBackupPayload;
    return typeof payload === 'object' && payload !== null && OBJECT_NAME.test(payload.name) && Array.isArray(payload.versions)
      && payload.versions.length > 0 && payload.versions.every((v) => VERSION_ID.test(v.version) && typeof v.value === 'string');
  }

  async payloadOf(vault: VaultRow, name: string): Promise<SecretBackupPayload> {
    const head = await this.readModel.getSecret(vault.name, name);
    if (!head || head.status !== 'active') throw secretNotFound(name);
    const payload: SecretBackupPayload = { name, versions: [] };
    for (let after: number | undefined; ;) {
      const page = await this.readModel.listVersions(vault.name, name, after, PAGE);
      for (const row of page.rows) {
        const value = await this.values.decrypt(vault.name, name, row.version, JSON.parse(row.value) as EncryptedValue);
        const { version, attributes, contentType, tags, created, updated } = viewOfRow(row);
        payload.versions.push({ version, value, attributes, contentType, tags, created, updated });
      }
      if (!page.hasMore) break;
      after = page.rows[page.rows.length - 1].ordinal;
    }
    return payload;
  }

  async check(vault: VaultRow, payload: SecretBackupPayload): Promise<void> {
    for (const v of payload.versions) {
      this.values.assertSize(v.value);
      // A backup's hooks must name this vault's hook namespace, like any tag set here.
      assertHookTags(vault.name, v.tags);
    }
  }

  async make(vault: VaultRow, payload: SecretBackupPayload, _loaded: LoadedSecret, made: Material): Promise<SecretVersionRecord[]> {
    const { dek } = await this.dataKeys.create(vault.name, vault.kekId, payload.name);
    made.deks.push(dek);
    const versions: SecretVersionRecord[] = [];
    for (const v of payload.versions) versions.push({ ...v, value: await this.values.encrypt(vault.name, payload.name, v.version, dek, v.value) });
    return versions;
  }

  command(payload: SecretBackupPayload, versions: SecretVersionRecord[] | undefined, now: Date): SecretCommand {
    return { type: 'RestoreSecret', name: payload.name, versions: versions ?? [], now };
  }
}
