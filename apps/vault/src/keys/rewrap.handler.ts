import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, forbidden, formatScope, InnerErrorCodes, KeyOperationResult, KeyRewrapRequest, Patterns } from '@coffer/contracts';
import { authorize, wrapSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/request-caller';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/**
 * Rewrap (beyond Azure): unwrap under an older version and wrap under the latest inside the
 * crypto-worker, so the plaintext never reaches the vault or the caller. It unwraps and wraps, so
 * it needs both actions: @Access checks unwrap (and audits the request as such), the handler then
 * checks wrap on the same key.
 */
@Controller()
export class RewrapHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('rewrap'))
  @Access(DataActions.keysUnwrap, keyScope)
  async handle(@Payload() req: KeyRewrapRequest, @VaultName() vaultName: string, @CurrentCaller() caller: Caller): Promise<KeyOperationResult> {
    const scope = keyScope(req as unknown as Record<string, unknown>, vaultName);
    if (!authorize(caller.grants, DataActions.keysWrap, scope).allowed) {
      throw forbidden(
        `Principal '${caller.principal.name}' (${caller.principal.id}) is not allowed to perform '${DataActions.keysWrap}' on '${formatScope(scope)}' (rewrap wraps under the latest version).`,
        InnerErrorCodes.ForbiddenByRbac,
      );
    }
    const from = await this.reader.operable(vaultName, req.name, req.version, 'unwrapKey');
    const to = await this.reader.operable(vaultName, req.name, undefined, 'wrapKey');
    wrapSpecFor(req.alg, from.view);
    wrapSpecFor(req.alg, to.view);
    const value = await this.crypto.rewrap({
      fromHsmKeyId: from.view.hsmKeyId,
      toHsmKeyId: to.view.hsmKeyId,
      ...(to.view.publicKey.kty === 'RSA' && { toPublicKey: to.view.publicKey }),
      alg: req.alg,
      value: Buffer.from(req.value, 'base64url'),
    });
    return { kid: keyId(vaultName, req.name, to.view.version), value: value.toString('base64url') };
  }
}
