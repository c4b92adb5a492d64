import { KeyVersionRecord, SecretVersionRecord } from '@coffer/contracts';
import { Sql } from './sql-statements';

/** The row parameters of a secret version (secret_versions), shared by the secret and certificate projections. */
export function versionParams(sql: Sql, vault: string, name: string, r: SecretVersionRecord, ordinal: number): unknown[] {
  return [
    vault, name, r.version, ordinal, JSON.stringify(r.value), r.value.dek, sql.bool(r.attributes.enabled),
    r.attributes.nbf ?? null, r.attributes.exp ?? null, r.contentType ?? null, r.tags ? JSON.stringify(r.tags) : null, r.created, r.updated,
  ];
}

/** The row parameters of a key version (key_versions), shared by the key and certificate projections. */
export function keyVersionParams(sql: Sql, vault: string, name: string, r: KeyVersionRecord, ordinal: number): unknown[] {
  return [
    vault, name, r.version, ordinal, r.hsmKeyId, r.kty, r.keySize ?? null, r.crv ?? null, JSON.stringify(r.keyOps), JSON.stringify(r.publicKey),
    sql.bool(r.attributes.enabled), r.attributes.nbf ?? null, r.attributes.exp ?? null, r.tags ? JSON.stringify(r.tags) : null, r.created, r.updated,
  ];
}
