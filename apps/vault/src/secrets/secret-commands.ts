import { Injectable } from '@nestjs/common';
import { SecretEvent, Streams } from '@coffer/contracts';
import { decideSecret, SecretCommand, SecretState } from '@coffer/domain';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { SecretStateLoader } from './secret-state.loader';
import { RequestKey } from '../commands/request-key';

/**
 * load → decide → append for one secret: the shape every secret write shares. `version` is the
 * version the command addresses: a version id, undefined for the current one, or false for none
 * (the loader then skips reading a version).
 */
@Injectable()
export class SecretCommands {
  constructor(private readonly loader: SecretStateLoader, private readonly runner: CommandRunner, private readonly clock: Clock) {}

  run<E extends SecretEvent>(
    vault: string,
    name: string,
    request: RequestKey,
    version: string | false | undefined,
    command: (now: Date) => SecretCommand,
  ): Promise<CommandOutcome<E>> {
    return this.runner.run<SecretState, E>({
      subject: Streams.events.secret(vault, name),
      request,
      load: async () => (await this.loader.load(vault, name, version)).state,
      decide: (state) => decideSecret(command(this.clock.now()), state)[0],
    });
  }
}
