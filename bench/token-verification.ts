import { CofferConfig } from '@coffer/config';
import { openReadModel, ReadModel } from '@coffer/read-model';
import { NatsConnection } from 'nats';
import { Caller } from '../apps/vault/src/auth/caller';
import { PrincipalAccessCache } from '../apps/vault/src/auth/principal-access.cache';
import { SigningKeys } from '../apps/vault/src/auth/signing-keys';
import { TokenAuthenticator } from '../apps/vault/src/auth/token-authenticator';
import { CryptoWorkerClient } from '../apps/vault/src/crypto/crypto-worker.client';
import { Clock } from '../apps/vault/src/infrastructure/clock';

export interface TokenVerification {
  /** What the vault does with a request's Authorization header: the verified-token cache, then the principal's access (cached). */
  authenticate(): Promise<Caller>;
  close(): Promise<void>;
}

/**
 * The vault's own TokenAuthenticator in this process, on the stack's read model and its
 * token-signing key (fetched from the crypto-worker over `vaultConnection`, a connection as the
 * vault's NATS user), for the authenticated direct HSM ceiling: the pkcs11js call plus the
 * verification every request pays.
 */
export async function openTokenVerification(config: CofferConfig, vaultConnection: NatsConnection, accessToken: string): Promise<TokenVerification> {
  const ds = await openReadModel(config.dbUrl, { migrate: false });
  const access = new PrincipalAccessCache(new ReadModel(ds), config.auth);
  const authenticator = new TokenAuthenticator(new SigningKeys(new CryptoWorkerClient(vaultConnection, config)), access, new Clock());
  const header = `Bearer ${accessToken}`;
  await authenticator.authenticate(header);
  return {
    authenticate: () => authenticator.authenticate(header),
    close: () => ds.destroy(),
  };
}
