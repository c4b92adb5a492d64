import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, KeyedHashReply } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { KeyedHashDto } from './crypto-requests.dto';

/** HMAC-SHA256 under an HSM-held secret key (made on first use; it never leaves the HSM). */
@Controller()
export class KeyedHashHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('keyedhash'))
  async handle(@Payload() { keyId, data }: KeyedHashDto): Promise<KeyedHashReply> {
    const mac = await this.hsm.keyedHash(keyId, Buffer.from(data, 'base64'));
    return { mac: mac.toString('base64') };
  }
}
