import { PrincipalState } from '@coffer/domain';
import { ReadModel } from '../read-model.queries';
import { PrincipalCredentialRow, PrincipalRow } from '../tables/principal.tables';

export function principalDecisionState(row: PrincipalRow, credentials: PrincipalCredentialRow[]): PrincipalState {
  return {
    exists: true, id: row.id, name: row.name, type: row.type, enabled: row.enabled, sequence: row.sequence,
    credentials: credentials.map((c) => ({ id: c.id, kind: c.kind, ...(c.publicKey && { publicKey: c.publicKey }), ...(c.hash && { hash: c.hash }) })),
  };
}

/** Reads a principal's decision state (and the rows handlers reply from); null without a row. */
export async function readPrincipalDecisionState(
  readModel: ReadModel, id: string,
): Promise<{ row: PrincipalRow; credentials: PrincipalCredentialRow[]; state: PrincipalState } | null> {
  const row = await readModel.getPrincipal(id);
  if (!row) return null;
  const credentials = await readModel.credentialsOf(id);
  return { row, credentials, state: principalDecisionState(row, credentials) };
}
