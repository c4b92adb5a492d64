import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A key's rotation policy (at most one per key); the scheduler reads these. Removed on purge. */
@Entity('key_rotation_policies')
export class KeyRotationPolicyRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  /** JSON array of lifetime actions ({trigger, action}). */
  @Column({ type: 'text' })
  lifetimeActions!: string;

  /** ISO 8601 duration new versions stay valid, or null. */
  @Column({ type: 'varchar', nullable: true })
  expiryTime!: string | null;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar' })
  updated!: string;
}
