import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { CryptoStatusReply, InternalSubjects } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';

/** Liveness for the vault and the stack: answers once the token is open (the body is ignored). */
@Controller()
export class CryptoStatusHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('status'))
  handle(): CryptoStatusReply {
    return { ok: true, ...this.hsm.info() };
  }
}
