import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, RandomBytesReply } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { RandomBytesDto } from './key-requests.dto';

/** 1–1024 bytes from the HSM's random generator. */
@Controller()
export class RandomBytesHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('random'))
  async handle(@Payload() { count }: RandomBytesDto): Promise<RandomBytesReply> {
    return { value: (await this.keys.randomBytes(count)).toString('base64') };
  }
}
