import { Injectable, Logger } from '@nestjs/common';
import { DataKeysService } from '../crypto/data-keys.service';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Material } from './object-kind';

/**
 * Releases material no event references (made for a command that was refused, lost a race, was a
 * replay, or failed to append): HSM keys destroyed, data keys shredded. Best effort: a failure is
 * logged, never thrown, so it cannot hide the outcome or the error that made them orphans.
 */
@Injectable()
export class OrphanMaterial {
  private readonly logger = new Logger(OrphanMaterial.name);

  constructor(private readonly crypto: KeyCryptoClient, private readonly dataKeys: DataKeysService) {}

  async release({ hsmKeyIds, deks }: Material): Promise<void> {
    await this.crypto.destroyOrphans(hsmKeyIds);
    if (deks.length > 0) {
      await this.dataKeys.shred(deks).catch((err: unknown) => this.logger.error(`could not shred data keys ${deks.join(', ')}: ${(err as Error).message}`));
    }
  }

  /** Material kept because the append's outcome is unknown: said once, so an operator can find it. */
  kept({ hsmKeyIds, deks }: Material, requestId: string): void {
    if (hsmKeyIds.length + deks.length === 0) return;
    this.logger.warn(`kept HSM keys [${hsmKeyIds.join(', ')}] and data keys [${deks.join(', ')}]: the append's outcome is unknown (request ${requestId})`);
  }
}
