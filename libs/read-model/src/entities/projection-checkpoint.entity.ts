import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** Last stream sequence folded into the read model; written in the same transaction as the rows. */
@Entity('projection_checkpoints')
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}
