import { KeysReadModel1769904000000 } from '../migrations/1769904000000-keys-read-model.migration';
import { KEY_PROJECTIONS } from '../projections/key.projection';
import { keyRotationPoliciesTable, keysTable, keyVersionsTable } from '../tables/key.tables';
import { ReadModelKind } from './read-model-kind';

export * from '../tables/key.tables';
export * from '../decision-state/key.decision-state';

export const KEY_READ_MODEL: ReadModelKind = {
  subjects: [{ token: 'key', kind: 'key', shape: 'named' }],
  tables: [keysTable, keyVersionsTable, keyRotationPoliciesTable],
  migrations: [KeysReadModel1769904000000],
  projections: KEY_PROJECTIONS,
  purgeable: { objects: 'keys', heads: keysTable, skipManaged: true },
};
