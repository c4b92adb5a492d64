import { DevSubjects, DevTimeReply } from '@coffer/contracts/protocol';
import { CallOptions, Requester } from './request';

/** Development helpers; refused (Forbidden/DevModeDisabled) unless the deployment runs with COFFER_DEV_MODE=1. */
export class DevClient {
  constructor(private readonly requester: Requester) {}

  /** Moves the vault's and the scheduler's clock forward by `days` (added to the current shift). */
  timeShift(days: number, options: CallOptions = {}): Promise<DevTimeReply> {
    return this.requester.request(DevSubjects.timeShift, { days }, options);
  }

  /** Back to real time. */
  timeReset(options: CallOptions = {}): Promise<DevTimeReply> {
    return this.requester.request(DevSubjects.timeShift, { reset: true }, options);
  }

  timeShow(options: CallOptions = {}): Promise<DevTimeReply> {
    return this.requester.request(DevSubjects.timeShow, {}, options);
  }
}
