import { VaultFeature } from '../vault-feature';
import { SchedulerBootstrap } from './scheduler-bootstrap';

/** Lifecycle automation's side of the vault: the scheduler's principal. (Expiry notices are each kind's `notify` handler.) */
export const LIFECYCLE_FEATURE: VaultFeature = { controllers: [], providers: [SchedulerBootstrap] };
