import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

export type SecretStatus = 'active' | 'deleted';

/** One secret object (all its versions share it). Removed on purge, so a name can be reused. */
@Entity('secrets')
@Index('IDX_secrets_vault_status_name', ['vault', 'status', 'name'])
export class SecretRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @Column({ type: 'varchar' })
  status!: SecretStatus;

  @Column({ type: 'varchar' })
  currentVersion!: string;

  /** Stream sequence of the last event on the secret's subject. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  /** Keyring sequence of the object's current data key. */
  @Column({ type: 'integer' })
  dek!: number;

  @Column({ type: 'integer' })
  versionCount!: number;

  @Column({ type: 'varchar' })
  created!: string;

  /** Time of the latest SecretSet / SecretAttributesUpdated / SecretRestored; delete and recover keep it. */
  @Column({ type: 'varchar' })
  updated!: string;

  @Column({ type: 'varchar', nullable: true })
  deletedDate!: string | null;

  @Column({ type: 'varchar', nullable: true })
  scheduledPurgeDate!: string | null;

  @Column({ type: 'varchar', nullable: true })
  recoveryId!: string | null;

  /** 'certificate' for the secret of a certificate: only certificate commands change it. */
  @Column({ type: 'varchar', nullable: true })
  managedBy!: string | null;
}
