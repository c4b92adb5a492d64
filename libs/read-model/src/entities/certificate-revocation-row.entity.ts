import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One serial number an internal CA has revoked (what its CRL lists). */
@Entity('certificate_revocations')
export class CertificateRevocationRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  issuer!: string;

  @PrimaryColumn({ type: 'varchar' })
  serialNumber!: string;

  @Column({ type: 'varchar' })
  revocationDate!: string;

  @Column({ type: 'varchar' })
  reason!: string;
}
