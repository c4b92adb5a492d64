import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ChangeSubjects, DataActions, FetchChangesReply, FetchChangesRequest } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { ChangeFeed } from './change-feed';

/** `coffer events tail`: a page of the change feed. Readers of one vault need the role at that vault; of all vaults, at the root. */
@Controller()
export class FetchChangesHandler {
  constructor(private readonly feed: ChangeFeed) {}

  @MessagePattern(ChangeSubjects.fetch)
  @Access(DataActions.changesRead, (req) => (typeof req.vault === 'string' ? { level: 'vault', vault: req.vault } : { level: 'all' }))
  handle(@Payload() req: FetchChangesRequest): Promise<FetchChangesReply> {
    return this.feed.fetch(req);
  }
}
