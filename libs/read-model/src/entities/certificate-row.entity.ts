import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** One certificate object: head, policy and pending operation. Removed on purge (or when its only operation is cancelled). */
@Entity('certificates')
@Index('IDX_certificates_vault_status_name', ['vault', 'status', 'name'])
export class CertificateRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @Column({ type: 'varchar' })
  status!: 'active' | 'deleted';

  /** Null while the first version is still a pending operation. */
  @Column({ type: 'varchar', nullable: true })
  currentVersion!: string | null;

  /** Stream sequence of the last event on the certificate's subject. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'integer' })
  versionCount!: number;

  /** JSON of the CertificatePolicy. */
  @Column({ type: 'text' })
  policy!: string;

  /** JSON of the PendingCertificateRecord, or null. */
  @Column({ type: 'text', nullable: true })
  pending!: string | null;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar' })
  updated!: string;

  @Column({ type: 'varchar', nullable: true })
  deletedDate!: string | null;

  @Column({ type: 'varchar', nullable: true })
  scheduledPurgeDate!: string | null;

  @Column({ type: 'varchar', nullable: true })
  recoveryId!: string | null;
}
