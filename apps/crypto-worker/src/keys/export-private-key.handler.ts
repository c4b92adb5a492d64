import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExportPrivateKeyReply, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { ExportPrivateKeyDto } from './key-requests.dto';

/**
 * The private key of an exportable certificate key as PKCS#8 (DESIGN invariant 2's exception: a
 * policy marked it exportable when it was generated). Keys generated otherwise refuse (KeyNotExportable).
 */
@Controller()
export class ExportPrivateKeyHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.exportprivate'))
  async handle(@Payload() { hsmKeyId }: ExportPrivateKeyDto): Promise<ExportPrivateKeyReply> {
    const pkcs8 = await this.keys.exportPrivateKey(hsmKeyId);
    try {
      return { pkcs8: pkcs8.toString('base64') };
    } finally {
      pkcs8.fill(0);
    }
  }
}
