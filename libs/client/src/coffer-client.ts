import { StatusReply, Subjects } from '@coffer/contracts';
import { loadConfig } from '@coffer/config';
import { connect, NatsConnection } from 'nats';
import { ClientErrorCodes, ClientInnerCodes, CofferRequestError } from './errors';
import { CallOptions, Requester } from './request';
import { SecretsClient } from './secrets-client';
import { VaultsClient } from './vaults-client';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ClientOptions {
  /** Default request timeout (10 s). */
  timeoutMs?: number;
  /** Extra attempts after a timeout or no responders, reusing the request id (default 0). */
  retries?: number;
}

export interface ConnectOptions extends ClientOptions {
  /** NATS server URL; defaults to COFFER_NATS_URL or the embedded server's. */
  url?: string;
  /** Connection name the NATS server shows. */
  name?: string;
}

/** The Coffer client: vault management, secrets per vault, status. */
export class CofferClient {
  readonly vaults: VaultsClient;
  private readonly requester: Requester;
  private ownsConnection = false;

  /** Wraps a connection the caller owns; `close()` leaves it open. */
  constructor(
    readonly connection: NatsConnection,
    options: ClientOptions = {},
  ) {
    this.requester = new Requester(connection, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retries: options.retries ?? 0,
    });
    this.vaults = new VaultsClient(this.requester);
  }

  /** Opens a connection the client owns; a failure to connect is ServiceUnavailable/ConnectionFailed. */
  static async connect(options: ConnectOptions = {}): Promise<CofferClient> {
    const url = options.url ?? loadConfig().natsUrl;
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: url, name: options.name ?? 'coffer-client', noAsyncTraces: true });
    } catch (err) {
      throw new CofferRequestError(
        ClientErrorCodes.ServiceUnavailable,
        `Cannot connect to NATS at ${url}: ${(err as Error).message}`,
        '',
        ClientInnerCodes.ConnectionFailed,
        undefined,
        { cause: err },
      );
    }
    const client = new CofferClient(nc, options);
    client.ownsConnection = true;
    return client;
  }

  secrets(vault: string): SecretsClient {
    return new SecretsClient(this.requester, vault);
  }

  status(options: CallOptions = {}): Promise<StatusReply> {
    return this.requester.request(Subjects.status, {}, options);
  }

  /** Closes the connection if this client opened it (pending replies are awaited). */
  async close(): Promise<void> {
    if (this.ownsConnection && !this.connection.isClosed()) await this.connection.drain();
  }
}
