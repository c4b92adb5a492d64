import { Access } from '../auth/access.decorator';
import { secretScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { assertHookTags, EncryptedValue, Patterns, SecretBundle, SecretSet, SetSecretRequest, Streams, DataActions } from '@coffer/contracts';
import { decideSecret, SecretState } from '@coffer/domain';
import { VaultRow } from '@coffer/read-model';
import { randomBytes } from 'node:crypto';
import { CommandRunner } from '../commands/command-runner';
import { DataKeysService } from '../crypto/data-keys.service';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretStateLoader } from './secret-state.loader';
import { SecretValuesService } from './secret-values.service';
import { toSecretItem } from './secret.mapper';

interface SetState {
  sequence: number;
  state: SecretState;
  /** Undefined when the decider is bound to refuse (deleted object): nothing was encrypted. */
  value?: EncryptedValue;
}

@Controller()
export class SetSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly loader: SecretStateLoader,
    private readonly values: SecretValuesService,
    private readonly dataKeys: DataKeysService,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.secret('set'))

  @Access(DataActions.secretsSet, secretScope)
  async handle(@Payload() req: SetSecretRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<SecretBundle> {
    this.values.assertSize(req.value);
    assertHookTags(vaultName, req.tags);
    const vault = await this.vaults.require(vaultName);
    const version = randomBytes(16).toString('hex');
    const createdKeys: number[] = [];
    const outcome = await this.runner.run<SetState, SecretSet>({
      subject: Streams.events.secret(vaultName, req.name),
      request,
      load: () => this.loadAndEncrypt(vault, req, version, createdKeys),
      decide: ({ state, value }) =>
        decideSecret(
          {
            type: 'SetSecret',
            name: req.name,
            version,
            value: value as EncryptedValue,
            attributes: {
              enabled: req.attributes?.enabled ?? true,
              ...(req.attributes?.nbf && { nbf: req.attributes.nbf }),
              ...(req.attributes?.exp && { exp: req.attributes.exp }),
            },
            contentType: req.contentType,
            tags: req.tags,
            ifMatch: req.ifMatch,
            now: this.clock.now(),
          },
          state,
        )[0],
    });
    // A data key made for a race this request lost is never referenced: erase it.
    const unused = createdKeys.filter((dek) => dek !== outcome.event.data.value.dek);
    if (unused.length > 0) await this.dataKeys.shred(unused);

    const data = outcome.event.data;
    // A replay is only ever of this principal's request with this very body: the value is the one it sent.
    return { ...toSecretItem(vault, req.name, data, true), version: data.version, value: req.value, sequence: outcome.sequence };
  }

  /** New objects get a fresh data key; later versions are encrypted under the object's key. */
  private async loadAndEncrypt(vault: VaultRow, req: SetSecretRequest, version: string, createdKeys: number[]): Promise<SetState> {
    const { state, head } = await this.loader.load(vault.name, req.name, false);
    if (state.status === 'deleted') return { sequence: state.sequence, state };
    let dek = head?.dek;
    if (state.status === 'absent') {
      dek = (await this.dataKeys.create(vault.name, vault.kekId, req.name)).dek;
      createdKeys.push(dek);
    }
    const value = await this.values.encrypt(vault.name, req.name, version, dek as number, req.value);
    return { sequence: state.sequence, state, value };
  }
}
