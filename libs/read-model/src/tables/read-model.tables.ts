import { AnyTableSpec } from '@coffer/sql';
import { READ_MODEL_KINDS } from '../kinds/read-model-kinds';
import { appliedRequestsTable, projectionCheckpointsTable, subjectHeadsTable, voidedEventsTable } from './projection.tables';

/** Every read-model table (what a rebuild clears, what a dump compares, what the migrations must create): each kind's, then the projection's own. */
export const READ_MODEL_TABLES: readonly AnyTableSpec[] = [
  ...READ_MODEL_KINDS.flatMap((kind) => kind.tables),
  projectionCheckpointsTable, appliedRequestsTable, subjectHeadsTable, voidedEventsTable,
];
