import { Injectable } from '@nestjs/common';
import { DomainEvent, materialOf } from '@coffer/contracts';
import { NewEvent } from '@coffer/domain';
import { mayHaveBeenRecorded } from '../commands/append-outcome';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { RequestKey } from '../commands/request-key';
import { Clock } from '../infrastructure/clock';
import { Material, noMaterial } from './object-kind';
import { OrphanMaterial } from './orphan-material';

/** A command that needs material (HSM keys, data keys, ciphertext under them, a vault's KEK) made before its event can be written. */
export interface MakingCommand<C, L, M> {
  /** Makes the material; record each HSM key / data key in `made` as soon as it exists, so a failure half way releases it. */
  make(loaded: L, made: Material): Promise<M>;
  /** The command with what was made; with `undefined` it is the dry run, which must decide the same way. */
  command(made: M | undefined, now: Date): C;
  /**
   * Whether what an earlier attempt made no longer fits the state just loaded (a lost race changed what it
   * must be made for, e.g. the object's data key); it is then made again. Default: made once, reused.
   */
  stale?(made: M, loaded: L): boolean;
}

/** Where the command goes and how it is decided: the object's subject, loader, decider, and what its events reference. */
export interface MakingTarget<S extends { sequence: number }, C, E extends DomainEvent, L extends { state: S }> {
  subject: string;
  request: RequestKey;
  load(): Promise<L>;
  decide(command: C, state: S): NewEvent<E>[];
}

/**
 * The one way to make material, then append the event that names it. The decider runs dry before
 * anything is made, so a refused command makes nothing; material the log ends up not referencing
 * (refused after all, a lost race, a replayed request, a failed append) is released. A lost race
 * re-decides with what was already made instead of making more (unless `stale` says it no longer
 * fits); what the appended event refers to is its catalogue entry's `material`. When an append may have been stored although it failed (event log or projection
 * unavailable), the material is kept rather than risk destroying a recorded version's key.
 */
@Injectable()
export class MaterialHook {
  constructor(private readonly runner: CommandRunner, private readonly orphans: OrphanMaterial, private readonly clock: Clock) {}

  async run<S extends { sequence: number }, C, E extends DomainEvent, L extends { state: S }, M, X extends E = E>(
    target: MakingTarget<S, C, E, L>, spec: MakingCommand<C, L, M>,
  ): Promise<CommandOutcome<X>> {
    const made = noMaterial();
    let material: M | undefined;
    let appending = false;
    try {
      const outcome = await this.runner.run<S, X>({
        subject: target.subject,
        request: target.request,
        load: async () => {
          appending = false;
          const loaded = await target.load();
          target.decide(spec.command(undefined, this.clock.now()), loaded.state);
          if (material === undefined || spec.stale?.(material, loaded)) material = await spec.make(loaded, made);
          return loaded.state;
        },
        decide: (state) => {
          const event = target.decide(spec.command(material, this.clock.now()), state)[0];
          appending = true;
          return event;
        },
      });
      const kept = materialOf(outcome.event);
      await this.orphans.release({
        hsmKeyIds: made.hsmKeyIds.filter((id) => !kept.hsmKeyIds.includes(id)), deks: made.deks.filter((dek) => !kept.deks.includes(dek)),
      });
      return outcome;
    } catch (err) {
      if (!appending || !mayHaveBeenRecorded(err)) await this.orphans.release(made);
      else this.orphans.kept(made, target.request.id);
      throw err;
    }
  }
}
