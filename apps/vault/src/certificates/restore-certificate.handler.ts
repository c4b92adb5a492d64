import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CertificateBundle, CertificateRestored, CertificateRestoreRequest, CertificateVersionParts, DataActions, hsmKeyIdOf, Patterns,
} from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { BackupSealer } from '../crypto/backup-sealer';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { newVersionId } from '../keys/new-key-version';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { SecretValuesService } from '../secrets/secret-values.service';
import { VaultDirectory } from '../vaults/vault-directory';
import { isCertificateBackup } from './certificate-backup.payload';
import { CertificateCommands } from './certificate-commands';
import { CertificateNames } from './certificate-names';
import { CertificateVersions } from './certificate-versions';
import { CertificateReader } from './certificate.reader';
import { dryRunParts } from './dry-run-parts';

/**
 * Restores a certificate backup into this vault: each version's key is unwrapped into the HSM under
 * a fresh HSM id (as a key restore does), its secret re-encrypted under the object's data key, and
 * the whole certificate recorded in one event with its version ids and policy. Refused if the name
 * exists or is deleted (the decider's restore rule).
 */
@Controller()
export class RestoreCertificateHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly sealer: BackupSealer,
    private readonly names: CertificateNames,
    private readonly crypto: KeyCryptoClient,
    private readonly versions: CertificateVersions,
    private readonly values: SecretValuesService,
    private readonly commands: CertificateCommands,
    private readonly reader: CertificateReader,
  ) {}

  @MessagePattern(Patterns.certificate('restore'))
  @Access(DataActions.certificatesRestore, vaultScope)
  async handle(@Payload() req: CertificateRestoreRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateBundle> {
    const vault = await this.vaults.require(vaultName);
    const payload = await this.sealer.open('certificate', req.value, isCertificateBackup);
    const { name } = payload;
    await this.names.assertFree(vaultName, name);
    await this.commands.runMaking<CertificateRestored, CertificateVersionParts[]>(vaultName, name, request, {
      version: false,
      make: async (_loaded, made) => {
        const dek = await this.versions.dataKeyFor(vault, name, made);
        const restored: CertificateVersionParts[] = [];
        for (const { certificate, key: { family, wrapped, ...key }, secret } of payload.versions) {
          const hsmKeyId = hsmKeyIdOf(vaultName, name, newVersionId());
          made.hsmKeyIds.push(hsmKeyId);
          const publicKey = await this.crypto.restoreKey({ hsmKeyId, kty: family, wrapped, publicKey: key.publicKey });
          const value = await this.values.encrypt(vaultName, name, certificate.version, dek, secret.value);
          restored.push({ certificate, key: { ...key, hsmKeyId, publicKey }, secret: { ...secret, value } });
        }
        return restored;
      },
      command: (restored, now) => ({ type: 'RestoreCertificate', name, policy: payload.policy, versions: restored ?? payload.versions.map((v) => dryRunParts(v.certificate.version)), now }),
    });
    return this.reader.bundle(vaultName, name);
  }
}
