import { DomainEvent } from '@coffer/contracts';
import { DecidedBy } from '@coffer/domain';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { RequestKey } from '../commands/request-key';
import { Clock } from '../infrastructure/clock';
import { MakingCommand, MaterialHook } from './material-hook';
import { Loaded, ObjectKindDescriptor, StateLoader } from './object-kind';

/**
 * load → decide → append for one object of a kind (CommandRunner does the append, retries and
 * read-your-writes), and material-then-append through the MaterialHook. A kind's writer is this
 * class bound to its descriptor, state loader and decider's decision map `D` (e.g. KeyWriter), so
 * a command's outcome is typed as the event the command decides.
 */
export class ObjectWriter<S extends { sequence: number }, C, E extends DomainEvent, N, L extends Loaded<S> = Loaded<S>, D = unknown> {
  constructor(
    private readonly kind: ObjectKindDescriptor<S, C, E, N, L>,
    private readonly loader: StateLoader<S, N, L>,
    private readonly runner: CommandRunner,
    private readonly material: MaterialHook,
    private readonly clock: Clock,
  ) {}

  /** `needs`: what the loader must read beyond the head (e.g. the addressed version). */
  run<X extends C>(vault: string, name: string, request: RequestKey, needs: N, command: (now: Date, state: S) => X): Promise<CommandOutcome<DecidedBy<D, X, E>>> {
    return this.runner.run<S, DecidedBy<D, X, E>>({
      subject: this.kind.subject(vault, name),
      request,
      load: async () => (await this.loader.load(vault, name, needs)).state,
      decide: (state) => this.kind.decide(command(this.clock.now(), state), state)[0],
    });
  }

  /** Material first, then the event (see MaterialHook); `needs` defaults to the kind's whole-object load. */
  runMaking<X extends C, M>(
    vault: string, name: string, request: RequestKey, spec: MakingCommand<X, L, M> & { needs?: N },
  ): Promise<CommandOutcome<DecidedBy<D, X, E>>> {
    return this.material.run<S, C, E, L, M, DecidedBy<D, X, E>>({
      subject: this.kind.subject(vault, name),
      request,
      load: () => this.loader.load(vault, name, spec.needs ?? this.kind.noVersion),
      decide: (command, state) => this.kind.decide(command, state),
    }, spec);
  }
}
