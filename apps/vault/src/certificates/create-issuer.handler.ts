import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  badParameter, DataActions, hsmKeyIdOf, InnerErrorCodes, IssuerBundle, IssuerCreateRequest, IssuerEvent, IssuerRecord, Patterns, RSA_KEY_SIZES, Streams,
} from '@coffer/contracts';
import { alreadyExists, decideIssuer, IssuerCommand, IssuerDecisions, IssuerState } from '@coffer/domain';
import { CertificateReadModel } from '@coffer/read-model';
import { addValidityMonths, issueCertificate, parseCertificate, parseDistinguishedName } from '@coffer/x509';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { newVersionId } from '../keys/new-key-version';
import { MaterialHook } from '../objects/material-hook';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { CertificateIssuance } from './certificate-issuance';
import { toIssuerBundle } from './certificate.mapper';
import { hsmSigner, jwkOf } from './hsm-signer';
import { IssuerWriter } from './issuer-writer';
import { x509Input } from './x509-errors';

const CA_CURVES = ['P-256', 'P-384', 'P-521'];

/**
 * Makes an internal CA: a non-exportable HSM key and a CA certificate, self-signed (root) or signed by
 * another issuer of the vault (intermediate), made through the MaterialHook: the key is destroyed if the issuer is not recorded.
 */
@Controller()
export class CreateIssuerHandler {
  constructor(
    private readonly vaults: VaultDirectory, private readonly writer: IssuerWriter, private readonly issuance: CertificateIssuance,
    private readonly crypto: KeyCryptoClient, private readonly certificates: CertificateReadModel, private readonly clock: Clock,
    private readonly material: MaterialHook,
  ) {}

  @MessagePattern(Patterns.issuer('create'))
  @Access(DataActions.certificateIssuersWrite, vaultScope)
  async handle(@Payload() req: IssuerCreateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<IssuerBundle> {
    await this.vaults.require(vaultName);
    const family = (req.kty ?? 'EC').replace(/-HSM$/, '') as 'RSA' | 'EC';
    if (family === 'RSA' && !(RSA_KEY_SIZES as readonly number[]).includes(req.key_size ?? 2048)) throw badParameter(`key_size must be one of ${RSA_KEY_SIZES.join(', ')}.`);
    if (family === 'EC' && req.crv && !CA_CURVES.includes(req.crv)) throw badParameter(`crv must be one of ${CA_CURVES.join(', ')} for a CA key.`);
    if ((await this.writer.load(vaultName, req.name)).exists) throw alreadyExists('Issuer', req.name);
    const parent = req.parent ? await this.issuance.issuer(vaultName, req.parent) : undefined;
    // The subject is checked before an HSM key is made for it.
    await x509Input('subject', () => parseDistinguishedName(req.subject));

    const hsmKeyId = hsmKeyIdOf(vaultName, req.name, newVersionId());
    const now = this.clock.now();
    const outcome = await this.material.run<IssuerState, IssuerCommand, IssuerEvent, { state: IssuerState }, IssuerRecord, IssuerDecisions['CreateIssuer']>({
      subject: Streams.events.issuer(vaultName, req.name),
      request,
      load: async () => ({ state: await this.writer.load(vaultName, req.name) }),
      decide: decideIssuer,
    }, {
      make: async (_loaded, made) => {
        made.hsmKeyIds.push(hsmKeyId);
        const publicKey = await this.crypto.generate(hsmKeyId, family, family === 'RSA' ? { size: req.key_size ?? 2048 } : { crv: req.crv ?? 'P-256' });
        const pathLength = req.path_length ?? (parent ? 0 : undefined);
        const common = {
          subject: req.subject, subjectPublicKey: jwkOf(publicKey), notBefore: now,
          notAfter: addValidityMonths(now, req.validity_months ?? (parent ? 60 : 120)), ca: { ...(pathLength !== undefined && { pathLength }) },
        };
        const cer = parent
          ? await x509Input('issuer', () => issueCertificate({ ...common, issuer: { certificate: Buffer.from(parent.cer, 'base64') }, signer: hsmSigner(this.crypto, parent.hsmKeyId, parent.publicKey) }))
          : await x509Input('issuer', () => issueCertificate({ ...common, issuer: 'self', signer: hsmSigner(this.crypto, hsmKeyId, publicKey) }));
        const parsed = parseCertificate(cer);
        return {
          name: req.name, ...(parent && { parent: parent.name }), hsmKeyId, kty: family, publicKey, cer: cer.toString('base64'),
          chain: parent ? [parent.cer, ...parent.chain] : [], subject: parsed.subject, serialNumber: parsed.serialNumber,
          notBefore: parsed.notBefore.toISOString(), notAfter: parsed.notAfter.toISOString(), created: now.toISOString(),
        };
      },
      // The dry run only needs the name: the decider checks that no issuer has it.
      command: (issuer) => ({ type: 'CreateIssuer', issuer: issuer ?? ({ name: req.name } as IssuerRecord) }),
    });
    const row = await this.certificates.getIssuer(vaultName, outcome.event.data.name);
    if (!row) throw badParameter(`Issuer '${req.name}' was not found.`, InnerErrorCodes.IssuerNotFound);
    return toIssuerBundle(vaultName, row, 0);
  }
}
