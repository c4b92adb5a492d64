import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** One vault's current settings. */
@Entity('vaults')
export class VaultRow {
  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @Column({ type: 'varchar' })
  kekId!: string;

  @Column({ type: 'integer' })
  retentionDays!: number;

  @Column({ type: 'boolean' })
  purgeProtection!: boolean;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar' })
  updated!: string;

  /** Stream sequence of the last event on the vault's subject (its expected-last-subject-sequence). */
  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}
