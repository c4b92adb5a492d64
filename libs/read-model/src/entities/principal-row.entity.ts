import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** One principal (user or service principal). Disabled principals stay (enabled = false). */
@Entity('principals')
@Index('IDX_principals_name', ['name'], { unique: true })
export class PrincipalRow {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  name!: string;

  @Column({ type: 'varchar' })
  type!: 'user' | 'servicePrincipal';

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar' })
  created!: string;

  /** Stream sequence of the last event on the principal's subject. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  /** Tokens issued before this time (ISO 8601) are revoked; null when none ever were. */
  @Column({ type: 'varchar', nullable: true })
  revokedBefore!: string | null;
}
