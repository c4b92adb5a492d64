import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** One role assignment (principal, built-in role, scope string such as /vaults/prod). */
@Entity('role_assignments')
@Index('IDX_role_assignments_principalId', ['principalId'])
export class RoleAssignmentRow {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  principalId!: string;

  @Column({ type: 'varchar' })
  role!: string;

  @Column({ type: 'varchar' })
  scope!: string;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}
