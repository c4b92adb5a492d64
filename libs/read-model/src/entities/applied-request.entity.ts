import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** Which stream sequence a request's (first) event landed at: read-your-writes and retry lookups. */
@Entity('applied_requests')
export class AppliedRequest {
  @PrimaryColumn({ type: 'varchar' })
  requestId!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'varchar' })
  subject!: string;
}
