import { ReadModelDbOpts } from '@coffer/read-model';

/** How the projector is run beyond CofferConfig (embedding and tests). */
export interface ProjectorOptions {
  /** Options of its database connection (e.g. a SQLite `prepareSqlite` hook in tests). */
  db?: ReadModelDbOpts;
}
