import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; stream sequences stay far below 2^53. */
const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/**
 * One chained audit record: the record's fields, where it is in COFFER_AUDIT (stream sequence and
 * index within that message: the vault group-commits several records per message), chain position and hash.
 */
@Entity('audit_records')
@Index('IDX_audit_records_object', ['objectId', 'seq'])
@Index('IDX_audit_records_principal', ['principal', 'seq'])
@Index('IDX_audit_records_position', ['position'], { unique: true })
export class AuditRecordRow {
  /** COFFER_AUDIT stream sequence. */
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  seq!: number;

  /** Index of the record within its message (0 for the first, and for messages of one record). */
  @PrimaryColumn({ type: 'integer' })
  idx!: number;

  /** n: 1 for the first chained record. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  position!: number;

  @Column({ type: 'varchar' }) time!: string;
  @Column({ type: 'varchar' }) requestId!: string;
  @Column({ type: 'varchar', nullable: true }) principal!: string | null;
  @Column({ type: 'varchar' }) action!: string;
  @Column({ type: 'varchar' }) objectId!: string;
  @Column({ type: 'varchar', nullable: true }) version!: string | null;
  @Column({ type: 'varchar' }) outcome!: string;
  @Column({ type: 'varchar', nullable: true }) errorCode!: string | null;
  @Column({ type: 'varchar' }) subject!: string;
  /** hash_n, hex. */
  @Column({ type: 'varchar' }) hash!: string;
  /** Summary records only: requests folded into this one, and the last one's time. */
  @Column({ type: 'integer', nullable: true }) count!: number | null;
  @Column({ type: 'varchar', nullable: true }) lastTime!: string | null;
}

/** A signed checkpoint, as published to COFFER_AUDIT_CHECKPOINTS. */
@Entity('audit_checkpoints')
export class AuditCheckpointRow {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'bigint', transformer: bigintNumber }) count!: number;
  @Column({ type: 'varchar' }) head!: string;
  @Column({ type: 'varchar' }) time!: string;
  @Column({ type: 'varchar' }) keyId!: string;
  @Column({ type: 'varchar' }) signature!: string;
}

export const AUDIT_ENTITIES = [AuditRecordRow, AuditCheckpointRow];
