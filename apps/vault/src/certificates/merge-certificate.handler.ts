import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  badParameter, CertificateCreateResult, CertificateMergeRequest, CertificateVersionParts, DataActions, InnerErrorCodes, Patterns,
  PendingCertificateRecord,
} from '@coffer/contracts';
import { certificateKeyFamily } from '@coffer/domain';
import { CertificateReadModel } from '@coffer/read-model';
import { parseCertificate, publicKeysEqual, splitCertificates } from '@coffer/x509';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope, CertificateWriter } from './certificate.kind';
import { CertificateVersions } from './certificate-versions';
import { finishedOperation } from './certificate.mapper';
import { CertificateReader } from './certificate.reader';
import { dryRunParts } from './dry-run-parts';
import { jwkOf } from './hsm-signer';
import { x509Input } from './x509-errors';

/** x5c entries: base64 DER each, or PEM text holding one or more certificates. */
function certificatesOf(x5c: string[]): Buffer[] {
  return x5c.flatMap((entry) => (entry.includes('-----BEGIN') ? splitCertificates(entry) : [Buffer.from(entry, 'base64')]));
}

/**
 * Completes a pending operation with the chain an external CA signed: the certificate whose public key
 * is the pending HSM key becomes the new version (any other is refused), the rest is kept as its chain.
 */
@Controller()
export class MergeCertificateHandler {
  constructor(
    private readonly vaults: VaultDirectory, private readonly writer: CertificateWriter, private readonly versions: CertificateVersions,
    private readonly crypto: KeyCryptoClient, private readonly reader: CertificateReader, private readonly certificates: CertificateReadModel,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.certificate('pending.merge'))
  @Access(DataActions.certificatesCreate, certificateScope)
  async handle(@Payload() req: CertificateMergeRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateCreateResult> {
    const vault = await this.vaults.require(vaultName);
    const head = await this.certificates.getCertificate(vaultName, req.name);
    // The dry run must name the pending version and key, as the real command will.
    let pendingSeen = head?.pending ? (JSON.parse(head.pending) as PendingCertificateRecord) : undefined;
    const dry = (): CertificateVersionParts => {
      const parts = dryRunParts(pendingSeen?.version ?? '');
      return { ...parts, key: { ...parts.key, hsmKeyId: pendingSeen?.key.hsmKeyId ?? '' } };
    };
    const outcome = await this.writer.runMaking(vaultName, req.name, request, {
      needs: false,
      make: async ({ state }, made) => {
        const pending = state.pending;
        const policy = state.policy;
        if (!pending || !policy) return dry();
        pendingSeen = pending;
        const certs = await x509Input('x5c', () => certificatesOf(req.x5c).map((der) => ({ der, parsed: parseCertificate(der) })));
        const leaf = certs.find((c) => publicKeysEqual(c.parsed.publicKey, jwkOf(pending.key.publicKey)));
        if (!leaf) throw badParameter('No certificate in x5c is for the pending operation\'s key: the public keys do not match.', InnerErrorCodes.PublicKeyMismatch);
        const chain = certs.filter((c) => c !== leaf).map((c) => c.der);
        const privateKeyPkcs8 = policy.key_props.exportable ? await this.crypto.exportPrivateKey(pending.key.hsmKeyId) : undefined;
        return this.versions.parts({
          vault, name: req.name, version: pending.version, hsmKeyId: pending.key.hsmKeyId, family: certificateKeyFamily(policy),
          keySize: pending.key.keySize, crv: pending.key.crv, publicKey: pending.key.publicKey, certificate: leaf.der, chain, privateKeyPkcs8,
          contentType: policy.secret_props.contentType, enabled: req.attributes?.enabled, tags: req.tags, now: this.clock.now(), made,
        });
      },
      command: (parts, now) => ({ type: 'MergeCertificate', name: req.name, parts: parts ?? dry(), now }),
    });
    const data = outcome.event.data;
    return {
      operation: finishedOperation(vaultName, req.name, pendingSeen?.issuerName ?? 'Unknown', pendingSeen?.csr ?? '', request.id, 'completed'),
      certificate: await this.reader.bundle(vaultName, req.name, data.certificate.version),
    };
  }
}
