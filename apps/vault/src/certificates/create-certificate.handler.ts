import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CertificateCreateRequest, CertificateCreateResult, CertificatePolicy, CertificateVersionParts, DataActions,
  hsmKeyIdOf, Patterns, PendingCertificateRecord,
} from '@coffer/contracts';
import { certificateKeyFamily, issuerKindOf, resolveCertificatePolicy } from '@coffer/domain';
import { CertificateReadModel, VaultRow } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { newVersionId } from '../keys/new-key-version';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { Material } from '../objects/object-kind';
import { CertificateIssuance, SubjectKey } from './certificate-issuance';
import { certificateScope, CertificateWriter } from './certificate.kind';
import { CertificateNames } from './certificate-names';
import { CertificateVersions } from './certificate-versions';
import { finishedOperation, pendingOperation } from './certificate.mapper';
import { CertificateReader } from './certificate.reader';
import { dryRunParts } from './dry-run-parts';
import { ReusedCertificateKey } from './reused-certificate-key';

/**
 * Creates a certificate (or its next version) from a policy: a new HSM key, then a certificate signed
 * with it (Self) or with a Coffer issuer's key, written with its key and secret in one event; the
 * operation completes at once. With issuer Unknown the operation stays pending with a CSR.
 */
@Controller()
export class CreateCertificateHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly names: CertificateNames,
    private readonly writer: CertificateWriter,
    private readonly issuance: CertificateIssuance,
    private readonly versions: CertificateVersions,
    private readonly crypto: KeyCryptoClient,
    private readonly reader: CertificateReader,
    private readonly certificates: CertificateReadModel,
    private readonly reusedKey: ReusedCertificateKey,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.certificate('create'))
  @Access(DataActions.certificatesCreate, certificateScope)
  async handle(@Payload() req: CertificateCreateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateCreateResult> {
    const vault = await this.vaults.require(vaultName);
    const policy = resolveCertificatePolicy(req.policy, await this.currentPolicy(vaultName, req.name));
    await this.names.assertFree(vaultName, req.name);
    const kind = issuerKindOf(policy);
    if (kind.kind === 'internal') await this.issuance.issuer(vaultName, kind.name);
    const version = newVersionId();
    const hsmKeyId = hsmKeyIdOf(vaultName, req.name, version);
    if (kind.kind === 'unknown') return this.startPending(vault, req, policy, version, hsmKeyId, request);

    const outcome = await this.writer.runMaking(vaultName, req.name, request, {
      needs: false,
      make: async (loaded, made) => {
        const reused = policy.key_props.reuse_key && loaded.state.currentVersion
          ? await this.reusedKey.of(vaultName, req.name, loaded.state.currentVersion, policy) : undefined;
        return this.issue(vault, req, policy, version, reused ?? { hsmKeyId, publicKey: await this.issuance.makeKey(hsmKeyId, policy, made) }, made);
      },
      command: (parts, now) => ({
        type: 'IssueCertificate', name: req.name, policy, issuerName: policy.issuer.name, parts: parts ?? dryRunParts(version), ifMatch: req.ifMatch, now,
      }),
    });
    const data = outcome.event.data;
    return {
      operation: finishedOperation(vaultName, req.name, data.issuerName, '', outcome.event.metadata.requestId, 'completed'),
      certificate: await this.reader.bundle(vaultName, req.name, data.certificate.version),
    };
  }

  /** A new version of an existing certificate follows its policy (parts the request gives replace those); a new certificate, the default one. */
  private async currentPolicy(vault: string, name: string): Promise<CertificatePolicy | undefined> {
    const head = await this.certificates.getCertificate(vault, name);
    return head?.status === 'active' ? (JSON.parse(head.policy) as CertificatePolicy) : undefined;
  }

  /** Signs the certificate for `key` (new, or the current version's with reuse_key) and builds the version's records. */
  private async issue(vault: VaultRow, req: CertificateCreateRequest, policy: CertificatePolicy, version: string, key: SubjectKey, made: Material): Promise<CertificateVersionParts> {
    // The injected clock (dev-shifted in dev mode), so a renewed version's validity follows the vault's time.
    const now = this.clock.now();
    const { hsmKeyId, publicKey } = key;
    const { certificate, chain } = await this.issuance.sign(vault.name, policy, key, now);
    const privateKeyPkcs8 = policy.key_props.exportable ? await this.crypto.exportPrivateKey(hsmKeyId) : undefined;
    return this.versions.parts({
      vault, name: req.name, version, hsmKeyId, family: certificateKeyFamily(policy), keySize: policy.key_props.key_size, crv: policy.key_props.crv,
      publicKey, certificate, chain, privateKeyPkcs8, contentType: policy.secret_props.contentType, enabled: req.attributes?.enabled, tags: req.tags, now, made,
    });
  }

  private async startPending(
    vault: VaultRow, req: CertificateCreateRequest, policy: CertificatePolicy, version: string, hsmKeyId: string, request: RequestKey,
  ): Promise<CertificateCreateResult> {
    const outcome = await this.writer.runMaking(vault.name, req.name, request, {
      needs: false,
      make: async (_loaded, made): Promise<PendingCertificateRecord> => {
        const publicKey = await this.issuance.makeKey(hsmKeyId, policy, made);
        const csr = await this.issuance.csr(policy, { hsmKeyId, publicKey });
        const created = this.clock.now().toISOString();
        return {
          version, issuerName: policy.issuer.name, csr: csr.toString('base64'), requestId: request.id, created,
          key: {
            version, hsmKeyId, kty: `${certificateKeyFamily(policy)}-HSM`, ...(policy.key_props.key_size && { keySize: policy.key_props.key_size }),
            ...(policy.key_props.crv && { crv: policy.key_props.crv }), keyOps: certificateKeyFamily(policy) === 'RSA'
              ? ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'] : ['sign', 'verify'],
            publicKey, attributes: { enabled: true }, created, updated: created,
          },
        };
      },
      command: (pending, now) => ({
        type: 'StartCertificateOperation', name: req.name, policy, ifMatch: req.ifMatch, now,
        pending: pending ?? { version, issuerName: policy.issuer.name, csr: '', requestId: request.id, created: '', key: dryRunParts(version).key },
      }),
    });
    return { operation: pendingOperation(vault.name, req.name, outcome.event.data.pending) };
  }
}
