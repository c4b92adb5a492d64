import { DomainEvent } from '@coffer/contracts';

/**
 * What each command of `C` decides, by command type: a decider declares its map next to its switch
 * (SecretDecisions…), so a writer types a command's outcome without naming the event.
 */
export type Decisions<C extends { type: string }, E extends DomainEvent> = { [T in C['type']]: E };

/** The event the command `X` decides under the map `D`; `E` (any event of the kind) without one. */
export type DecidedBy<D, X, E extends DomainEvent> = X extends { type: infer T } ? (T extends keyof D ? Extract<D[T], E> : E) : E;
