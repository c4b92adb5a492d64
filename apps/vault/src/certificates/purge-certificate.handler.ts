import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNameRequest, CertificatePurged, DataActions, Patterns, PurgeResult } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { DataKeysService } from '../crypto/data-keys.service';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { CertificateCommands } from './certificate-commands';
import { certificateScope } from './certificate-scope';

/**
 * Permanent deletion with the key and secret: the purge is recorded first (naming every HSM key and
 * data key), then the HSM keys are destroyed and the data keys shredded, so neither the private key
 * nor the secret's ciphertext can be used again, and a rebuild cannot bring them back.
 */
@Controller()
export class PurgeCertificateHandler {
  constructor(
    private readonly vaults: VaultDirectory, private readonly commands: CertificateCommands, private readonly crypto: KeyCryptoClient,
    private readonly dataKeys: DataKeysService,
  ) {}

  @MessagePattern(Patterns.certificate('purge'))
  @Access(DataActions.certificatesPurge, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<PurgeResult & { destroyed: number }> {
    const vault = await this.vaults.require(vaultName);
    const outcome = await this.commands.run<CertificatePurged>(vaultName, req.name, request, false, (now) => ({
      type: 'PurgeCertificate', name: req.name, purgeProtection: vault.purgeProtection, now,
    }));
    const destroyed = await this.crypto.destroy(outcome.event.data.destroyedHsmKeys);
    await this.dataKeys.shred(outcome.event.data.shreddedKeys);
    return { name: req.name, purged: outcome.event.data.purged, destroyed };
  }
}
