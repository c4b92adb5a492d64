import { Injectable } from '@nestjs/common';
import { CofferError, DomainEvent, ErrorCodes, InnerErrorCodes, serviceUnavailable } from '@coffer/contracts';
import { NewEvent } from '@coffer/domain';
import { EventLogUnavailableError, EventStore, WrongExpectedSequenceError } from '@coffer/event-store';
import { ReadModel } from '@coffer/read-model';
import { createHash } from 'node:crypto';
import { Clock } from '../infrastructure/clock';
import { ProjectionWaiter } from '../projection/projection-waiter';

const MAX_ATTEMPTS = 64;

export interface CommandOutcome<E extends DomainEvent = DomainEvent> {
  sequence: number;
  event: E;
  /** The request had already been applied: this is its original outcome. */
  replayed: boolean;
}

export interface CommandSpec<S extends { sequence: number }> {
  /** The object's subject in the event log. */
  subject: string;
  requestId: string;
  /** Loads the decision state; must be cheap (read model point lookups). */
  load(): Promise<S>;
  /** The pure decision for this state; throwing a CofferError refuses the command. */
  decide(state: S): NewEvent;
  /** Side effects that must precede the append (e.g. creating a key in the HSM); run once decided. */
  beforeAppend?(): Promise<void>;
}

/**
 * load → decide → append, with optimistic concurrency on the object's subject and idempotency by
 * request id; then waits until the read model shows the event (read-your-writes). A lost race
 * waits for the read model to catch up with the winner and decides again, so concurrent writers
 * never lose an update.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly events: EventStore,
    private readonly readModel: ReadModel,
    private readonly waiter: ProjectionWaiter,
    private readonly clock: Clock,
  ) {}

  async run<S extends { sequence: number }, E extends DomainEvent>(spec: CommandSpec<S>): Promise<CommandOutcome<E>> {
    const msgId = createHash('sha256').update(`${spec.requestId}\n${spec.subject}`).digest('base64url');
    const earlier = await this.readModel.findAppliedRequest(spec.requestId);
    if (earlier && earlier.subject === spec.subject) return this.replay<E>(earlier.sequence);

    for (let attempt = 1; ; attempt++) {
      const state = await spec.load();
      const event = spec.decide(state);
      await spec.beforeAppend?.();
      const metadata = { requestId: spec.requestId, occurredAt: this.clock.now().toISOString() };
      try {
        const { sequence, duplicate } = await this.events.append(spec.subject, event, {
          expectedSequence: state.sequence,
          msgId,
          metadata,
        });
        if (duplicate) return this.replay<E>(sequence);
        await this.waiter.waitFor(sequence);
        return { sequence, event: { ...event, metadata } as E, replayed: false };
      } catch (err) {
        if (err instanceof WrongExpectedSequenceError) {
          if (attempt >= MAX_ATTEMPTS) {
            throw new CofferError(ErrorCodes.Conflict, 'Too many concurrent changes to this object; retry later.', InnerErrorCodes.TooMuchContention);
          }
          await this.waiter.waitFor(await this.events.lastSequence(spec.subject));
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(attempt, 10)));
          continue;
        }
        if (err instanceof EventLogUnavailableError) throw serviceUnavailable('The event log is unavailable; retry later.');
        throw err;
      }
    }
  }

  private async replay<E extends DomainEvent>(sequence: number): Promise<CommandOutcome<E>> {
    await this.waiter.waitFor(sequence);
    const stored = await this.events.read(sequence);
    return { sequence, event: stored.event as E, replayed: true };
  }
}
