import { VaultFeature } from '../vault-feature';
import { ShowTimeHandler } from './show-time.handler';
import { TimeShiftHandler } from './time-shift.handler';

/** Dev mode's clock controls (`coffer dev time-shift`); the clock itself is devTimeProviders (VaultModule, it may be given one). */
export const DEV_FEATURE: VaultFeature = { controllers: [TimeShiftHandler, ShowTimeHandler], providers: [] };
