import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GenerateDataKeyReply, InternalSubjects } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { GenerateDataKeyDto } from './crypto-requests.dto';

@Controller()
export class GenerateDataKeyHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('datakey.generate'))
  async handle(@Payload() { kekId }: GenerateDataKeyDto): Promise<GenerateDataKeyReply> {
    const { plaintext, wrapped } = await this.hsm.generateDataKey(kekId);
    return { plaintext: plaintext.toString('base64'), wrapped: wrapped.toString('base64') };
  }
}
