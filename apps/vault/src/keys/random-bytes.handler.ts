import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyRandomRequest, Patterns, RandomBytesResult } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';

/** 1–1024 random bytes from the HSM's generator (beyond Azure's key operations; any key reader may ask). */
@Controller()
export class RandomBytesHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('random'))
  @Access(DataActions.keysRead, vaultScope)
  async handle(@Payload() req: KeyRandomRequest, @VaultName() vaultName: string): Promise<RandomBytesResult> {
    await this.vaults.require(vaultName);
    return { value: (await this.crypto.random(req.count)).toString('base64url') };
  }
}
