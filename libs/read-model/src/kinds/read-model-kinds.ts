import { CERTIFICATE_READ_MODEL } from './certificate.read-model';
import { KEY_READ_MODEL } from './key.read-model';
import { PRINCIPAL_READ_MODEL } from './principal.read-model';
import { ReadModelKind } from './read-model-kind';
import { SECRET_READ_MODEL } from './secret.read-model';
import { VAULT_READ_MODEL } from './vault.read-model';

export * from './read-model-kind';
export * from './vault.read-model';
export * from './secret.read-model';
export * from './key.read-model';
export * from './principal.read-model';
export * from './certificate.read-model';

/**
 * Every object kind of the read model: the tables list, the projection dispatch, the subject
 * parser and the scheduler's purge scan derive from it. A new kind is one file here and one entry.
 */
export const READ_MODEL_KINDS: readonly ReadModelKind[] = [VAULT_READ_MODEL, SECRET_READ_MODEL, PRINCIPAL_READ_MODEL, KEY_READ_MODEL, CERTIFICATE_READ_MODEL];
