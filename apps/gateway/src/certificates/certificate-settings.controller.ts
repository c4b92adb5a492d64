import { Controller, Delete, Get, Param, Patch, Put, Req } from '@nestjs/common';
import { CertificateContact, InnerErrorCodes, IssuerBundle } from '@coffer/contracts';
import { CertificatesClient, IssuersClient, isCofferError } from '@coffer/client';
import { FastifyRequest } from 'fastify';
import { Forwarder, VaultCall } from '../forwarder';
import { AzureError } from '../http/azure-error';
import { checkApiVersion } from '../http/api-version';
import { azurePage, pageRequestOf } from '../http/paging';
import { jsonObjectBody, optionalString } from '../http/request-body';
import { azureId, epochSeconds } from '../secrets/azure-secret-shapes';

type Query = Record<string, unknown>;
const queryOf = (req: FastifyRequest) => (req.query ?? {}) as Query;

/** The one issuer provider Coffer has: its own internal CAs (HSM keys); it holds no credentials for external CAs. */
export const COFFER_PROVIDER = 'Coffer';

function azureIssuer(call: VaultCall, issuer: IssuerBundle): Record<string, unknown> {
  return {
    id: azureId(call.origin, call.vault, issuer.id),
    provider: COFFER_PROVIDER,
    attributes: { enabled: issuer.attributes.enabled, created: epochSeconds(issuer.attributes.created), updated: epochSeconds(issuer.attributes.updated) },
  };
}

function contactsOf(body: Record<string, unknown>): CertificateContact[] {
  const list = body.contacts;
  if (!Array.isArray(list)) throw AzureError.badParameter('contacts must be an array.');
  return list.map((c: unknown) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw AzureError.badParameter('Each contact must be an object.');
    const contact = c as Record<string, unknown>;
    const name = optionalString(contact, 'name');
    const phone = optionalString(contact, 'phone');
    return { email: optionalString(contact, 'email') ?? '', ...(name !== undefined && { name }), ...(phone !== undefined && { phone }) };
  });
}

/**
 * A vault's certificate settings in Azure's shape: issuers (`/certificates/issuers`) are Coffer's
 * internal CAs (provider `Coffer`), contacts (`/certificates/contacts`) the vault's contacts. Static
 * path segments win over `certificates/:name`, as in Azure (no certificate is named `issuers` or `contacts`).
 */
@Controller('certificates')
export class CertificateSettingsController {
  constructor(private readonly forwarder: Forwarder) {}

  @Get('issuers')
  async listIssuers(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { issuers, call } = this.issuers(req);
    const result = await issuers.listPage({ ...call.options, ...page });
    return azurePage(result, (item) => ({ id: azureId(call.origin, call.vault, item.id), provider: COFFER_PROVIDER }), call.origin, '/certificates/issuers', apiVersion, page);
  }

  @Get('issuers/:name')
  async getIssuer(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { issuers, call } = this.issuers(req);
    return azureIssuer(call, await issuers.get(name, call.options));
  }

  /**
   * Azure's set-issuer with provider `Coffer` makes an internal root CA named `name` (subject
   * `CN=<name>`, the vault's default CA key), or answers the existing one: PUT is idempotent.
   * Other providers (DigiCert, GlobalSign, …) are external CAs Coffer does not call.
   */
  @Put('issuers/:name')
  async setIssuer(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { issuers, call } = this.issuers(req);
    const body = jsonObjectBody(req);
    assertCofferProvider(body);
    try {
      return azureIssuer(call, await issuers.create(name, `CN=${name}`, call.options));
    } catch (err) {
      if (!isCofferError(err, InnerErrorCodes.ObjectAlreadyExists)) throw err;
      return azureIssuer(call, await issuers.get(name, call.options));
    }
  }

  /** Coffer's CAs have nothing Azure's update could change: a patch that changes nothing answers the issuer, anything else is refused. */
  @Patch('issuers/:name')
  async updateIssuer(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { issuers, call } = this.issuers(req);
    const body = jsonObjectBody(req);
    assertCofferProvider(body);
    const attributes = body.attributes as Record<string, unknown> | undefined;
    if (attributes?.enabled === false) throw notSupported('An internal CA cannot be disabled.');
    return azureIssuer(call, await issuers.get(name, call.options));
  }

  @Delete('issuers/:name')
  deleteIssuer(): never {
    throw notSupported('An internal CA cannot be deleted: certificates it issued and its CRL depend on it.');
  }

  @Put('contacts')
  async setContacts(@Req() req: FastifyRequest) {
    const { certificates, call } = this.certificates(req);
    const set = await certificates.setContacts(contactsOf(jsonObjectBody(req)), call.options);
    return { id: azureId(call.origin, call.vault, set.id), contacts: set.contacts };
  }

  @Get('contacts')
  async getContacts(@Req() req: FastifyRequest) {
    const { certificates, call } = this.certificates(req);
    const got = await certificates.getContacts(call.options);
    // Azure answers 404 for a vault without contacts; Coffer's vault answers an empty list.
    if (got.contacts.length === 0) throw new AzureError(404, 'NotFound', 'The vault has no certificate contacts.', InnerErrorCodes.ContactsNotFound);
    return { id: azureId(call.origin, call.vault, got.id), contacts: got.contacts };
  }

  @Delete('contacts')
  async deleteContacts(@Req() req: FastifyRequest) {
    const { certificates, call } = this.certificates(req);
    const deleted = await certificates.deleteContacts(call.options);
    return { id: azureId(call.origin, call.vault, deleted.id), contacts: deleted.contacts };
  }

  private issuers(req: FastifyRequest): { issuers: IssuersClient; call: VaultCall } {
    checkApiVersion(queryOf(req));
    const { requester, ...call } = this.forwarder.vaultCall(req);
    return { issuers: new IssuersClient(requester, call.vault), call };
  }

  private certificates(req: FastifyRequest): { certificates: CertificatesClient; call: VaultCall } {
    checkApiVersion(queryOf(req));
    const { requester, ...call } = this.forwarder.vaultCall(req);
    return { certificates: new CertificatesClient(requester, call.vault), call };
  }
}

function assertCofferProvider(body: Record<string, unknown>): void {
  const provider = optionalString(body, 'provider');
  if (provider !== undefined && provider !== COFFER_PROVIDER) {
    throw AzureError.badParameter(`Issuer provider '${provider.slice(0, 64)}' is not supported: Coffer issues from its own CAs (provider '${COFFER_PROVIDER}').`);
  }
}

const notSupported = (message: string) => AzureError.badParameter(message, 'OperationNotSupported');
