import { AuthSubjects, ChallengeReply, ErrorCodes, TokenReply, WhoAmIReply } from '@coffer/contracts/protocol';
import { ExchangeableCredentials, isKeyCredentials, signNonce } from './credentials';
import { ClientInnerCodes, CofferRequestError } from './errors';
import { callOptionsOf } from './list-options';
import { CallOptions, Requester } from './request';
import { AccessToken } from './token-provider';

/** Identity: who the caller is, and the token exchange itself (`coffer.v1.auth.*`). */
export class AuthClient {
  constructor(private readonly requester: Requester) {}

  /** The principal behind the client's token, its role assignments and when the token expires. */
  whoami(options: CallOptions = {}): Promise<WhoAmIReply> {
    return this.requester.request(AuthSubjects.whoami, {}, callOptionsOf(options));
  }

  /** A nonce to sign with the principal's Ed25519 key (anonymous request). */
  challenge(clientId: string, options: CallOptions = {}): Promise<ChallengeReply> {
    return this.requester.request(AuthSubjects.challenge, { clientId }, callOptionsOf(options), { anonymous: true });
  }

  /**
   * Exchanges credentials for an access token (anonymous request): a client secret directly, a key
   * by signing a challenge nonce. The client does this by itself; call it to get a token for
   * someone else (e.g. `coffer login`).
   */
  async requestToken(credentials: ExchangeableCredentials, options: CallOptions = {}): Promise<TokenReply> {
    const call = callOptionsOf(options);
    let body: { clientId: string; clientSecret?: string; nonce?: string; signature?: string };
    if (isKeyCredentials(credentials)) {
      const { nonce } = await this.challenge(credentials.clientId, { timeoutMs: call.timeoutMs, retries: call.retries });
      if (typeof nonce !== 'string' || nonce === '') throw malformed(AuthSubjects.challenge, 'has no nonce');
      body = { clientId: credentials.clientId, nonce, signature: signNonce(credentials.seed, nonce) };
    } else {
      body = { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
    }
    const reply = await this.requester.request<TokenReply>(AuthSubjects.token, body, call, { anonymous: true });
    if (typeof reply.accessToken !== 'string' || reply.accessToken === '') throw malformed(AuthSubjects.token, 'has no accessToken');
    return reply;
  }
}

/**
 * A token reply as the client keeps it: expiry from `expiresIn` counted from when the request was
 * sent (so the server's clock does not matter), else from `expiresOn`.
 */
export function accessTokenOf(reply: TokenReply, sentMs: number): AccessToken {
  const fromExpiresIn = typeof reply.expiresIn === 'number' && reply.expiresIn > 0 ? sentMs + reply.expiresIn * 1000 : undefined;
  const fromExpiresOn = typeof reply.expiresOn === 'string' ? Date.parse(reply.expiresOn) : NaN;
  const expiresOnMs = fromExpiresIn ?? (Number.isFinite(fromExpiresOn) ? fromExpiresOn : undefined);
  return { token: reply.accessToken, expiresOnMs, obtainedMs: sentMs };
}

function malformed(subject: string, problem: string): CofferRequestError {
  return new CofferRequestError(ErrorCodes.InternalError, `The reply on ${subject} ${problem}.`, subject, ClientInnerCodes.MalformedReply);
}
