import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, PrincipalIdRequest, PrincipalInfo } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { PrincipalWriter } from './principal-writer';

/** Enables a principal again; tokens revoked while it was disabled stay revoked. */
@Controller()
export class EnablePrincipalHandler {
  constructor(private readonly principals: PrincipalWriter, private readonly clock: Clock) {}

  @MessagePattern(AuthSubjects.principal('enable'))
  @Access(DataActions.principalsWrite, allScope)
  async handle(@Payload() req: PrincipalIdRequest, @Idempotency() request: RequestKey): Promise<PrincipalInfo> {
    await this.principals.run(req.id, request, { type: 'EnablePrincipal', id: req.id, now: this.clock.now() });
    return this.principals.info(req.id);
  }
}
