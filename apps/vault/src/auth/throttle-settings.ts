import { Provider } from '@nestjs/common';
import { CofferConfig, ThrottleSettings } from '@coffer/config';
import { COFFER_CONFIG } from '../infrastructure/tokens';

export type { ThrottleSettings };

/** The `throttle` section of the configuration (COFFER_THROTTLE_*, COFFER_CREDENTIAL_*, COFFER_LOCKOUT_*). */
export const THROTTLE_SETTINGS = Symbol('THROTTLE_SETTINGS');

export const throttleSettingsProvider: Provider = { provide: THROTTLE_SETTINGS, inject: [COFFER_CONFIG], useFactory: (config: CofferConfig) => config.throttle };
