import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Forwarder } from '../forwarder';
import { checkApiVersion } from '../http/api-version';
import { azurePage, pageRequestOf } from '../http/paging';
import { jsonObjectBody, optionalAttributes, optionalString, optionalTags, requiredString } from '../http/request-body';
import { azureBackup, azureDeletedSecret, azureSecretBundle, azureSecretItem, cofferBackup } from './azure-secret-shapes';

type Query = Record<string, unknown>;
const queryOf = (req: FastifyRequest) => (req.query ?? {}) as Query;

/**
 * Azure Key Vault's secrets data plane (what @azure/keyvault-secrets calls), each route one
 * coffer.v1 request as the caller. Bodies are read field by field: unknown fields are ignored, as
 * Azure does; Coffer validates names, sizes and values.
 */
@Controller()
export class SecretsController {
  constructor(private readonly forwarder: Forwarder) {}

  @Put('secrets/:name')
  async set(@Req() req: FastifyRequest, @Param('name') name: string) {
    checkApiVersion(queryOf(req));
    const body = jsonObjectBody(req);
    const { client, call } = this.forwarder.secrets(req);
    const bundle = await client.set(name, requiredString(body, 'value'), {
      ...call.options, contentType: optionalString(body, 'contentType'), tags: optionalTags(body), ...optionalAttributes(body),
    });
    return azureSecretBundle(call.origin, call.vault, bundle);
  }

  @Get('secrets')
  async list(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    const result = await client.listPage({ ...call.options, ...page });
    return azurePage(result, (item) => azureSecretItem(call.origin, call.vault, item), call.origin, '/secrets', apiVersion, page);
  }

  @Get('deletedsecrets')
  async listDeleted(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    const result = await client.listDeletedPage({ ...call.options, ...page });
    return azurePage(result, (item) => azureDeletedSecret(call.origin, call.vault, item), call.origin, '/deletedsecrets', apiVersion, page);
  }

  @Post('secrets/restore')
  @HttpCode(200)
  async restore(@Req() req: FastifyRequest) {
    checkApiVersion(queryOf(req));
    const body = jsonObjectBody(req);
    const { client, call } = this.forwarder.secrets(req);
    const restored = await client.restore(cofferBackup(requiredString(body, 'value')), call.options);
    return azureSecretBundle(call.origin, call.vault, restored);
  }

  @Get('secrets/:name/versions')
  async listVersions(@Req() req: FastifyRequest, @Param('name') name: string) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    const result = await client.listVersionsPage(name, { ...call.options, ...page });
    return azurePage(result, (item) => azureSecretItem(call.origin, call.vault, item), call.origin, `/secrets/${name}/versions`, apiVersion, page);
  }

  @Get('secrets/:name')
  getLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.get(req, name, undefined);
  }

  @Get('secrets/:name/:version')
  getVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.get(req, name, version);
  }

  @Patch('secrets/:name')
  updateLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.update(req, name, undefined);
  }

  @Patch('secrets/:name/:version')
  updateVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.update(req, name, version);
  }

  @Delete('secrets/:name')
  async delete(@Req() req: FastifyRequest, @Param('name') name: string) {
    checkApiVersion(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    return azureDeletedSecret(call.origin, call.vault, await client.delete(name, call.options));
  }

  @Get('deletedsecrets/:name')
  async getDeleted(@Req() req: FastifyRequest, @Param('name') name: string) {
    checkApiVersion(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    return azureDeletedSecret(call.origin, call.vault, await client.getDeleted(name, call.options));
  }

  @Delete('deletedsecrets/:name')
  @HttpCode(204)
  async purge(@Req() req: FastifyRequest, @Param('name') name: string): Promise<void> {
    checkApiVersion(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    await client.purge(name, call.options);
  }

  @Post('deletedsecrets/:name/recover')
  @HttpCode(200)
  async recover(@Req() req: FastifyRequest, @Param('name') name: string) {
    checkApiVersion(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    return azureSecretBundle(call.origin, call.vault, await client.recover(name, call.options));
  }

  @Post('secrets/:name/backup')
  @HttpCode(200)
  async backup(@Req() req: FastifyRequest, @Param('name') name: string) {
    checkApiVersion(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    return { value: azureBackup(await client.backup(name, call.options)) };
  }

  private async get(req: FastifyRequest, name: string, version: string | undefined) {
    checkApiVersion(queryOf(req));
    const { client, call } = this.forwarder.secrets(req);
    return azureSecretBundle(call.origin, call.vault, await client.get(name, version || undefined, call.options));
  }

  private async update(req: FastifyRequest, name: string, version: string | undefined) {
    checkApiVersion(queryOf(req));
    const body = jsonObjectBody(req);
    const { client, call } = this.forwarder.secrets(req);
    const updated = await client.updateProperties(name, version || undefined, {
      ...call.options, contentType: optionalString(body, 'contentType'), tags: optionalTags(body), ...optionalAttributes(body),
    });
    return azureSecretBundle(call.origin, call.vault, updated);
  }
}
