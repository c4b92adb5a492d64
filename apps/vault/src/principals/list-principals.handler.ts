import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, Page, PageRequest, PrincipalInfo } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { decodeToken, encodeToken, pageSize } from '../paging/continuation-token';
import { toPrincipalInfo } from './principal-info.mapper';

/** Principals by name, with their credentials (hints only). */
@Controller()
export class ListPrincipalsHandler {
  constructor(private readonly readModel: ReadModel) {}

  @MessagePattern(AuthSubjects.principal('list'))
  @Access(DataActions.principalsRead, allScope)
  async handle(@Payload() req: PageRequest): Promise<Page<PrincipalInfo>> {
    const page = await this.readModel.listPrincipals(decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value = await Promise.all(page.rows.map(async (row) => toPrincipalInfo(row, await this.readModel.credentialsOf(row.id))));
    const last = page.rows[page.rows.length - 1];
    return { value, ...(page.hasMore && last && { continuationToken: encodeToken(last.name) }) };
  }
}
