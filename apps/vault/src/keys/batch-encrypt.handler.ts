import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyBatchEncryptRequest, KeyBatchResult, Patterns } from '@coffer/contracts';
import { encryptionSpecFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { VaultName } from '../request/request-context.decorators';
import { BatchSlots } from './batch-slots';
import { KeyCipher } from './key-cipher.service';
import { keyId } from './key-ids';
import { keyScope } from './key.kind';
import { KeyReader } from './key.reader';

const bytes = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, 'base64url'));

/** Encrypts many values with one key in one request: AES-GCM in one HSM round trip, RSA in software; items fail on their own. */
@Controller()
export class BatchEncryptHandler {
  constructor(private readonly reader: KeyReader, private readonly crypto: KeyCryptoClient, private readonly cipher: KeyCipher) {}

  @MessagePattern(Patterns.key('batch.encrypt'))
  @Access(DataActions.keysEncrypt, keyScope)
  async handle(@Payload() req: KeyBatchEncryptRequest, @VaultName() vaultName: string): Promise<KeyBatchResult> {
    const { view } = await this.reader.operable(vaultName, req.name, req.version, 'encrypt');
    const spec = encryptionSpecFor(req.alg, view);
    const kid = keyId(vaultName, req.name, view.version);
    const slots = new BatchSlots(req.items.length);
    if (spec.kind === 'rsa') {
      for (const [i, item] of req.items.entries()) {
        await slots.settle(i, async () => {
          const out = await this.cipher.encrypt(view, req.alg, Buffer.from(item.value, 'base64url'), bytes(item.aad));
          return { value: out.value.toString('base64url') };
        });
      }
      return { kid, items: slots.items() };
    }
    const pending = req.items.map((item) => ({ value: Buffer.from(item.value, 'base64url'), aad: bytes(item.aad) }));
    slots.fill((await this.crypto.batch(view.hsmKeyId, 'encrypt', req.alg, pending)).items);
    return { kid, items: slots.items() };
  }
}
