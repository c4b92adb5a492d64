import { AzureError } from './azure-error';

/** The api-version values the official SDKs send (7.4 up to 2025-07-01); the wire shapes are the same for all. */
export const SUPPORTED_API_VERSIONS = ['7.4', '7.5', '7.6', '2025-07-01'] as const;
export const LATEST_API_VERSION = '2025-07-01';

/** The request's api-version, or Azure's 400 when it is missing or unknown. */
export function checkApiVersion(query: Record<string, unknown> | undefined): string {
  const raw = query?.['api-version'];
  if (typeof raw !== 'string' || raw === '') {
    throw AzureError.badParameter(`The api-version query parameter is required. Supported versions: ${SUPPORTED_API_VERSIONS.join(', ')}.`);
  }
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(raw)) {
    throw AzureError.badParameter(`The specified version (${raw.slice(0, 32)}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`);
  }
  return raw;
}
