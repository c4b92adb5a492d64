import { StatusReply, Subjects } from '@coffer/contracts/protocol';
import { loadConfig, natsClientOptions, redactNatsUrl } from '@coffer/config';
import { connect, NatsConnection } from 'nats';
import { AuditClient } from './audit-client';
import { ChangesClient } from './changes-client';
import { DevClient } from './dev-client';
import { accessTokenOf, AuthClient } from './auth-client';
import { ClientCredentials, credentialsFromEnv, ExchangeableCredentials, isTokenCredentials, parseCredentials } from './credentials';
import { ClientErrorCodes, ClientInnerCodes, CofferRequestError } from './errors';
import { PrincipalsClient } from './principals-client';
import { CallOptions, DEFAULT_THROTTLE_POLICY, Requester, ThrottlePolicy } from './request';
import { RoleAssignmentsClient, RolesClient } from './roles-client';
import { objectClients, ObjectClients } from './object-clients';
import { AccessToken, Clock, TokenProvider, tokenExpiryMs } from './token-provider';
import { VaultsClient } from './vaults-client';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ClientOptions {
  /** Default request timeout (10 s). */
  timeoutMs?: number;
  /** Extra attempts after a timeout or no responders, reusing the request id (default 0). */
  retries?: number;
  /**
   * Throttled replies: how many times to wait the service's retry-after and try again (default 3),
   * and the longest retry-after worth waiting for (default 5 s; longer ones are thrown at once).
   * `{ retries: 0 }` throws every Throttled at once.
   */
  throttle?: Partial<ThrottlePolicy>;
  /**
   * Who the client is: a client secret or an Ed25519 nkey seed (exchanged for an access token on
   * first use and refreshed before it expires), or a ready access token. Without credentials no
   * Authorization header is sent. (`connect` reads them from the environment when omitted.)
   */
  credentials?: ClientCredentials;
  /** The clock token expiry is measured with (tests move it). */
  clock?: Clock;
}

export interface ConnectOptions extends Omit<ClientOptions, 'credentials'> {
  /** NATS server URL; defaults to COFFER_NATS_URL or the embedded server's. */
  url?: string;
  /** Connection name the NATS server shows. */
  name?: string;
  /**
   * As for the constructor; when omitted, COFFER_TOKEN (a raw access token) or COFFER_CREDENTIALS
   * (a JSON credentials file); `false` for none.
   */
  credentials?: ClientCredentials | false;
}

// The per-vault object accessors (`secrets(vault)`, `keys(vault)`…) come from OBJECT_CLIENTS (see the constructor).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface CofferClient extends ObjectClients {}

/** The Coffer client: vaults, secrets, keys and certificates per vault, identity and access, audit, status. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CofferClient {
  readonly vaults: VaultsClient;
  readonly auth: AuthClient;
  readonly principals: PrincipalsClient;
  readonly roles: RolesClient;
  readonly roleAssignments: RoleAssignmentsClient;
  readonly audit: AuditClient;
  /** The change feed (CloudEvents about every change). */
  readonly changes: ChangesClient;
  /** Development helpers (time shift); dev mode only. */
  readonly dev: DevClient;
  private readonly requester: Requester;
  private readonly tokens?: TokenProvider;
  private ownsConnection = false;

  /** Wraps a connection the caller owns; `close()` leaves it open. */
  constructor(
    readonly connection: NatsConnection,
    options: ClientOptions = {},
  ) {
    const clock = options.clock ?? Date.now;
    this.tokens = options.credentials ? tokenProviderFor(parseCredentials(options.credentials), clock, (c) => this.fetchToken(c, clock)) : undefined;
    this.requester = new Requester(
      connection,
      { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, retries: options.retries ?? 0, throttle: { ...DEFAULT_THROTTLE_POLICY, ...options.throttle } },
      this.tokens,
    );
    this.vaults = new VaultsClient(this.requester);
    this.auth = new AuthClient(this.requester);
    this.principals = new PrincipalsClient(this.requester);
    this.roles = new RolesClient(this.requester);
    this.roleAssignments = new RoleAssignmentsClient(this.requester);
    this.audit = new AuditClient(this.requester);
    this.changes = new ChangesClient(this.requester);
    this.dev = new DevClient(this.requester);
    Object.assign(this, objectClients(this.requester));
  }

  /** Opens a connection the client owns; a failure to connect is ServiceUnavailable/ConnectionFailed. */
  static async connect(options: ConnectOptions = {}): Promise<CofferClient> {
    const url = options.url ?? loadConfig().natsUrl;
    // Before connecting, so a bad credentials file fails fast as BadParameter.
    const credentials = options.credentials === false ? undefined : (options.credentials ?? credentialsFromEnv());
    let nc: NatsConnection;
    try {
      // Credentials in the URL (nats.url: coffer-client) and TLS from COFFER_NATS_TLS_*.
      nc = await connect({ ...natsClientOptions(url), name: options.name ?? 'coffer-client' });
    } catch (err) {
      throw new CofferRequestError(
        ClientErrorCodes.ServiceUnavailable,
        `Cannot connect to NATS at ${redactNatsUrl(url)}: ${(err as Error).message}`,
        '',
        ClientInnerCodes.ConnectionFailed,
        undefined,
        { cause: err },
      );
    }
    const client = new CofferClient(nc, { ...options, credentials });
    client.ownsConnection = true;
    return client;
  }

  status(options: CallOptions = {}): Promise<StatusReply> {
    return this.requester.request(Subjects.status, {}, options);
  }

  /**
   * The access token requests carry (obtained or refreshed now if needed), with its expiry when
   * known; undefined for a client without credentials.
   */
  async accessToken(): Promise<{ token: string; expiresOn?: Date } | undefined> {
    if (!this.tokens) return undefined;
    const { token, expiresOnMs } = await this.tokens.accessToken();
    return { token, expiresOn: expiresOnMs === undefined ? undefined : new Date(expiresOnMs) };
  }

  /** Closes the connection if this client opened it (pending replies are awaited). */
  async close(): Promise<void> {
    if (this.ownsConnection && !this.connection.isClosed()) await this.connection.drain();
  }

  private async fetchToken(credentials: ExchangeableCredentials, clock: Clock): Promise<AccessToken> {
    const sent = clock();
    return accessTokenOf(await this.auth.requestToken(credentials), sent);
  }
}

function tokenProviderFor(
  credentials: ClientCredentials,
  clock: Clock,
  fetch: (c: ExchangeableCredentials) => Promise<AccessToken>,
): TokenProvider {
  if (isTokenCredentials(credentials)) {
    return new TokenProvider(undefined, { token: credentials.token, expiresOnMs: tokenExpiryMs(credentials.token) }, clock);
  }
  return new TokenProvider(() => fetch(credentials), undefined, clock);
}
