import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { Curve, EncryptionAlgorithm, KeyOp, LifetimeAction, RequestedKeyType, SignatureAlgorithm, WrapAlgorithm } from '@coffer/contracts';
import { KeysClient } from '@coffer/client';
import { FastifyRequest } from 'fastify';
import { Forwarder, VaultCall } from '../forwarder';
import { AzureError } from '../http/azure-error';
import { checkApiVersion } from '../http/api-version';
import { azurePage, pageRequestOf } from '../http/paging';
import { jsonObjectBody, optionalAttributes, optionalString, optionalTags, requiredString } from '../http/request-body';
import { azureBackup, cofferBackup } from '../secrets/azure-secret-shapes';
import { azureDeletedKey, azureKeyBundle, azureKeyItem, azureKeyOperation, azureRotationPolicy, IMPORT_JWK_MEMBERS } from './azure-key-shapes';

type Query = Record<string, unknown>;
const queryOf = (req: FastifyRequest) => (req.query ?? {}) as Query;

function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw AzureError.badParameter(`${field} must be an integer.`);
  return v;
}

function optionalStringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw AzureError.badParameter(`${field} must be an array of strings.`);
  return v as string[];
}

/** Exportable keys and release policies (secure key release) are refused: Coffer never lets key material out in the clear. */
function refuseRelease(body: Record<string, unknown>): void {
  const attributes = body.attributes as Record<string, unknown> | undefined;
  if (attributes?.exportable === true || (body.release_policy !== undefined && body.release_policy !== null)) {
    throw AzureError.badParameter('Exportable keys and release policies are not supported: Coffer keys never leave the HSM in the clear.', 'KeyNotExportable');
  }
}

/**
 * Azure Key Vault's keys data plane (what @azure/keyvault-keys' KeyClient and CryptographyClient
 * call): create, get, list, update, delete/recover/purge, and the key operations, each one coffer.v1
 * request as the caller. Binary values are base64url on both sides and pass through unchanged.
 */
@Controller()
export class KeysController {
  constructor(private readonly forwarder: Forwarder) {}

