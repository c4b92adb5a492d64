import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ImportKeyReply, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { ImportKeyDto } from './key-requests.dto';

/** BYOK: a private JWK into the HSM under the same protection as a generated key. */
@Controller()
export class ImportKeyHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.import'))
  async handle(@Payload() { hsmKeyId, jwk, exportable }: ImportKeyDto): Promise<ImportKeyReply> {
    return { publicKey: await this.keys.importKey(hsmKeyId, jwk, { exportable }) };
  }
}
