/** What is stored in JetStream for every domain event. */
export interface EventMetadata {
  /** The request that caused the event; also the basis of its Nats-Msg-Id. */
  requestId: string;
  occurredAt: string;
}

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  type: TType;
  /** Schema version of `data`; older versions are upcast on read (see upcast.ts). */
  version: number;
  data: TData;
  metadata: EventMetadata;
}
