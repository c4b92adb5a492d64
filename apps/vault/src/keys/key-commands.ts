import { Injectable, Logger } from '@nestjs/common';
import { KeyEvent, Streams } from '@coffer/contracts';
import { decideKey, KeyCommand, KeyState } from '@coffer/domain';
import { mayHaveBeenRecorded } from '../commands/append-outcome';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { KeyLoadNeeds, KeyStateLoader } from './key-state.loader';
import { RequestKey } from '../commands/request-key';

/** A command that needs HSM objects made before its event can be written (create, import, rotate, restore). */
export interface MakingCommand<M> {
  needs?: KeyLoadNeeds;
  /** Makes the HSM objects; `track` each hsmKeyId as soon as it exists, so a failure half way destroys it. */
  make(state: KeyState, track: (hsmKeyId: string) => void): Promise<M>;
  /** The command with what was made; with `undefined` it is a dry run that must decide the same way. */
  command(made: M | undefined, now: Date): KeyCommand;
}

/** HSM key ids an event refers to: what must survive after the command. */
function referencedHsmKeys(event: KeyEvent): string[] {
  switch (event.type) {
    case 'KeyCreated':
    case 'KeyImported':
    case 'KeyRotated':
      return [event.data.hsmKeyId];
    case 'KeyRestored':
      return event.data.versions.map((v) => v.hsmKeyId);
    default:
      return [];
  }
}

/** load → decide → append for one key: the shape every key write shares. */
@Injectable()
export class KeyCommands {
  private readonly logger = new Logger(KeyCommands.name);

  constructor(
    private readonly loader: KeyStateLoader,
    private readonly runner: CommandRunner,
    private readonly crypto: KeyCryptoClient,
    private readonly clock: Clock,
  ) {}

  run<E extends KeyEvent>(vault: string, name: string, request: RequestKey, needs: KeyLoadNeeds, command: (now: Date) => KeyCommand): Promise<CommandOutcome<E>> {
    return this.runner.run<KeyState, E>({
      subject: Streams.events.key(vault, name),
      request,
      load: async () => (await this.loader.load(vault, name, needs)).state,
      decide: (state) => decideKey(command(this.clock.now()), state)[0],
    });
  }

  /**
   * HSM objects first, then the event (an event must never name a key the HSM lacks). The decider
   * runs dry before anything is made, so a refused command makes nothing; objects the log ends up
   * not referencing (refused after all, a lost race, a replayed request, a failed append) are
   * destroyed. A lost race re-decides with what was already made instead of making more.
   * When an append may have been stored although it failed (event log or projection unavailable),
   * the objects are kept rather than risk destroying a recorded version's key.
   */
  async runMaking<E extends KeyEvent, M>(vault: string, name: string, request: RequestKey, spec: MakingCommand<M>): Promise<CommandOutcome<E>> {
    const made: string[] = [];
    let material: M | undefined;
    let appending = false;
    try {
      const outcome = await this.runner.run<KeyState, E>({
        subject: Streams.events.key(vault, name),
        request,
        load: async () => {
          appending = false;
          const { state } = await this.loader.load(vault, name, spec.needs);
          decideKey(spec.command(undefined, this.clock.now()), state);
          material ??= await spec.make(state, (id) => made.push(id));
          return state;
        },
        decide: (state) => {
          const event = decideKey(spec.command(material, this.clock.now()), state)[0];
          appending = true;
          return event;
        },
      });
      const kept = referencedHsmKeys(outcome.event);
      await this.crypto.destroyOrphans(made.filter((id) => !kept.includes(id)));
      return outcome;
    } catch (err) {
      const surelyNotRecorded = !appending || !mayHaveBeenRecorded(err);
      if (surelyNotRecorded) await this.crypto.destroyOrphans(made);
      else if (made.length > 0) this.logger.warn(`kept HSM keys ${made.join(', ')}: the append's outcome is unknown (request ${request.id})`);
      throw err;
    }
  }
}
