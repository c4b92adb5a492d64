import { ChangeFeed } from './change-feed';
import { FetchChangesHandler } from './fetch-changes.handler';

/** The public change feed (CloudEvents computed from the event log). */
export const CHANGE_CONTROLLERS = [FetchChangesHandler];
export const CHANGE_PROVIDERS = [ChangeFeed];
