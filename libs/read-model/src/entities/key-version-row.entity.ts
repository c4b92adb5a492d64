import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One version of a key: its public half and where its HSM objects are; never private or secret
 * material (that exists only inside the HSM).
 */
@Entity('key_versions')
@Index('IDX_key_versions_vault_name_ordinal', ['vault', 'name', 'ordinal'], { unique: true })
export class KeyVersionRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @PrimaryColumn({ type: 'varchar' })
  version!: string;

  /** 1, 2, 3… in creation order within the object: the paging cursor for version lists. */
  @Column({ type: 'integer' })
  ordinal!: number;

  /** `<vault>/<name>/<32 hex>`: the crypto-worker's name for this version's HSM objects. */
  @Column({ type: 'varchar' })
  hsmKeyId!: string;

  /** RSA-HSM, EC-HSM or oct-HSM. */
  @Column({ type: 'varchar' })
  kty!: string;

  @Column({ type: 'integer', nullable: true })
  keySize!: number | null;

  @Column({ type: 'varchar', nullable: true })
  crv!: string | null;

  /** JSON array of key_ops. */
  @Column({ type: 'text' })
  keyOps!: string;

  /** JSON of the public half (PublicKeyMaterial). */
  @Column({ type: 'text' })
  publicKey!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar', nullable: true })
  nbf!: string | null;

  @Column({ type: 'varchar', nullable: true })
  exp!: string | null;

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
