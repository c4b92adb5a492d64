import { Injectable } from '@nestjs/common';
import { CofferError, conflict, DomainEvent, ErrorCodes, EventMetadata, InnerErrorCodes } from '@coffer/contracts';
import { NewEvent } from '@coffer/domain';
import { EventStore, requestMsgId, WrongExpectedSequenceError } from '@coffer/event-store';
import { ReadModel } from '@coffer/read-model';
import { Clock } from '../infrastructure/clock';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { RequestKey } from './request-key';

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
  /** Who asked what: the idempotency key (see RequestKey). */
  request: RequestKey;
  /** Loads the decision state; must be cheap (read model point lookups). */
  load(): Promise<S>;
  /** The pure decision for this state; throwing a CofferError refuses the command. */
  decide(state: S): NewEvent;
}

const reused = (request: RequestKey) =>
  conflict(`Request id '${request.id}' was already used for a different request; send a new request id.`, InnerErrorCodes.RequestIdReused);

/**
 * load → decide → append, with optimistic concurrency on the object's subject and exactly-once
 * application per (principal, request id) for the request-id horizon; then waits until the read
 * model shows the event (read-your-writes). A lost race waits for the read model to catch up with
 * the winner and decides again, so concurrent writers never lose an update.
 *
 * Every attempt looks the request up in applied_requests AFTER loading the state. Both come from the
 * read model, which applies events in order and writes the applied row with its event, so:
 *  - if the request's event is already in the read model, the lookup sees it: replay;
 *  - if it is in the log but not yet projected (a timed-out first try), the loaded state predates it,
 *    so the conditional append fails (the subject has moved on); the runner waits for the projection
 *    to reach the subject's last event and looks again.
 * A write that was applied is thus never applied again nor refused as a conflict, however long after
 * JetStream's Nats-Msg-Id window the retry comes (the msg id remains a first line within it).
 *
 * Check-and-set does not rest on the server alone: every event records the sequence it was decided
 * against (`expectedSequence`), and the projection voids an event whose expectation was no longer its
 * subject's last event (a replicated stream on nats-server 2.9 sometimes accepts both of two such
 * appends, #4320). A writer whose event was voided decides again on the state that won.
 * `expectedSequence` is the larger of the subject's head in the read model (voided events included),
 * read BEFORE the state, and the state's own sequence: the state then reflects every applied event up
 * to that head, so the expectation never runs ahead of what was decided on.
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
    const { request } = spec;
    let msgId = requestMsgId(request.principalId, request.id, spec.subject);

    for (let attempt = 1; ; attempt++) {
      // Read before the state (see expectedSequenceOf): the head may include voided events the state cannot show.
      const head = await this.readModel.subjectHead(spec.subject);
      const loaded = await this.loadUnlessApplied(spec);
      if ('applied' in loaded) return this.replay<E>(loaded.applied, request);
      const { state } = loaded;
      // Not while the projector is stalled: the write could not be confirmed (a replay above still can).
      this.waiter.assertAccepting();

      const event = spec.decide(state);
      const expectedSequence = Math.max(head, state.sequence);
      const metadata: EventMetadata = {
        requestId: request.id, occurredAt: this.clock.now().toISOString(), principalId: request.principalId, requestHash: request.hash, expectedSequence,
      };
      let sequence: number;
      let duplicate: boolean;
      try {
        ({ sequence, duplicate } = await this.events.append(spec.subject, event, { expectedSequence, msgId, metadata }));
      } catch (err) {
        if (!(err instanceof WrongExpectedSequenceError)) throw err;
        this.tooManyAttempts(attempt);
        // Whatever moved the subject on (another writer, or this very request's earlier try) is projected before the next look.
        await this.waiter.waitFor(await this.events.lastSequence(spec.subject));
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(attempt, 10)));
        continue;
      }
      await this.waiter.waitFor(sequence, { recorded: true });
      if (await this.readModel.isVoided(sequence)) {
        // The server took the append, but another event got there first: decide again on the new state
        // (a check-and-set then answers Conflict), under a fresh msg id, since JetStream remembers this one.
        this.tooManyAttempts(attempt);
        msgId = requestMsgId(request.principalId, `${request.id}\nvoided:${sequence}`, spec.subject);
        continue;
      }
      if (duplicate) return this.replay<E>(sequence, request);
      return { sequence, event: { ...event, metadata } as E, replayed: false };
    }
  }

  private tooManyAttempts(attempt: number): void {
    if (attempt >= MAX_ATTEMPTS) {
      throw new CofferError(ErrorCodes.Conflict, 'Too many concurrent changes to this object; retry later.', InnerErrorCodes.TooMuchContention);
    }
  }

  /**
   * The state, then the applied-request lookup (in this order: see the class comment); or where the
   * request's event already is. Some loads also try the decision (a dry run before making HSM
   * objects): a refusal there may come from this very request's earlier success (a retried ifMatch
   * rotation), so a refused load looks the request up too before the refusal stands.
   */
  private async loadUnlessApplied<S extends { sequence: number }>(spec: CommandSpec<S>): Promise<{ state: S } | { applied: number }> {
    let state: S;
    try {
      state = await spec.load();
    } catch (err) {
      const applied = err instanceof CofferError && err.code !== ErrorCodes.ServiceUnavailable ? await this.appliedSequence(spec) : undefined;
      if (applied !== undefined) return { applied };
      throw err;
    }
    const applied = await this.appliedSequence(spec);
    return applied === undefined ? { state } : { applied };
  }

  /** Where this request's event on this subject landed, if it was applied; refuses a reused id with another body. */
  private async appliedSequence(spec: CommandSpec<{ sequence: number }>): Promise<number | undefined> {
    const rows = await this.readModel.findAppliedRequests(spec.request.principalId, spec.request.id);
    if (rows.some((r) => r.requestHash !== spec.request.hash)) throw reused(spec.request);
    return rows.find((r) => r.subject === spec.subject)?.sequence;
  }

  /** The original outcome, for the principal that made the request and the same request only. */
  private async replay<E extends DomainEvent>(sequence: number, request: RequestKey): Promise<CommandOutcome<E>> {
    await this.waiter.waitFor(sequence);
    const stored = await this.events.read(sequence);
    const { principalId, requestId, requestHash } = stored.event.metadata;
    if (principalId !== request.principalId || requestId !== request.id) {
      throw new Error(`replay of sequence ${sequence} does not belong to this request`); // cannot happen: the msg id and the lookup are per principal
    }
    if (requestHash !== request.hash) throw reused(request);
    return { sequence, event: stored.event as E, replayed: true };
  }
}
