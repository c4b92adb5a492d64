/** What is stored in JetStream for every domain event. */
export interface EventMetadata {
  /** The request that caused the event (the client's Coffer-Request-Id, or a fresh one). */
  requestId: string;
  occurredAt: string;
  /**
   * Who made the request: request ids are scoped to their principal, so this with `requestId` (and
   * the subject) is the idempotency key and the basis of the Nats-Msg-Id. Absent on events written
   * before request ids were scoped: those are never matched by a retry.
   */
  principalId?: string;
  /** sha256 of the request subject and canonical body: a reused id with another body is refused. */
  requestHash?: string;
  /**
   * The subject's last sequence the decision was made against (0: none). The projection voids the
   * event when that was no longer the subject's last event, so check-and-set holds even where the
   * server accepted the conditional append wrongly. Absent on events written before it was recorded.
   */
  expectedSequence?: number;
}

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  type: TType;
  /** Schema version of `data`; older versions are upcast on read (see the event catalogue, domain-events.ts). */
  version: number;
  data: TData;
  metadata: EventMetadata;
}
