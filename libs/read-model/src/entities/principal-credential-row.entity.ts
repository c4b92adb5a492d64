import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A credential: a client secret only as its scrypt hash, an Ed25519 key only as its public key. */
@Entity('principal_credentials')
@Index('IDX_principal_credentials_principalId', ['principalId'])
export class PrincipalCredentialRow {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  principalId!: string;

  @Column({ type: 'varchar' })
  kind!: 'secret' | 'ed25519';

  @Column({ type: 'varchar', nullable: true })
  hash!: string | null;

  @Column({ type: 'varchar', nullable: true })
  publicKey!: string | null;

  @Column({ type: 'varchar', nullable: true })
  hint!: string | null;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar', nullable: true })
  expires!: string | null;
}
