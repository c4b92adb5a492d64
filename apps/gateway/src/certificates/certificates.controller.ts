import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { CertificatePolicyRequest, ErrorCodes, InnerErrorCodes } from '@coffer/contracts';
import { CertificatesClient, isCofferError } from '@coffer/client';
import { FastifyRequest } from 'fastify';
import { Forwarder, VaultCall } from '../forwarder';
import { checkApiVersion } from '../http/api-version';
import { azurePage, pageRequestOf } from '../http/paging';
import { AzureError } from '../http/azure-error';
import { jsonObjectBody, optionalAttributes, optionalString, optionalTags, requiredString } from '../http/request-body';
import { azureBackup, cofferBackup } from '../secrets/azure-secret-shapes';
import {
  azureCertificateBundle, azureCertificateItem, azureCertificateOperation, azureCertificatePolicy, azureDeletedCertificate, cofferPolicyRequest,
} from './azure-certificate-shapes';

type Query = Record<string, unknown>;
const queryOf = (req: FastifyRequest) => (req.query ?? {}) as Query;

/**
 * Azure Key Vault's certificates data plane (what @azure/keyvault-certificates' CertificateClient
 * calls): create as a long-running operation polled on /pending, import, merge, cancel, policy and
 * properties, delete/recover/purge, backup/restore. Issuers and contacts: certificate-settings.controller.ts.
 */
@Controller()
export class CertificatesController {
  constructor(private readonly forwarder: Forwarder) {}

  @Post('certificates/:name/create')
  @HttpCode(202)
  async create(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    const body = jsonObjectBody(req);
    const { enabled } = optionalAttributes(body);
    const created = await certificates.create(name, {
      ...call.options, policy: cofferPolicyRequest(body.policy) as CertificatePolicyRequest | undefined, enabled, tags: optionalTags(body),
    });
    return azureCertificateOperation(call.origin, call.vault, created.operation);
  }

  /**
   * Azure keeps a certificate's last operation readable after it completed (the SDK's create poller
   * reads it); Coffer keeps only pending ones, so a certificate without one answers as completed.
   */
  @Get('certificates/:name/pending')
  async pending(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    try {
      return azureCertificateOperation(call.origin, call.vault, await certificates.getOperation(name, call.options));
    } catch (err) {
      if (!isCofferError(err, InnerErrorCodes.PendingOperationNotFound)) throw err;
      const current = await certificates.get(name, undefined, call.options);
      return azureCertificateOperation(call.origin, call.vault, {
        id: `coffer://${call.vault}/certificates/${name}/pending`, issuer: { name: current.policy.issuer.name }, csr: '',
        cancellation_requested: false, status: 'completed', target: `coffer://${call.vault}/certificates/${name}`, request_id: call.options.requestId ?? '',
      });
    }
  }

  @Get('certificates/:name/policy')
  async policy(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    return azureCertificatePolicy(call.origin, call.vault, name, await certificates.getPolicy(name, call.options));
  }

  /** PEM text or a base64 PFX (the SDK sends either according to the policy's content type), with its password. */
  @Post('certificates/:name/import')
  @HttpCode(200)
  async import(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    const body = jsonObjectBody(req);
    const imported = await certificates.import(name, requiredString(body, 'value'), {
      ...call.options, password: optionalString(body, 'pwd') || undefined,
      policy: cofferPolicyRequest(body.policy) as CertificatePolicyRequest | undefined, enabled: optionalAttributes(body).enabled, tags: optionalTags(body),
    });
    return azureCertificateBundle(call.origin, call.vault, imported);
  }

  /** Completes a pending operation (issuer Unknown) with the certificate an external CA signed; Azure answers 201. */
  @Post('certificates/:name/pending/merge')
  @HttpCode(201)
  async merge(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    const body = jsonObjectBody(req);
    const x5c = body.x5c;
    if (!Array.isArray(x5c) || x5c.length === 0 || x5c.some((c) => typeof c !== 'string')) throw AzureError.badParameter('x5c must be a non-empty array of base64 certificates.');
    const merged = await certificates.merge(name, x5c as string[], { ...call.options, enabled: optionalAttributes(body).enabled, tags: optionalTags(body) });
    if (!merged.certificate) throw new AzureError(409, 'Conflict', `Certificate '${name}' was not issued by the merge.`);
    return azureCertificateBundle(call.origin, call.vault, merged.certificate);
  }

  /** The SDK's poller.cancelOperation(): `{"cancellation_requested": true}`. */
  @Patch('certificates/:name/pending')
  async cancel(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    if (jsonObjectBody(req).cancellation_requested !== true) throw AzureError.badParameter('Only {"cancellation_requested": true} is accepted.');
    return azureCertificateOperation(call.origin, call.vault, await certificates.cancelOperation(name, call.options));
  }

  @Delete('certificates/:name/pending')
  async deleteOperation(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    return azureCertificateOperation(call.origin, call.vault, await certificates.deleteOperation(name, call.options));
  }

