import { KEY_PROJECTIONS } from '../projections/key.projection';
import { keyRotationPoliciesTable, keysTable, keyVersionsTable } from '../tables/key.tables';
import { ReadModelKind } from './read-model-kind';

export * from '../tables/key.tables';
export * from '../decision-state/key.decision-state';

export const KEY_READ_MODEL: ReadModelKind = {
  subjects: [{ token: 'key', kind: 'key', shape: 'named' }],
  tables: [keysTable, keyVersionsTable, keyRotationPoliciesTable],
  projections: KEY_PROJECTIONS,
  purgeable: { objects: 'keys', heads: keysTable, skipManaged: true },
};
