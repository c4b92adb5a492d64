import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EnsureKekReply, InternalSubjects } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { EnsureKekDto } from './crypto-requests.dto';

@Controller()
export class EnsureKekHandler {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  @MessagePattern(InternalSubjects.crypto('kek.ensure'))
  async handle(@Payload() { kekId }: EnsureKekDto): Promise<EnsureKekReply> {
    return { kekId, created: await this.hsm.ensureKek(kekId) };
  }
}
