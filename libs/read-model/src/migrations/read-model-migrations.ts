import { InitialReadModel1764355200000 } from './1764355200000-initial-read-model.migration';

/** Every read-model migration, oldest first. */
export const READ_MODEL_MIGRATIONS = [InitialReadModel1764355200000];
