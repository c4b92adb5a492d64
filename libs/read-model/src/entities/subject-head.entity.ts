import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/**
 * The last event on each event-log subject (applied or voided): what the next event on that subject
 * must have been decided against. The projection checks every event's `expectedSequence` here,
 * because a replicated JetStream stream on nats-server 2.9 can accept two conditional appends made
 * against the same sequence (nats-server #4320).
 */
@Entity('subject_heads')
export class SubjectHead {
  @PrimaryColumn({ type: 'varchar' })
  subject!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}
