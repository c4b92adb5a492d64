import { SecretVersionAttributes } from '@coffer/contracts';

/** A version row's enabled/nbf/exp columns as the attributes its events carry (secret or key: the same shape). */
export function attributesOfRow(row: { enabled: boolean; nbf: string | null; exp: string | null }): SecretVersionAttributes {
  return { enabled: row.enabled, ...(row.nbf && { nbf: row.nbf }), ...(row.exp && { exp: row.exp }) };
}
