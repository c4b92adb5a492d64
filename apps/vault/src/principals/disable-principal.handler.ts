import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, PrincipalIdRequest, PrincipalInfo } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { PrincipalWriter } from './principal-writer';

/** Disables a principal: it gets no new tokens and its outstanding tokens are revoked. */
@Controller()
export class DisablePrincipalHandler {
  constructor(private readonly principals: PrincipalWriter, private readonly clock: Clock) {}

  @MessagePattern(AuthSubjects.principal('disable'))
  @Access(DataActions.principalsWrite, allScope)
  async handle(@Payload() req: PrincipalIdRequest, @Idempotency() request: RequestKey): Promise<PrincipalInfo> {
    await this.principals.run(req.id, request, { type: 'DisablePrincipal', id: req.id, now: this.clock.now() });
    return this.principals.info(req.id);
  }
}
