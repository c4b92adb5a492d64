import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

export type KeyStatus = 'active' | 'deleted';

/** One key object (all its versions share it). Removed on purge, so a name can be reused. */
@Entity('keys')
@Index('IDX_keys_vault_status_name', ['vault', 'status', 'name'])
export class KeyRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @Column({ type: 'varchar' })
  status!: KeyStatus;

  @Column({ type: 'varchar' })
  currentVersion!: string;

  /** Stream sequence of the last event on the key's subject. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'integer' })
  versionCount!: number;

  @Column({ type: 'varchar' })
  created!: string;

  /** Time of the latest version or attribute change; delete, recover and policy changes keep it. */
  @Column({ type: 'varchar' })
  updated!: string;

  @Column({ type: 'varchar', nullable: true })
  deletedDate!: string | null;

  @Column({ type: 'varchar', nullable: true })
  scheduledPurgeDate!: string | null;

  @Column({ type: 'varchar', nullable: true })
  recoveryId!: string | null;

  /** 'certificate' for the key of a certificate: only certificate commands change it. */
  @Column({ type: 'varchar', nullable: true })
  managedBy!: string | null;
}
