import { ClientCredentials, CofferClient, KeysClient, SecretsClient } from '@coffer/client';
import { loadConfig } from '@coffer/config';
import { Command } from 'commander';
import { CliIo } from './cli-io';
import { CredentialSource, resolveCredentials } from './credential-sources';
import { ExitCode, ExitCodes } from './exit-codes';
import { OutputFormat, render, View } from './output';

/** The global options (`coffer -o table secret …`), available to every command. */
export interface GlobalOptions {
  output: OutputFormat;
  field?: string;
  timeout?: number;
  natsUrl?: string;
  token?: string;
}

/**
 * What a command handler needs: a client (connected on first use, closed at the end of the run),
 * the global options, the environment, and a way to print a result.
 */
export class CliContext {
  /** A handler sets this when it succeeded but the answer is "no" (e.g. status not ok). */
  exitCode: ExitCode = ExitCodes.Ok;
  /** Where the credentials of this run came from (set on connect; for error hints). */
  credentialSource?: CredentialSource;
  private client?: CofferClient;

  constructor(
    readonly io: CliIo,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  globals(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals<GlobalOptions>();
  }

  /** The NATS URL of this run: --nats-url, else COFFER_NATS_URL, else the embedded server's. */
  natsUrl(cmd: Command): string {
    return this.globals(cmd).natsUrl ?? loadConfig(this.env).natsUrl;
  }

  /** A client authenticated as the precedence in credential-sources.ts says. */
  async connect(cmd: Command): Promise<CofferClient> {
    if (!this.client) {
      const url = this.natsUrl(cmd);
      const resolved = resolveCredentials({ token: this.globals(cmd).token, natsUrl: url, env: this.env, now: Date.now() });
      for (const note of resolved.notes) this.io.stderr.write(`coffer: ${note}\n`);
      this.credentialSource = resolved.source;
      this.client = await this.open(cmd, url, resolved.credentials ?? false);
    }
    return this.client;
  }

  /** A client with exactly these credentials (`false`: anonymous), e.g. for `coffer login`. */
  async connectWith(cmd: Command, credentials: ClientCredentials | false): Promise<CofferClient> {
    if (!this.client) this.client = await this.open(cmd, this.natsUrl(cmd), credentials);
    return this.client;
  }

  async secrets(cmd: Command, vault: string): Promise<SecretsClient> {
    return (await this.connect(cmd)).secrets(vault);
  }

  async keys(cmd: Command, vault: string): Promise<KeysClient> {
    return (await this.connect(cmd)).keys(vault);
  }

  print<T>(cmd: Command, data: T, view: View<T>): void {
    const { output, field } = this.globals(cmd);
    this.io.stdout.write(render(data, view, { format: output, field }));
  }

  /** A remark for a human on stderr (never on stdout, which scripts parse). */
  note(text: string): void {
    this.io.stderr.write(`coffer: ${text}\n`);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  private open(cmd: Command, url: string, credentials: ClientCredentials | false): Promise<CofferClient> {
    return CofferClient.connect({ url, timeoutMs: this.globals(cmd).timeout, name: 'coffer-cli', credentials });
  }
}
