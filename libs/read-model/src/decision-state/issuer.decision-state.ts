import { canonicalSerial, IssuerState } from '@coffer/domain';
import { CertificateReadModel } from '../certificate.queries';
import { CertificateIssuerRow } from '../tables/certificate.tables';

/** An issuer's decision state: its head row and the revoked serials looked up (at most the one a revocation names). */
export function issuerDecisionState(row: CertificateIssuerRow, revokedSerials: string[]): IssuerState {
  return { exists: true, sequence: row.sequence, crlNumber: row.crlNumber, revokedSerials };
}

/** Reads what an issuer command decides on in O(1): the head row and, for a revocation, whether that one serial is already revoked. Null without a row. */
export async function readIssuerDecisionState(certificates: CertificateReadModel, vault: string, name: string, serial?: string): Promise<IssuerState | null> {
  const row = await certificates.getIssuer(vault, name);
  if (!row) return null;
  const revoked = serial !== undefined && (await certificates.isRevoked(vault, name, canonicalSerial(serial)));
  return issuerDecisionState(row, revoked ? [canonicalSerial(serial)] : []);
}