  /** The parts of the policy given replace the certificate's (the SDK sends a whole policy). */
  @Patch('certificates/:name/policy')
  async updatePolicy(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    const policy = cofferPolicyRequest(jsonObjectBody(req)) ?? {};
    return azureCertificatePolicy(call.origin, call.vault, name, await certificates.updatePolicy(name, policy as CertificatePolicyRequest, call.options));
  }

  @Patch('certificates/:name')
  updateLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.update(req, name, undefined);
  }

  @Patch('certificates/:name/:version')
  updateVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.update(req, name, version);
  }

  @Post('certificates/:name/backup')
  @HttpCode(200)
  async backup(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    return { value: azureBackup(await certificates.backup(name, call.options)) };
  }

  @Post('certificates/restore')
  @HttpCode(200)
  async restore(@Req() req: FastifyRequest) {
    const { certificates, call } = this.certificates(req);
    const restored = await certificates.restore(cofferBackup(requiredString(jsonObjectBody(req), 'value')), call.options);
    return azureCertificateBundle(call.origin, call.vault, restored);
  }

  /** `includePending` is accepted; Coffer's deleted certificates are never pending. */
  @Get('deletedcertificates')
  async listDeleted(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { certificates, call } = this.certificates(req);
    const result = await certificates.listDeletedPage({ ...call.options, ...page });
    return azurePage(result, (item) => azureDeletedCertificate(call.origin, call.vault, item), call.origin, '/deletedcertificates', apiVersion, page);
  }

  @Get('certificates')
  async list(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { certificates, call } = this.certificates(req);
    const result = await certificates.listPage({ ...call.options, ...page });
    return azurePage(result, (item) => azureCertificateItem(call.origin, call.vault, item), call.origin, '/certificates', apiVersion, page);
  }

  @Get('certificates/:name/versions')
  async listVersions(@Req() req: FastifyRequest, @Param('name') name: string) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { certificates, call } = this.certificates(req);
    const result = await certificates.listVersionsPage(name, { ...call.options, ...page });
    return azurePage(result, (item) => azureCertificateItem(call.origin, call.vault, item), call.origin, `/certificates/${name}/versions`, apiVersion, page);
  }

  @Get('certificates/:name')
  getLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.get(req, name, undefined);
  }

  @Get('certificates/:name/:version')
  getVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.get(req, name, version);
  }

  @Delete('certificates/:name')
  async delete(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    return azureDeletedCertificate(call.origin, call.vault, await certificates.delete(name, call.options));
  }

  @Get('deletedcertificates/:name')
  async getDeleted(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    return azureDeletedCertificate(call.origin, call.vault, await certificates.getDeleted(name, call.options));
  }

  @Delete('deletedcertificates/:name')
  @HttpCode(204)
  async purge(@Req() req: FastifyRequest, @Param('name') name: string): Promise<void> {
    const { certificates, call } = this.certificates(req);
    await certificates.purge(name, call.options);
  }

  @Post('deletedcertificates/:name/recover')
  @HttpCode(200)
  async recover(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { certificates, call } = this.certificates(req);
    return azureCertificateBundle(call.origin, call.vault, await certificates.recover(name, call.options));
  }

  private certificates(req: FastifyRequest): { certificates: CertificatesClient; call: VaultCall } {
    checkApiVersion(queryOf(req));
    const { requester, ...call } = this.forwarder.vaultCall(req);
    return { certificates: new CertificatesClient(requester, call.vault), call };
  }

  /** `attributes.enabled` and `tags` (nbf/exp are the certificate's own; the SDK sends no policy here: PATCH …/policy changes it). */
  private async update(req: FastifyRequest, name: string, version: string | undefined) {
    const { certificates, call } = this.certificates(req);
    const body = jsonObjectBody(req);
    const updated = await certificates.updateProperties(name, version || undefined, { ...call.options, enabled: optionalAttributes(body).enabled, tags: optionalTags(body) });
    return azureCertificateBundle(call.origin, call.vault, updated);
  }

  private async get(req: FastifyRequest, name: string, version: string | undefined) {
    const { certificates, call } = this.certificates(req);
    try {
      return azureCertificateBundle(call.origin, call.vault, await certificates.get(name, version || undefined, call.options));
    } catch (err) {
      if (version || !isCofferError(err, ErrorCodes.CertificateNotFound)) throw err;
      return this.pendingCertificate(certificates, call, name, err);
    }
  }

  /**
   * Azure shows a certificate whose first operation is pending (no `cer`, disabled); the SDK's
   * getCertificateOperation poller reads it first. Coffer has no version yet, so the id has none.
   */
  private async pendingCertificate(certificates: CertificatesClient, call: VaultCall, name: string, notFound: unknown) {
    const operation = await certificates.getOperation(name, call.options).catch(() => undefined);
    if (!operation) throw notFound;
    const policy = await certificates.getPolicy(name, call.options);
    return {
      id: `${call.origin}/certificates/${name}`,
      attributes: { enabled: false },
      tags: {},
      contentType: policy.secret_props.contentType,
      policy: azureCertificatePolicy(call.origin, call.vault, name, policy),
    };
  }
}
