import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, ChallengeReply, ChallengeRequest } from '@coffer/contracts';
import { Clock } from '../infrastructure/clock';
import { Anonymous } from './access.decorator';
import { NonceStore } from './nonce-store';

/** A nonce for the Ed25519 proof of possession; issued for any client id (no enumeration). */
@Controller()
export class ChallengeHandler {
  constructor(private readonly nonces: NonceStore, private readonly clock: Clock) {}

  @MessagePattern(AuthSubjects.challenge)
  @Anonymous('Coffer/auth/challenge')
  handle(@Payload() req: ChallengeRequest): Promise<ChallengeReply> {
    return this.nonces.issue(req.clientId, this.clock.now().getTime());
  }
}
