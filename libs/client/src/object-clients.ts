import { CertificatesClient, IssuersClient } from './certificates-client';
import { KeysClient } from './keys-client';
import { Requester } from './request';
import { SecretsClient } from './secrets-client';

export * from './secrets-client';
export * from './keys-client';
export * from './certificates-client';

/**
 * Every client of one vault's objects, by accessor name: CofferClient has one accessor per entry
 * (`client.secrets(vault)`), and the package exports what this file exports. A new object kind is
 * one `export *` and one entry here. The scheduler purges through `client[objectKind](vault)`, so
 * each RBAC ObjectKind needs an entry of the same name.
 */
export const OBJECT_CLIENTS = {
  secrets: SecretsClient,
  keys: KeysClient,
  certificates: CertificatesClient,
  issuers: IssuersClient,
} as const;

/** `client.<accessor>(vault)` for each OBJECT_CLIENTS entry. */
export type ObjectClients = { readonly [K in keyof typeof OBJECT_CLIENTS]: (vault: string) => InstanceType<(typeof OBJECT_CLIENTS)[K]> };

/** The accessors, bound to one requester. */
export function objectClients(requester: Requester): ObjectClients {
  return Object.fromEntries(
    Object.entries(OBJECT_CLIENTS).map(([accessor, Client]) => [accessor, (vault: string) => new Client(requester, vault)]),
  ) as unknown as ObjectClients;
}
