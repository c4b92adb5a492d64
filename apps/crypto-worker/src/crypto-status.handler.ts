import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { CryptoStatusReply, InternalSubjects } from '@coffer/contracts';
import { HSM, HsmPort } from '@coffer/hsm';
import { EventLoopDelayMonitor } from './event-loop-delay';

/** Liveness for the vault and the stack: answers once the token is open (the body is ignored), with the event-loop delay. */
@Controller()
export class CryptoStatusHandler {
  constructor(
    @Inject(HSM) private readonly hsm: HsmPort,
    private readonly eventLoop: EventLoopDelayMonitor,
  ) {}

  @MessagePattern(InternalSubjects.crypto('status'))
  handle(): CryptoStatusReply {
    const eventLoopDelay = this.eventLoop.snapshot();
    return { ok: true, ...this.hsm.info(), ...(eventLoopDelay ? { eventLoopDelay } : {}) };
  }
}
