import { Injectable } from '@nestjs/common';
import {
  CertificatePolicy, CertificateVersionParts, CertificateVersionRecord, EncryptedValue, hsmKeyIdOf, keyFamilyOf, KeyVersionRecord, OBJECT_NAME,
  SecretVersionRecord, VERSION_ID,
} from '@coffer/contracts';
import { CertificateCommand } from '@coffer/domain';
import { CertificateReadModel, CertificateVersionRow, ReadModel, VaultRow } from '@coffer/read-model';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { viewOfKeyRow } from '../keys/key.mapper';
import { newVersionId } from '../keys/new-key-version';
import { BackupFormat, Material } from '../objects/object-kind';
import { SecretValuesService } from '../secrets/secret-values.service';
import { viewOfRow } from '../secrets/secret.mapper';
import { CertificateNames } from './certificate-names';
import { LoadedCertificate } from './certificate-state.loader';
import { CertificateVersions } from './certificate-versions';
import { CertificateReader } from './certificate.reader';
import { dryRunParts } from './dry-run-parts';

/**
 * One version in a certificate backup: the certificate record, its key record without the HSM id
 * (restore makes a new one) with the private half wrapped by the trusted backup key, and its secret
 * record with the value in plaintext (the whole payload is sealed under the backup KEK, as a secret
 * backup's is).
 */
export interface BackedUpCertificateVersion {
  certificate: CertificateVersionRecord;
  key: Omit<KeyVersionRecord, 'hsmKeyId'> & { family: 'RSA' | 'EC'; wrapped: string };
  secret: Omit<SecretVersionRecord, 'value'> & { value: string };
}

export interface CertificateBackupPayload {
  name: string;
  policy: CertificatePolicy;
  versions: BackedUpCertificateVersion[];
}

/** The certificate record of a read-model version row (what its event carried). */
function certificateRecordOfRow(row: CertificateVersionRow): CertificateVersionRecord {
  return {
    version: row.version, cer: row.cer, x5t: row.x5t, serialNumber: row.serialNumber, subject: row.subject, issuer: row.issuer,
    chain: JSON.parse(row.chain) as string[], attributes: { enabled: row.enabled, nbf: row.nbf, exp: row.exp },
    ...(row.tags && { tags: JSON.parse(row.tags) as Record<string, string> }), created: row.created, updated: row.updated,
  };
}

/**
 * A certificate's backup: every version with its key (key.export: wrapped by the vault's trusted backup
 * key, as a key backup is) and its secret, plus the policy. On restore each version's key is unwrapped
 * into the HSM under a fresh HSM id (as a key restore does), its secret re-encrypted under the object's
 * data key, and the whole certificate recorded in one event with its version ids and policy.
 */
@Injectable()
export class CertificateBackupFormat implements BackupFormat<CertificateBackupPayload, CertificateVersionParts[], LoadedCertificate, CertificateCommand> {
  constructor(
    private readonly reader: CertificateReader,
    private readonly certificates: CertificateReadModel,
    private readonly readModel: ReadModel,
    private readonly crypto: KeyCryptoClient,
    private readonly values: SecretValuesService,
    private readonly names: CertificateNames,
    private readonly versions: CertificateVersions,
  ) {}

  isPayload(p: unknown): p is CertificateBackupPayload {
    const payload = p as CertificateBackupPayload;
    return typeof payload === 'object' && payload !== null && OBJECT_NAME.test(payload.name) && typeof payload.policy === 'object'
      && Array.isArray(payload.versions) && payload.versions.length > 0
      && payload.versions.every((v) => typeof v === 'object' && v !== null && VERSION_ID.test(v.certificate?.version)
        && v.key?.version === v.certificate.version && v.secret?.version === v.certificate.version
        && typeof v.key.wrapped === 'string' && (v.key.family === 'RSA' || v.key.family === 'EC') && typeof v.secret.value === 'string');
  }

  async payloadOf(vault: VaultRow, name: string): Promise<CertificateBackupPayload> {
    const { head } = await this.reader.version(vault.name, name);
    const versions: BackedUpCertificateVersion[] = [];
    for (const row of await this.certificates.allVersions(vault.name, name)) {
      const [keyRow, secretRow] = await Promise.all([this.readModel.getKeyVersion(vault.name, name, row.version), this.readModel.getSecretVersion(vault.name, name, row.version)]);
      if (!keyRow || !secretRow) throw new Error(`certificate ${vault.name}/${name}/${row.version} has no key or secret version`);
      const { hsmKeyId, ...key } = viewOfKeyRow(keyRow);
      const { wrapped } = await this.crypto.exportKey(hsmKeyId);
      const value = await this.values.decrypt(vault.name, name, row.version, JSON.parse(secretRow.value) as EncryptedValue);
      versions.push({
        certificate: certificateRecordOfRow(row),
        key: { ...key, family: keyFamilyOf(key.kty) as 'RSA' | 'EC', wrapped },
        secret: { ...viewOfRow(secretRow), value },
      });
    }
    return { name, policy: JSON.parse(head.policy) as CertificatePolicy, versions };
  }

  /** A certificate owns the key and secret of its name: refused if a plain key or secret has it. */
  check(vault: VaultRow, payload: CertificateBackupPayload): Promise<void> {
    return this.names.assertFree(vault.name, payload.name);
  }

  async make(vault: VaultRow, payload: CertificateBackupPayload, _loaded: LoadedCertificate, made: Material): Promise<CertificateVersionParts[]> {
    const { name } = payload;
    const dek = await this.versions.dataKeyFor(vault, name, made);
    const restored: CertificateVersionParts[] = [];
    for (const { certificate, key: { family, wrapped, ...key }, secret } of payload.versions) {
      const hsmKeyId = hsmKeyIdOf(vault.name, name, newVersionId());
      made.hsmKeyIds.push(hsmKeyId);
      const publicKey = await this.crypto.restoreKey({ hsmKeyId, kty: family, wrapped, publicKey: key.publicKey });
      const value = await this.values.encrypt(vault.name, name, certificate.version, dek, secret.value);
      restored.push({ certificate, key: { ...key, hsmKeyId, publicKey }, secret: { ...secret, value } });
    }
    return restored;
  }

  command(payload: CertificateBackupPayload, restored: CertificateVersionParts[] | undefined, now: Date): CertificateCommand {
    return { type: 'RestoreCertificate', name: payload.name, policy: payload.policy, versions: restored ?? payload.versions.map((v) => dryRunParts(v.certificate.version)), now };
  }
}
