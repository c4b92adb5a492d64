import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** An internal CA of a vault: its IssuerRecord (HSM key id and public half, certificate, chain). */
@Entity('certificate_issuers')
export class CertificateIssuerRow {
  @PrimaryColumn({ type: 'varchar' })
  vault!: string;

  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  /** JSON of the IssuerRecord. */
  @Column({ type: 'text' })
  record!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;

  /** CRL number of the latest revocation (0: none). */
  @Column({ type: 'integer' })
  crlNumber!: number;

  @Column({ type: 'varchar' })
  created!: string;

  @Column({ type: 'varchar' })
  updated!: string;
}
