import { Provider } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { COFFER_CONFIG } from '../infrastructure/tokens';

/** Authentication settings: the `auth` section of the one configuration (COFFER_TOKEN_TTL_SECONDS, COFFER_AUTH_CACHE_MS). */
export type AuthSettings = CofferConfig['auth'];

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

export const authSettingsProvider: Provider = { provide: AUTH_SETTINGS, inject: [COFFER_CONFIG], useFactory: (config: CofferConfig) => config.auth };
