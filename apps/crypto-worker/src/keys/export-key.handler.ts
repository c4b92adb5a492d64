import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExportKeyReply, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { ExportKeyDto } from './key-requests.dto';

/** Key backup: the material wrapped by the token's trusted backup key, which never leaves the HSM. */
@Controller()
export class ExportKeyHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.export'))
  async handle(@Payload() { hsmKeyId }: ExportKeyDto): Promise<ExportKeyReply> {
    const { kty, wrapped, publicKey } = await this.keys.exportKey(hsmKeyId);
    return { kty, wrapped: wrapped.toString('base64'), publicKey };
  }
}
