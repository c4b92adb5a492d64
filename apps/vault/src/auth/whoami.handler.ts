import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, EmptyRequest, WhoAmIReply } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { toPrincipalInfo, toRoleAssignmentInfo } from '../principals/principal-info.mapper';
import { Authenticated } from './access.decorator';
import { Caller } from './caller';
import { CurrentCaller } from './request-caller';

@Controller()
export class WhoAmIHandler {
  constructor(private readonly readModel: ReadModel) {}

  @MessagePattern(AuthSubjects.whoami)
  @Authenticated('Coffer/auth/whoami')
  async handle(@Payload() _req: EmptyRequest, @CurrentCaller() caller: Caller): Promise<WhoAmIReply> {
    return {
      principal: toPrincipalInfo(caller.principal, await this.readModel.credentialsOf(caller.principal.id)),
      assignments: caller.assignments.map(toRoleAssignmentInfo),
      tokenExpiresOn: caller.tokenExpiresOn,
    };
  }
}
