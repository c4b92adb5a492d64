import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, SignatureAlgorithm, SignReply } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { bytes, SignDto } from './key-requests.dto';

/** An RS, PS or ES signature over a digest the caller computed (EC: r‖s). */
@Controller()
export class SignHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.sign'))
  async handle(@Payload() { hsmKeyId, alg, digest }: SignDto): Promise<SignReply> {
    const signature = await this.keys.sign(hsmKeyId, alg as SignatureAlgorithm, bytes(digest));
    return { value: signature.toString('base64') };
  }
}
