import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  badParameter, CertificateBundle, CertificateImportRequest, DataActions, hsmKeyIdOf, InnerErrorCodes,
  Patterns,
} from '@coffer/contracts';
import { importedCertificatePolicy } from '@coffer/domain';
import { publicKeysEqual } from '@coffer/x509';
import { JsonWebKey } from 'node:crypto';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { newVersionId } from '../keys/new-key-version';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { forgetPrivateKey, readCertificateImport } from './certificate-import.reader';
import { certificateScope, CertificateWriter } from './certificate.kind';
import { CertificateNames } from './certificate-names';
import { CertificateVersions } from './certificate-versions';
import { CertificateReader } from './certificate.reader';
import { dryRunParts } from './dry-run-parts';
import { jwkOf } from './hsm-signer';

/**
 * Imports a certificate with its private key (PFX or PEM): the key goes into the HSM (extractable
 * only to the caller when the policy makes it exportable), the certificate, key and secret are
 * written in one event, as for an issued version. The policy is derived from the certificate.
 */
@Controller()
export class ImportCertificateHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly names: CertificateNames,
    private readonly writer: CertificateWriter,
    private readonly versions: CertificateVersions,
    private readonly crypto: KeyCryptoClient,
    private readonly reader: CertificateReader,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.certificate('import'))
  @Access(DataActions.certificatesImport, certificateScope)
  async handle(@Payload() req: CertificateImportRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateBundle> {
    const vault = await this.vaults.require(vaultName);
    const imported = await readCertificateImport(req.value, req.password);
    try {
      const policy = importedCertificatePolicy(imported.facts, req.policy);
      await this.names.assertFree(vaultName, req.name);
      const version = newVersionId();
      const hsmKeyId = hsmKeyIdOf(vaultName, req.name, version);
      const exportable = policy.key_props.exportable;
      const outcome = await this.writer.runMaking(vaultName, req.name, request, {
        needs: false,
        make: async (_loaded, made) => {
          made.hsmKeyIds.push(hsmKeyId);
          const publicKey = await this.crypto.importKey(hsmKeyId, imported.jwk, { exportable });
          // readPfx / readPemBundle paired key and certificate; the HSM's view of the key is checked too.
          if (!publicKeysEqual(jwkOf(publicKey), imported.facts.kty === 'RSA' ? pickPublic(imported.jwk, ['n', 'e']) : pickPublic(imported.jwk, ['crv', 'x', 'y']))) {
            throw badParameter('The private key does not belong to the certificate.', InnerErrorCodes.PublicKeyMismatch);
          }
          return this.versions.parts({
            vault, name: req.name, version, hsmKeyId, family: imported.facts.kty, keySize: imported.facts.keySize, crv: imported.facts.crv, publicKey,
            certificate: imported.certificate, chain: imported.chain, privateKeyPkcs8: exportable ? Buffer.from(imported.privateKeyPkcs8) : undefined,
            contentType: policy.secret_props.contentType, enabled: req.attributes?.enabled, tags: req.tags, now: this.clock.now(), made,
          });
        },
        command: (parts, now) => ({ type: 'ImportCertificate', name: req.name, policy, parts: parts ?? dryRunParts(version), now }),
      });
      return await this.reader.bundle(vaultName, req.name, outcome.event.data.certificate.version);
    } finally {
      forgetPrivateKey(imported);
    }
  }
}

const pickPublic = (jwk: Record<string, string>, members: string[]): JsonWebKey =>
  ({ kty: jwk.kty, ...Object.fromEntries(members.map((m) => [m, jwk[m]])) }) as JsonWebKey;
