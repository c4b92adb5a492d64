import { DomainEvent } from '@coffer/contracts';
import { NewEvent } from '@coffer/domain';
import { GivenEvent, ProjectedReadModel } from './projected-read-model';

/**
 * A decider as the vault runs it: the subject its events go to, what its handler loads for a
 * command (through the production read-model queries and decision-state functions; null when the
 * object has no row), the state when there is none, and the pure decide.
 */
export interface DeciderUnderTest<C, S, E extends DomainEvent> {
  subject: string;
  read(rm: ProjectedReadModel, command: C): Promise<S | null>;
  absent(lastSequence: number): S;
  decide(command: C, state: S): NewEvent<E>[];
}

export interface Scenario<C, S, E extends DomainEvent> {
  /** The state the decider sees for `command` after the given events. */
  state(command: C): Promise<S>;
  when(command: C): {
    /** The events decided (to build on in a later `given`). */
    decided(): Promise<NewEvent<E>[]>;
    /** The decided events match `expected` (toMatchObject). */
    then(expected: object[]): Promise<void>;
    /** The decider refuses with this error code (and inner code, and a message matching `message`). */
    thenFails(code: string, innerCode?: string, message?: RegExp): Promise<void>;
  };
}

/**
 * Emmett-style given/when/then for a decider over the state production loads: `given(...events)`
 * projects the events into a real read model (in-memory SQLite, one per spec file, emptied before
 * each scenario), `when(command)` loads as the vault does and decides. Call at the top of a spec file.
 */
export function deciderScenarios<C, S, E extends DomainEvent>(decider: DeciderUnderTest<C, S, E>): { given(...events: GivenEvent[]): Scenario<C, S, E> } {
  let rm: ProjectedReadModel | undefined;
  beforeAll(async () => {
    rm = await ProjectedReadModel.open();
  });
  afterAll(() => rm?.close());

  const given = (...events: GivenEvent[]): Scenario<C, S, E> => {
    const state = async (command: C): Promise<S> => {
      if (!rm) throw new Error('deciderScenarios: the read model is not open (call it at the top of the spec file)');
      await rm.clear();
      await rm.project(decider.subject, events);
      return (await decider.read(rm, command)) ?? decider.absent(rm.lastSequence(decider.subject));
    };
    return {
      state,
      when: (command) => {
        const decided = async () => decider.decide(command, await state(command));
        return {
          decided,
          then: async (expected) => {
            expect(await decided()).toMatchObject(expected);
          },
          thenFails: async (code, innerCode, message) => {
            await expect(decided()).rejects.toMatchObject({ code, ...(innerCode && { innerCode }), ...(message && { message: expect.stringMatching(message) }) });
          },
        };
      },
    };
  };
  return { given };
}
