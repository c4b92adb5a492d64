import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, SigningKeyReply } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { EnsureSigningKeyDto } from './crypto-requests.dto';

/** Finds or creates an HSM signing key pair and answers with its public key (the private half never leaves). */
@Controller()
export class SigningKeyEnsureHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('signingkey.ensure'))
  async handle(@Payload() { keyId }: EnsureSigningKeyDto): Promise<SigningKeyReply> {
    const { jwk } = await this.hsm.ensureSigningKey(keyId);
    return { keyId, jwk };
  }
}
