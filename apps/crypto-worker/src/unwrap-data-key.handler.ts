import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, UnwrapDataKeyReply } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { UnwrapDataKeyDto } from './crypto-requests.dto';

@Controller()
export class UnwrapDataKeyHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('datakey.unwrap'))
  async handle(@Payload() { kekId, wrapped }: UnwrapDataKeyDto): Promise<UnwrapDataKeyReply> {
    const plaintext = await this.hsm.unwrapDataKey(kekId, Buffer.from(wrapped, 'base64'));
    return { plaintext: plaintext.toString('base64') };
  }
}
