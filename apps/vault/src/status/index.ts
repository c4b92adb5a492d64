import { VaultFeature } from '../vault-feature';
import { StatusHandler } from './status.handler';

/** `coffer status`: anonymous health and stall signals. */
export const STATUS_FEATURE: VaultFeature = { controllers: [StatusHandler], providers: [] };
