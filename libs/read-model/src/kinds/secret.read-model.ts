import { SECRET_PROJECTIONS } from '../projections/secret.projection';
import { secretsTable, secretVersionsTable } from '../tables/secret.tables';
import { ReadModelKind } from './read-model-kind';

export * from '../tables/secret.tables';
export * from '../decision-state/secret.decision-state';

export const SECRET_READ_MODEL: ReadModelKind = {
  subjects: [{ token: 'secret', kind: 'secret', shape: 'named' }],
  tables: [secretsTable, secretVersionsTable],
  projections: SECRET_PROJECTIONS,
  purgeable: { objects: 'secrets', heads: secretsTable, skipManaged: true },
};
