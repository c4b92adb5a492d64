import { CofferClient, SecretsClient } from '@coffer/client';
import { loadConfig } from '@coffer/config';
import { Command } from 'commander';
import { CliIo } from './cli-io';
import { ExitCode, ExitCodes } from './exit-codes';
import { OutputFormat, render, View } from './output';

/** The global options (`coffer -o table secret …`), available to every command. */
export interface GlobalOptions {
  output: OutputFormat;
  field?: string;
  timeout?: number;
  natsUrl?: string;
}

/**
 * What a command handler needs: a client (connected on first use, closed at the end of the run),
 * the global options, and a way to print a result.
 */
export class CliContext {
  /** A handler sets this when it succeeded but the answer is "no" (e.g. status not ok). */
  exitCode: ExitCode = ExitCodes.Ok;
  private client?: CofferClient;

  constructor(readonly io: CliIo) {}

  globals(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals<GlobalOptions>();
  }

  async connect(cmd: Command): Promise<CofferClient> {
    if (!this.client) {
      const { natsUrl, timeout } = this.globals(cmd);
      this.client = await CofferClient.connect({ url: natsUrl ?? loadConfig().natsUrl, timeoutMs: timeout, name: 'coffer-cli' });
    }
    return this.client;
  }

  async secrets(cmd: Command, vault: string): Promise<SecretsClient> {
    return (await this.connect(cmd)).secrets(vault);
  }

  print<T>(cmd: Command, data: T, view: View<T>): void {
    const { output, field } = this.globals(cmd);
    this.io.stdout.write(render(data, view, { format: output, field }));
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }
}
