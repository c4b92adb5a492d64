import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, DevSubjects, DevTimeReply, EmptyRequest } from '@coffer/contracts';
import { DevTime } from '@coffer/event-store';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { requireDevTime } from './dev-mode';
import { DEV_TIME } from './dev-time.provider';

/** `coffer dev time-shift show`: the current shift (dev mode only). */
@Controller()
export class ShowTimeHandler {
  constructor(@Inject(DEV_TIME) private readonly devTime: DevTime | null) {}

  @MessagePattern(DevSubjects.timeShow)
  @Access(DataActions.devTimeWrite, allScope)
  handle(@Payload() _req: EmptyRequest): DevTimeReply {
    const devTime = requireDevTime(this.devTime);
    return { offsetMs: devTime.offsetMs, now: devTime.now().toISOString(), realNow: new Date().toISOString() };
  }
}
