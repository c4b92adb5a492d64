import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DestroyKeysReply, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { DestroyKeysDto } from './key-requests.dto';

/** Destroys every HSM object of the given key versions (purge); idempotent. */
@Controller()
export class DestroyKeysHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.destroy'))
  async handle(@Payload() { hsmKeyIds }: DestroyKeysDto): Promise<DestroyKeysReply> {
    return { destroyed: await this.keys.destroyKeys(hsmKeyIds) };
  }
}
