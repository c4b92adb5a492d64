import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, PrincipalIdRequest, PrincipalInfo } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { PrincipalWriter } from './principal-writer';

@Controller()
export class ShowPrincipalHandler {
  constructor(private readonly principals: PrincipalWriter) {}

  @MessagePattern(AuthSubjects.principal('show'))
  @Access(DataActions.principalsRead, allScope)
  handle(@Payload() req: PrincipalIdRequest): Promise<PrincipalInfo> {
    return this.principals.info(req.id);
  }
}
