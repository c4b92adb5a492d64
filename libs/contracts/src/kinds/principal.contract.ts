import { PRINCIPAL_EVENTS } from '../auth/principal-events';
import { contractKind, eventKind } from './contract-kind';

export * from '../auth/principal-events';

/** Principals: system subjects (SystemStreams), requests in AuthSubjects; no public changes. */
export const PRINCIPAL_CONTRACT = contractKind({
  events: eventKind(PRINCIPAL_EVENTS),
});
