import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyBatchResult, KeyBatchSignRequest, Patterns } from '@coffer/contracts';
import { assertDigestLength, signatureSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { BatchSlots } from './batch-slots';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

/** Signs many digests with one key in one request; a bad digest fails its own item only. */
@Controller()
export class BatchSignHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient) {}

  @MessagePattern(Patterns.key('batch.sign'))
  @Access(DataActions.keysSign, keyScope)
  async handle(@Payload() req: KeyBatchSignRequest, @VaultName() vaultName: string): Promise<KeyBatchResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'sign');
    signatureSpecFor(req.alg, view);
    const slots = new BatchSlots(req.items.length);
    const digests = req.items.map((item, i) => slots.check(i, () => {
      const digest = Buffer.from(item.value, 'base64url');
      assertDigestLength(req.alg, digest);
      return { value: digest };
    }));
    const pending = slots.pending(digests);
    if (pending.length > 0) slots.fill((await this.crypto.batch(view.hsmKeyId, 'sign', req.alg, pending)).items);
    return { kid: keyId(vaultName, req.name, view.version), items: slots.items() };
  }
}
