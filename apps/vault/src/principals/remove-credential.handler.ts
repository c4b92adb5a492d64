import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, PrincipalInfo, RemoveCredentialRequest } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { PrincipalWriter } from './principal-writer';

/** Removes a credential and revokes the principal's outstanding tokens. */
@Controller()
export class RemoveCredentialHandler {
  constructor(private readonly principals: PrincipalWriter, private readonly clock: Clock) {}

  @MessagePattern(AuthSubjects.principal('credential.remove'))
  @Access(DataActions.principalsWrite, allScope)
  async handle(@Payload() req: RemoveCredentialRequest, @Idempotency() request: RequestKey): Promise<PrincipalInfo> {
    await this.principals.run(req.id, request, { type: 'RemoveCredential', principalId: req.id, credentialId: req.credentialId, now: this.clock.now() });
    return this.principals.info(req.id);
  }
}
