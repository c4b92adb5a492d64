import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/**
 * An event in the log that the projection did not apply: it was decided against a sequence that was
 * no longer its subject's last one when it landed (a check-and-set the server should have refused).
 * Its writer decides again or reports Conflict; the change feed leaves it out.
 */
@Entity('voided_events')
export class VoidedEvent {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'varchar' })
  subject!: string;

  /** What its writer expected to be the subject's last sequence. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  expectedSequence!: number;

  /** What the subject's last sequence really was. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  headSequence!: number;
}
