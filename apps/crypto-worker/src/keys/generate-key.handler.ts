import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GenerateKeyReply, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { GenerateKeyDto } from './key-requests.dto';

/** Generates a key version inside the HSM; replies with its public half (none for oct). */
@Controller()
export class GenerateKeyHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.generate'))
  async handle(@Payload() { hsmKeyId, kty, size, publicExponent, crv, exportable }: GenerateKeyDto): Promise<GenerateKeyReply> {
    return { publicKey: await this.keys.generateKey(hsmKeyId, { kty, size, publicExponent, crv, exportable }) };
  }
}
