import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, CreatePrincipalRequest, DataActions, PrincipalInfo } from '@coffer/contracts';
import { principalIdFor } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { PrincipalWriter } from './principal-writer';

@Controller()
export class CreatePrincipalHandler {
  constructor(private readonly principals: PrincipalWriter, private readonly clock: Clock) {}

  @MessagePattern(AuthSubjects.principal('create'))
  @Access(DataActions.principalsWrite, allScope)
  async handle(@Payload() req: CreatePrincipalRequest, @Idempotency() request: RequestKey): Promise<PrincipalInfo> {
    const id = principalIdFor(req.name);
    await this.principals.run(id, request, { type: 'CreatePrincipal', id, name: req.name, principalType: req.type, now: this.clock.now() });
    return this.principals.info(id);
  }
}
