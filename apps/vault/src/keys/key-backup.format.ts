import { Injectable } from '@nestjs/common';
import {
  hsmKeyIdOf, KEY_TYPES_REQUESTED, KeyFamily, keyFamilyOf, KeyRotationPolicyRecord, KeyVersionRecord, OBJECT_NAME, PublicKeyMaterial, VERSION_ID,
} from '@coffer/contracts';
import { KeyCommand } from '@coffer/domain';
import { ReadModel, VaultRow } from '@coffer/read-model';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { BackupFormat, Material } from '../objects/object-kind';
import { LoadedKey } from './key-state.loader';
import { policyOfRow, viewOfKeyRow } from './key.mapper';
import { KeyReader } from './key.reader';
import { newVersionId } from './new-key-version';

const PAGE = 500;

/** One version in a key backup: its record without the HSM id (restore makes new ones) and its wrapped material. */
export type BackedUpKeyVersion = Omit<KeyVersionRecord, 'hsmKeyId'> & {
  family: KeyFamily;
  /** The version's private or secret material wrapped by the trusted backup key (opaque, base64). */
  wrapped: string;
  publicKey: PublicKeyMaterial;
};

/** What a key backup holds once opened. No plaintext key material: the HSM unwraps it on restore. */
export interface KeyBackupPayload {
  name: string;
  versions: BackedUpKeyVersion[];
  rotationPolicy?: KeyRotationPolicyRecord;
}

/**
 * A key's backup: every version's material wrapped by the vault's trusted backup key (key.export: it
 * never leaves the HSM otherwise), plus records and rotation policy. On restore each version's material
 * is unwrapped into the HSM under a fresh HSM id (never colliding with objects that still exist).
 */
@Injectable()
export class KeyBackupFormat implements BackupFormat<KeyBackupPayload, KeyVersionRecord[], LoadedKey, KeyCommand> {
  constructor(private readonly readModel: ReadModel, private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient) {}

  isPayload(p: unknown): p is KeyBackupPayload {
    const payload = p as KeyBackupPayload;
    return typeof payload === 'object' && payload !== null && OBJECT_NAME.test(payload.name) && Array.isArray(payload.versions)
      && payload.versions.length > 0
      && payload.versions.every((v) => VERSION_ID.test(v.version) && typeof v.wrapped === 'string' && (KEY_TYPES_REQUESTED as readonly string[]).includes(v.kty)
        && typeof v.publicKey === 'object' && Array.isArray(v.keyOps));
  }

  async payloadOf(vault: VaultRow, name: string): Promise<KeyBackupPayload> {
    await this.reader.version(vault.name, name);
    const versions: BackedUpKeyVersion[] = [];
    for (let after: number | undefined; ;) {
      const page = await this.readModel.listKeyVersions(vault.name, name, after, PAGE);
      for (const row of page.rows) {
        const { hsmKeyId, ...record } = viewOfKeyRow(row);
        const exported = await this.crypto.exportKey(hsmKeyId);
        versions.push({ ...record, family: keyFamilyOf(record.kty), wrapped: exported.wrapped, publicKey: record.publicKey });
      }
      if (!page.hasMore) break;
      after = page.rows[page.rows.length - 1].ordinal;
    }
    const policy = await this.readModel.getKeyRotationPolicy(vault.name, name);
    return { name, versions, ...(policy && { rotationPolicy: policyOfRow(policy) }) };
  }

  async make(vault: VaultRow, payload: KeyBackupPayload, _loaded: LoadedKey, made: Material): Promise<KeyVersionRecord[]> {
    const versions: KeyVersionRecord[] = [];
    for (const { family, wrapped, ...record } of payload.versions) {
      const hsmKeyId = hsmKeyIdOf(vault.name, payload.name, newVersionId());
      made.hsmKeyIds.push(hsmKeyId);
      const publicKey = await this.crypto.restoreKey({ hsmKeyId, kty: family, wrapped, publicKey: record.publicKey });
      versions.push({ ...record, hsmKeyId, publicKey });
    }
    return versions;
  }

  command(payload: KeyBackupPayload, versions: KeyVersionRecord[] | undefined, now: Date): KeyCommand {
    return { type: 'RestoreKey', name: payload.name, versions: versions ?? [], rotationPolicy: payload.rotationPolicy, now };
  }
}