  @Post('keys/:name/create')
  @HttpCode(200)
  async create(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call, body } = this.write(req);
    refuseRelease(body);
    const bundle = await keys.create(name, requiredString(body, 'kty') as RequestedKeyType, {
      ...call.options,
      size: optionalNumber(body, 'key_size'), publicExponent: optionalNumber(body, 'public_exponent'),
      curve: optionalString(body, 'crv') as Curve | undefined, keyOps: optionalStringList(body, 'key_ops') as KeyOp[] | undefined,
      tags: optionalTags(body), ...optionalAttributes(body),
    });
    return azureKeyBundle(call.origin, call.vault, bundle);
  }

  @Put('keys/:name')
  async import(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call, body } = this.write(req);
    refuseRelease(body);
    const key = body.key;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw AzureError.badParameter('key must be a JSON Web Key object.');
    const jwk = key as Record<string, unknown>;
    const members: Record<string, unknown> = Object.fromEntries(IMPORT_JWK_MEMBERS.filter((m) => jwk[m] !== undefined && jwk[m] !== null).map((m) => [m, jwk[m]]));
    // Azure's `RSA-HSM`/`EC-HSM`/`oct-HSM` ask for an HSM-protected key: every Coffer key is one.
    if (typeof members.kty === 'string') members.kty = members.kty.replace(/-HSM$/, '');
    const bundle = await keys.import(name, members, {
      ...call.options, keyOps: optionalStringList(jwk, 'key_ops') as KeyOp[] | undefined, tags: optionalTags(body), ...optionalAttributes(body),
    });
    return azureKeyBundle(call.origin, call.vault, bundle);
  }

  @Post('keys/:name/rotate')
  @HttpCode(200)
  async rotate(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call } = this.keys(req);
    return azureKeyBundle(call.origin, call.vault, await keys.rotate(name, call.options));
  }

  @Get('keys/:name/rotationpolicy')
  async getRotationPolicy(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call } = this.keys(req);
    return azureRotationPolicy(call.origin, call.vault, await keys.getRotationPolicy(name, call.options));
  }

  @Put('keys/:name/rotationpolicy')
  async setRotationPolicy(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call, body } = this.write(req);
    const actions = body.lifetimeActions ?? [];
    if (!Array.isArray(actions)) throw AzureError.badParameter('lifetimeActions must be an array.');
    const attributes = (body.attributes ?? {}) as Record<string, unknown>;
    const expiryTime = typeof attributes === 'object' ? optionalString(attributes, 'expiryTime') : undefined;
    const policy = await keys.setRotationPolicy(name, { lifetimeActions: actions as LifetimeAction[], expiryTime }, call.options);
    return azureRotationPolicy(call.origin, call.vault, policy);
  }

  @Post('keys/:name/backup')
  @HttpCode(200)
  async backup(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call } = this.keys(req);
    return { value: azureBackup(await keys.backup(name, call.options)) };
  }

  @Post('keys/restore')
  @HttpCode(200)
  async restore(@Req() req: FastifyRequest) {
    const { keys, call, body } = this.write(req);
    return azureKeyBundle(call.origin, call.vault, await keys.restore(cofferBackup(requiredString(body, 'value')), call.options));
  }

  @Post('rng')
  @HttpCode(200)
  async random(@Req() req: FastifyRequest) {
    const { keys, call, body } = this.write(req);
    const count = optionalNumber(body, 'count');
    if (count === undefined) throw AzureError.badParameter('count is required.');
    return { value: (await keys.random(count, call.options)).value };
  }

  @Get('keys')
  async list(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { keys, call } = this.keys(req);
    const result = await keys.listPage({ ...call.options, ...page });
    return azurePage(result, (item) => azureKeyItem(call.origin, call.vault, item), call.origin, '/keys', apiVersion, page);
  }

  @Get('keys/:name/versions')
  async listVersions(@Req() req: FastifyRequest, @Param('name') name: string) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { keys, call } = this.keys(req);
    const result = await keys.listVersionsPage(name, { ...call.options, ...page });
    return azurePage(result, (item) => azureKeyItem(call.origin, call.vault, item), call.origin, `/keys/${name}/versions`, apiVersion, page);
  }

  @Get('keys/:name')
  getLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.get(req, name, undefined);
  }

  @Get('keys/:name/:version')
  getVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.get(req, name, version);
  }

  @Patch('keys/:name')
  updateLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.update(req, name, undefined);
  }

  @Patch('keys/:name/:version')
  updateVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.update(req, name, version);
  }

  @Delete('keys/:name')
  async delete(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call } = this.keys(req);
    return azureDeletedKey(call.origin, call.vault, await keys.delete(name, call.options));
  }

  @Get('deletedkeys')
  async listDeleted(@Req() req: FastifyRequest) {
    const apiVersion = checkApiVersion(queryOf(req));
    const page = pageRequestOf(queryOf(req));
    const { keys, call } = this.keys(req);
    const result = await keys.listDeletedPage({ ...call.options, ...page });
    return azurePage(result, (item) => azureDeletedKey(call.origin, call.vault, item), call.origin, '/deletedkeys', apiVersion, page);
  }

  @Get('deletedkeys/:name')
  async getDeleted(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call } = this.keys(req);
    return azureDeletedKey(call.origin, call.vault, await keys.getDeleted(name, call.options));
  }

  @Delete('deletedkeys/:name')
  @HttpCode(204)
  async purge(@Req() req: FastifyRequest, @Param('name') name: string): Promise<void> {
    const { keys, call } = this.keys(req);
    await keys.purge(name, call.options);
  }

  @Post('deletedkeys/:name/recover')
  @HttpCode(200)
  async recover(@Req() req: FastifyRequest, @Param('name') name: string) {
    const { keys, call } = this.keys(req);
    return azureKeyBundle(call.origin, call.vault, await keys.recover(name, call.options));
  }

  /** Secure key release (Azure: to an attested environment, under the key's release policy). No Coffer key has one. */
  @Post('keys/:name/release')
  @HttpCode(200)
  releaseLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.release(req, name, undefined);
  }

  @Get('keys/:name/attestation')
  attestationLatest(@Req() req: FastifyRequest, @Param('name') name: string) {
    return this.attestation(req, name, undefined);
  }

  @Get('keys/:name/:version/attestation')
  attestationVersion(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string) {
    return this.attestation(req, name, version);
  }

  /** The latest version (a versionless kid: the SDK sends `/keys/<name>//<operation>`, whose slashes the router collapses). */
  @Post('keys/:name/:operation')
  @HttpCode(200)
  operateLatest(@Req() req: FastifyRequest, @Param('name') name: string, @Param('operation') operation: string) {
    return this.operate(req, name, '', operation);
  }

  @Post('keys/:name/:version/:operation')
  @HttpCode(200)
  async operate(@Req() req: FastifyRequest, @Param('name') name: string, @Param('version') version: string, @Param('operation') operation: string) {
    if (operation.toLowerCase() === 'release') return this.release(req, name, version);
    const { keys, call, body } = this.write(req);
    const options = { ...call.options, version: version || undefined };
    const alg = requiredString(body, 'alg');
    const value = requiredString(body, 'value');
    const op = (result: { kid: string }) => azureKeyOperation(call.origin, call.vault, result);
    switch (operation.toLowerCase()) {
      case 'sign': return op(await keys.sign(name, alg as SignatureAlgorithm, value, options));
      case 'verify': {
        const verified = await keys.verify(name, alg as SignatureAlgorithm, requiredString(body, 'digest'), value, options);
        return { value: verified.value };
      }
      case 'encrypt': return op(await keys.encrypt(name, alg as EncryptionAlgorithm, value, { ...options, aad: optionalString(body, 'aad') }));
      case 'decrypt': return op(await keys.decrypt(name, alg as EncryptionAlgorithm, value, {
        ...options, iv: optionalString(body, 'iv'), tag: optionalString(body, 'tag'), aad: optionalString(body, 'aad'),
      }));
      case 'wrapkey': return op(await keys.wrapKey(name, alg as WrapAlgorithm, value, options));
      case 'unwrapkey': return op(await keys.unwrapKey(name, alg as WrapAlgorithm, value, options));
      default: throw new AzureError(404, 'NotFound', `The key operation '${operation.slice(0, 32)}' is not served.`);
    }
  }

  private keys(req: FastifyRequest): { keys: KeysClient; call: VaultCall } {
    checkApiVersion(queryOf(req));
    const { requester, ...call } = this.forwarder.vaultCall(req);
    return { keys: new KeysClient(requester, call.vault), call };
  }

  private write(req: FastifyRequest): { keys: KeysClient; call: VaultCall; body: Record<string, unknown> } {
    checkApiVersion(queryOf(req));
    const body = jsonObjectBody(req);
    return { ...this.keys(req), body };
  }

  /**
   * The key is read first (so a missing key is 404 and the caller's rights are the vault's), then
   * the release is refused as Azure refuses a key without a release policy: Coffer keys are never
   * exportable, so key material never leaves the HSM in the clear.
   */
  private async release(req: FastifyRequest, name: string, version: string | undefined): Promise<never> {
    const { keys, call, body } = this.write(req);
    requiredString(body, 'target');
    await keys.get(name, version || undefined, call.options);
    throw AzureError.badParameter(`Key '${name}' has no release policy: Coffer keys are not exportable and are never released.`, 'KeyNotExportable');
  }

  /** Key attestation needs an HSM that vouches for its keys (Azure Managed HSM); Coffer's PKCS#11 token gives none. */
  private async attestation(req: FastifyRequest, name: string, version: string | undefined): Promise<never> {
    const { keys, call } = this.keys(req);
    await keys.get(name, version || undefined, call.options);
    throw AzureError.badParameter(`Key '${name}' has no attestation: Coffer's HSM does not attest its keys.`, 'AttestationNotSupported');
  }

  private async get(req: FastifyRequest, name: string, version: string | undefined) {
    const { keys, call } = this.keys(req);
    return azureKeyBundle(call.origin, call.vault, await keys.get(name, version || undefined, call.options));
  }

  private async update(req: FastifyRequest, name: string, version: string | undefined) {
    const { keys, call, body } = this.write(req);
    const updated = await keys.updateProperties(name, version || undefined, {
      ...call.options, keyOps: optionalStringList(body, 'key_ops') as KeyOp[] | undefined, tags: optionalTags(body), ...optionalAttributes(body),
    });
    return azureKeyBundle(call.origin, call.vault, updated);
  }
}
