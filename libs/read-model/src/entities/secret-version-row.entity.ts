import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One version of a secret; `value` is the JSON of its EncryptedValue (ciphertext only). */
@Entity('secret_versions')
@Index('IDX_secret_versions_vault_name_ordinal', ['vault', 'name', 'ordinal'], { unique: true })
export class SecretVersionRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @PrimaryColumn({ type: 'varchar' })
  version!: string;

  /** 1, 2, 3… in creation order within the object: the paging cursor for version lists. */
  @Column({ type: 'integer' })
  ordinal!: number;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'integer' })
  dek!: number;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar', nullable: true })
  nbf!: string | null;

  @Column({ type: 'varchar', nullable: true })
  exp!: string | null;

  @Column({ type: 'varchar', nullable: true })
  contentType!: string | null;

  /** JSON object of tags, or null when the version has none. */
  @Column({ type: 'text', nullable: true })
  tags!: string | null;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar' })
  updated!: string;

  /** The exp a NearExpiry notice was recorded for (null: none yet); see ExpiryNotices migration. */
  @Column({ type: 'varchar', nullable: true })
  nearExpiryNotified!: string | null;

  /** The exp an Expired notice was recorded for (null: none yet). */
  @Column({ type: 'varchar', nullable: true })
  expiredNotified!: string | null;
}
