import { REQUEST_GATE } from '@coffer/transport';
import { VaultFeature } from '../vault-feature';
import { AccessControlGate } from './access-control.gate';
import { AdminBootstrap } from './admin-bootstrap';
import { authSettingsProvider } from './auth-settings';
import { ChallengeHandler } from './challenge.handler';
import { CredentialExchange } from './credential-exchange';
import { CredentialLockout } from './credential-lockout';
import { JwksHandler } from './jwks.handler';
import { NonceStore } from './nonce-store';
import { PrincipalAccessCache } from './principal-access.cache';
import { RequestThrottle } from './request-throttle';
import { SecretVerifier } from './secret-verifier';
import { SigningKeys } from './signing-keys';
import { throttleSettingsProvider } from './throttle-settings';
import { TokenAuthenticator } from './token-authenticator';
import { TokenIssuer } from './token-issuer';
import { TokenHandler } from './token.handler';
import { WhoAmIHandler } from './whoami.handler';

/** Identity and access: tokens, throttling, and the gate every request passes (authenticate, authorize, audit). */
export const AUTH_FEATURE: VaultFeature = {
  controllers: [ChallengeHandler, TokenHandler, JwksHandler, WhoAmIHandler],
  providers: [
    authSettingsProvider, SigningKeys, TokenIssuer, TokenAuthenticator, PrincipalAccessCache, NonceStore, CredentialExchange,
    throttleSettingsProvider, RequestThrottle, CredentialLockout, SecretVerifier, AdminBootstrap,
    AccessControlGate, { provide: REQUEST_GATE, useExisting: AccessControlGate },
  ],
};
