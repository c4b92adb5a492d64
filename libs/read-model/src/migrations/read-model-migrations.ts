import { READ_MODEL_KINDS } from '../kinds/read-model-kinds';
import { MigrationClass } from '../kinds/read-model-kind';
import { InitialReadModel1764355200000 } from './1764355200000-initial-read-model.migration';
import { ExpiryNotices1772150400000 } from './1772150400000-expiry-notices.migration';
import { ScopedAppliedRequests1780185600000 } from './1780185600000-scoped-applied-requests.migration';
import { CheckAndSetInTheLog1782864000000 } from './1782864000000-check-and-set-in-the-log.migration';

/** Migrations that span kinds (the first schema, expiry notices, applied requests, check-and-set); each kind declares its own. */
const CROSS_KIND_MIGRATIONS: readonly MigrationClass[] = [
  InitialReadModel1764355200000, ExpiryNotices1772150400000, ScopedAppliedRequests1780185600000, CheckAndSetInTheLog1782864000000,
];

const timestampOf = (migration: MigrationClass): number => Number(/(\d{13})$/.exec(migration.name)?.[1] ?? NaN);

/** Every read-model migration, oldest first: the cross-kind ones and each kind's (READ_MODEL_KINDS), by timestamp. */
export const READ_MODEL_MIGRATIONS: MigrationClass[] = [...CROSS_KIND_MIGRATIONS, ...READ_MODEL_KINDS.flatMap((kind) => kind.migrations ?? [])]
  .sort((a, b) => timestampOf(a) - timestampOf(b));
