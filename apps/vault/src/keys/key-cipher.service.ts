import { Injectable } from '@nestjs/common';
import { badParameter, EncryptionAlgorithm, WrapAlgorithm } from '@coffer/contracts';
import { assertRsaPlaintextFits, CipherSpec, encryptionSpecFor, wrapSpecFor } from '@coffer/domain';
import { KeyCipherOutput, KeyCryptoClient } from '../crypto/key-crypto.client';
import { KeyVersionView } from './key.mapper';
import { rsaEncrypt } from './public-key-crypto';

/**
 * Encrypting and wrapping with one key version: RSA runs in software on the public key (no HSM
 * round trip needed), AES in the HSM through the crypto-worker. Shared by encrypt, wrap, data keys
 * and batches, so every path applies the same algorithm and size rules.
 */
@Injectable()
export class KeyCipher {
  constructor(private readonly crypto: KeyCryptoClient) {}

  async encrypt(view: KeyVersionView, alg: EncryptionAlgorithm, value: Buffer, aad?: Buffer): Promise<KeyCipherOutput> {
    const spec = encryptionSpecFor(alg, view);
    if (spec.kind === 'rsa') {
      if (aad !== undefined) throw badParameter(`aad applies to AES-GCM only, not ${alg}.`);
      return { value: this.rsa(view, spec, value) };
    }
    return this.crypto.cipher('key.encrypt', { hsmKeyId: view.hsmKeyId, alg, value, aad });
  }

  async wrap(view: KeyVersionView, alg: WrapAlgorithm, value: Buffer): Promise<Buffer> {
    const spec = wrapSpecFor(alg, view);
    if (spec.kind === 'rsa') return this.rsa(view, spec, value);
    return (await this.crypto.cipher('key.wrap', { hsmKeyId: view.hsmKeyId, alg, value })).value;
  }

  private rsa(view: KeyVersionView, spec: Extract<CipherSpec, { kind: 'rsa' }>, value: Buffer): Buffer {
    assertRsaPlaintextFits(spec, view.keySize ?? 0, value);
    return rsaEncrypt(view.publicKey, spec, value);
  }
}
