import { ShowTimeHandler } from '../dev/show-time.handler';
import { TimeShiftHandler } from '../dev/time-shift.handler';
import { NotifySecretExpiryHandler } from './notify-secret-expiry.handler';
import { SchedulerBootstrap } from './scheduler-bootstrap';

/** Lifecycle automation's side of the vault: expiry notices, the scheduler's principal, the dev clock. (Key notices are in KEY_CONTROLLERS.) */
export const LIFECYCLE_CONTROLLERS = [NotifySecretExpiryHandler, TimeShiftHandler, ShowTimeHandler];
export const LIFECYCLE_PROVIDERS = [SchedulerBootstrap];
