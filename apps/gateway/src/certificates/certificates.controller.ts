import { Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CertificatePolicyRequest, InnerErrorCodes } from '@coffer/contracts';
import { CertificatesClient, isCofferError } from '@coffer/client';
import { FastifyRequest } from 'fastify';
import { Forwarder, VaultCall } from '../forwarder';
import { checkApiVersion } from '../http/api-version';
import { azurePage, pageRequestOf } from '../http/paging';
import { jsonObjectBody, optionalAttributes, optionalTags } from '../http/request-body';
import {
  azureCertificateBundle, azureCertificateItem, azureCertificateOperation, azureCertificatePolicy, azureDeletedCertificate, cofferPolicyRequest,
} from './azure-certificate-shapes';

type Query = Record<string, unknown>;
const queryOf = (req: FastifyRequest) => (req.query ?? {}) as Query;

/**
 * Azure Key Vault's certificates data plane, the part @azure/keyvault-certificates' CertificateClient
 * needs to create (a long-running operation polled on /pending), read, list and delete certificates.
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

  private async get(req: FastifyRequest, name: string, version: string | undefined) {
    const { certificates, call } = this.certificates(req);
    return azureCertificateBundle(call.origin, call.vault, await certificates.get(name, version || undefined, call.options));
  }
}
