import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { badParameter, DataActions, DevSubjects, DevTimeReply, TimeShiftRequest } from '@coffer/contracts';
import { DAY_MS } from '@coffer/domain';
import { DevTime } from '@coffer/event-store';
import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { requireDevTime } from './dev-mode';
import { DEV_TIME } from './dev-time.provider';

/** `coffer dev time-shift --days N | --reset`: moves the shared clock forward (dev mode only). */
@Controller()
export class TimeShiftHandler {
  constructor(@Inject(DEV_TIME) private readonly devTime: DevTime | null) {}

  @MessagePattern(DevSubjects.timeShift)
  @Access(DataActions.devTimeWrite, allScope)
  async handle(@Payload() req: TimeShiftRequest): Promise<DevTimeReply> {
    const devTime = requireDevTime(this.devTime);
    if ((req.days === undefined) === (req.reset !== true)) throw badParameter('Give either days (1-3650) or reset: true.');
    const offsetMs = req.reset ? 0 : devTime.offsetMs + (req.days as number) * DAY_MS;
    await devTime.set(offsetMs, new Date());
    return { offsetMs, now: devTime.now().toISOString(), realNow: new Date().toISOString() };
  }
}
