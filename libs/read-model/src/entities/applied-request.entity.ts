import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/**
 * One applied request on one object: where its event landed, and what it was. Request ids are
 * scoped to their principal, so the key is (principal, request id, subject); `requestHash` lets a
 * reused id with another body be refused. Rows older than the request-id horizon (by event time)
 * are pruned by the projection.
 */
@Entity('applied_requests')
@Index('IDX_applied_requests_occurredAt', ['occurredAt'])
export class AppliedRequest {
  @PrimaryColumn({ type: 'varchar' })
  principalId!: string;

  @PrimaryColumn({ type: 'varchar' })
  requestId!: string;

  @PrimaryColumn({ type: 'varchar' })
  subject!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'varchar' })
  requestHash!: string;

  /** The event's metadata.occurredAt, epoch milliseconds: what pruning compares. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  occurredAt!: number;
}
