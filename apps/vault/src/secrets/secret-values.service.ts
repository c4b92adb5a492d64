import { Inject, Injectable } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { badParameter, EncryptedValue, InnerErrorCodes } from '@coffer/contracts';
import { COFFER_CONFIG } from '../infrastructure/tokens';
import { DataKeysService } from '../crypto/data-keys.service';
import { decryptValue, encryptValue, secretAad } from '../crypto/secret-cipher';

/** Encrypts and decrypts secret values under their object's data key (envelope encryption). */
@Injectable()
export class SecretValuesService {
  constructor(private readonly dataKeys: DataKeysService, @Inject(COFFER_CONFIG) private readonly config: CofferConfig) {}

  assertSize(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > this.config.secretValueMaxBytes) {
      throw badParameter(`The secret value is ${bytes} bytes; the limit is ${this.config.secretValueMaxBytes}.`, InnerErrorCodes.ValueTooLarge);
    }
  }

  async encrypt(vault: string, name: string, version: string, dek: number, value: string): Promise<EncryptedValue> {
    const { key } = await this.dataKeys.get(dek);
    return encryptValue(key, dek, Buffer.from(value, 'utf8'), secretAad(vault, name, version));
  }

  async decrypt(vault: string, name: string, version: string, value: EncryptedValue): Promise<string> {
    const { key } = await this.dataKeys.get(value.dek);
    return decryptValue(key, value, secretAad(vault, name, version)).toString('utf8');
  }
}
