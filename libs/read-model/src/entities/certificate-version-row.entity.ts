import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One certificate version (public data only); its key and secret versions share the version id. */
@Entity('certificate_versions')
@Index('IDX_certificate_versions_vault_name_ordinal', ['vault', 'name', 'ordinal'], { unique: true })
export class CertificateVersionRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @PrimaryColumn({ type: 'varchar' })
  version!: string;

  @Column({ type: 'integer' })
  ordinal!: number;

  /** base64 DER */
  @Column({ type: 'text' })
  cer!: string;

  @Column({ type: 'varchar' })
  x5t!: string;

  @Column({ type: 'varchar' })
  serialNumber!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  issuer!: string;

  /** JSON array of base64 DER issuer certificates. */
  @Column({ type: 'text' })
  chain!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar' })
  nbf!: string;

  @Column({ type: 'varchar' })
  exp!: string;

  @Column({ type: 'text', nullable: true })
  tags!: string | null;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar' })
  updated!: string;

  /** The exp the EmailContacts notice (CertificateNearExpiry) was recorded for; null: none yet. */
  @Column({ type: 'varchar', nullable: true })
  nearExpiryNotified!: string | null;
}
