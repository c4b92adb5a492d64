import { AppliedRequest } from './applied-request.entity';
import { ProjectionCheckpoint } from './projection-checkpoint.entity';
import { SecretRow } from './secret-row.entity';
import { SecretVersionRow } from './secret-version-row.entity';
import { VaultRow } from './vault-row.entity';

export const READ_MODEL_ENTITIES = [VaultRow, SecretRow, SecretVersionRow, ProjectionCheckpoint, AppliedRequest];
