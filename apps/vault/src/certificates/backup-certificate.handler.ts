import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BackupBlob, CertificateNameRequest, CertificatePolicy, DataActions, EncryptedValue, keyFamilyOf, Patterns } from '@coffer/contracts';
import { CertificateReadModel, ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { BackupSealer } from '../crypto/backup-sealer';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { viewOfKeyRow } from '../keys/key.mapper';
import { VaultName } from '../request/request-context.decorators';
import { SecretValuesService } from '../secrets/secret-values.service';
import { viewOfRow } from '../secrets/secret.mapper';
import { BackedUpCertificateVersion, CertificateBackupPayload, certificateRecordOfRow } from './certificate-backup.payload';
import { certificateScope } from './certificate-scope';
import { CertificateReader } from './certificate.reader';

/**
 * Every version of a certificate with its key (key.export: wrapped by the vault's trusted backup key,
 * as a key backup is) and its secret, plus the policy, sealed in a blob only this Coffer can open.
 */
@Controller()
export class BackupCertificateHandler {
  constructor(
    private readonly reader: CertificateReader,
    private readonly certificates: CertificateReadModel,
    private readonly readModel: ReadModel,
    private readonly crypto: KeyCryptoClient,
    private readonly values: SecretValuesService,
    private readonly sealer: BackupSealer,
  ) {}

  @MessagePattern(Patterns.certificate('backup'))
  @Access(DataActions.certificatesBackup, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string): Promise<BackupBlob> {
    const { head } = await this.reader.version(vaultName, req.name);
    const versions: BackedUpCertificateVersion[] = [];
    for (const row of await this.certificates.allVersions(vaultName, req.name)) {
      const [keyRow, secretRow] = await Promise.all([
        this.readModel.getKeyVersion(vaultName, req.name, row.version), this.readModel.getSecretVersion(vaultName, req.name, row.version),
      ]);
      if (!keyRow || !secretRow) throw new Error(`certificate ${vaultName}/${req.name}/${row.version} has no key or secret version`);
      const { hsmKeyId, ...key } = viewOfKeyRow(keyRow);
      const { wrapped } = await this.crypto.exportKey(hsmKeyId);
      const value = await this.values.decrypt(vaultName, req.name, row.version, JSON.parse(secretRow.value) as EncryptedValue);
      versions.push({
        certificate: certificateRecordOfRow(row),
        key: { ...key, family: keyFamilyOf(key.kty) as 'RSA' | 'EC', wrapped },
        secret: { ...viewOfRow(secretRow), value },
      });
    }
    const payload: CertificateBackupPayload = { name: req.name, policy: JSON.parse(head.policy) as CertificatePolicy, versions };
    return { value: await this.sealer.seal('certificate', payload) };
  }
}
