import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { assertHookTags, DataActions, EncryptedValue, Patterns, SecretBundle, SetSecretRequest } from '@coffer/contracts';
import { randomBytes } from 'node:crypto';
import { Access } from '../auth/access.decorator';
import { RequestKey } from '../commands/request-key';
import { DataKeysService } from '../crypto/data-keys.service';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { secretScope, SecretWriter } from './secret.kind';
import { SecretValuesService } from './secret-values.service';
import { toSecretItem } from './secret.mapper';

/** Stands in for the value in the decider's dry run, before anything is encrypted. */
const DRY_RUN_VALUE: EncryptedValue = { alg: 'A256GCM', dek: 0, iv: '', ct: '' };

@Controller()
export class SetSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly writer: SecretWriter,
    private readonly values: SecretValuesService,
    private readonly dataKeys: DataKeysService,
  ) {}

  @MessagePattern(Patterns.secret('set'))
  @Access(DataActions.secretsSet, secretScope)
  async handle(@Payload() req: SetSecretRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<SecretBundle> {
    this.values.assertSize(req.value);
    assertHookTags(vaultName, req.tags);
    const vault = await this.vaults.require(vaultName);
    const version = randomBytes(16).toString('hex');
    let fresh: number | undefined;
    const outcome = await this.writer.runMaking(vaultName, req.name, request, {
      // A new object gets a fresh data key (made once); later versions are encrypted under the object's key.
      make: async ({ head }, made) => {
        if (head === null && fresh === undefined) {
          fresh = (await this.dataKeys.create(vaultName, vault.kekId, req.name)).dek;
          made.deks.push(fresh);
        }
        return this.values.encrypt(vaultName, req.name, version, head?.dek ?? (fresh as number), req.value);
      },
      // Encrypted again when the object's key changed between attempts (a lost race to create it: an unused key is shredded).
      stale: (value, { head }) => value.dek !== (head?.dek ?? fresh),
      command: (value, now) => ({
        type: 'SetSecret',
        name: req.name,
        version,
        value: value ?? DRY_RUN_VALUE,
        attributes: {
          enabled: req.attributes?.enabled ?? true,
          ...(req.attributes?.nbf && { nbf: req.attributes.nbf }),
          ...(req.attributes?.exp && { exp: req.attributes.exp }),
        },
        contentType: req.contentType,
        tags: req.tags,
        ifMatch: req.ifMatch,
        now,
      }),
    });
    const data = outcome.event.data;
    // A replay is only ever of this principal's request with this very body: the value is the one it sent.
    return { ...toSecretItem(vault, req.name, data, true), version: data.version, value: req.value, sequence: outcome.sequence };
  }
}
