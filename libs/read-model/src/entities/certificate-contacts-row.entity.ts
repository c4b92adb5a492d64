import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** A vault's certificate contacts (JSON array); removed when they are deleted. */
@Entity('certificate_contacts')
export class CertificateContactsRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @Column({ type: 'text' })
  contacts!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  @Column({ type: 'varchar' })
  updated!: string;
}
