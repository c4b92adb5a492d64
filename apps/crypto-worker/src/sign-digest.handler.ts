import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, SignDigestReply } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { SignDigestDto } from './crypto-requests.dto';

/** ECDSA P-256 over a SHA-256 digest the caller computed; the reply is r‖s (JWS ES256). */
@Controller()
export class SignDigestHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('sign'))
  async handle(@Payload() { keyId, digest }: SignDigestDto): Promise<SignDigestReply> {
    const signature = await this.hsm.signDigest(keyId, Buffer.from(digest, 'base64'));
    return { signature: signature.toString('base64') };
  }
}
