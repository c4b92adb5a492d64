import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { CofferError, ErrorCodes } from '@coffer/contracts';
import { newCredentialId, principalIdFor } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { chmodSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Clock } from '../infrastructure/clock';
import { COFFER_CONFIG } from '../infrastructure/tokens';
import { PrincipalWriter } from '../principals/principal-writer';
import { RoleAssignmentWriter } from '../roles/role-assignment-writer';
import { generateClientSecret, secretHint } from './client-secret';
import { SecretVerifier } from './secret-verifier';
import { internalRequest } from '../commands/request-key';

export const ADMIN_NAME = 'admin';
export const ADMIN_ROLE = 'Key Vault Administrator';
export const ADMIN_CREDENTIALS_FILE = 'admin.credentials';

/**
 * First start: when no principal exists, create `admin` (a user) with a client secret and Key
 * Vault Administrator at `/`, and write `$COFFER_HOME/admin.credentials` (0600). The admin's id
 * is derived from its name, so its creation is an append with expected sequence 0 on one subject:
 * of two replicas starting together exactly one wins, and only the winner writes the file.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly readModel: ReadModel,
    private readonly principals: PrincipalWriter,
    private readonly assignments: RoleAssignmentWriter,
    private readonly clock: Clock,
    @Inject(COFFER_CONFIG) private readonly config: CofferConfig,
    private readonly secrets: SecretVerifier,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.readModel.countPrincipals()) > 0) return;
    const id = principalIdFor(ADMIN_NAME);
    const run = `bootstrap-${randomUUID()}`;
    // Hashed first (the HSM keys it): an unreachable crypto-worker fails the start before anything is written.
    const clientSecret = generateClientSecret();
    const hash = await this.secrets.keyedHash(id, clientSecret);
    try {
      await this.principals.run(id, internalRequest(`${run}-create`, 'create'), { type: 'CreatePrincipal', id, name: ADMIN_NAME, principalType: 'user', now: this.clock.now() });
    } catch (err) {
      if (err instanceof CofferError && err.code === ErrorCodes.Conflict) return; // another replica, or an earlier start, did it
      throw err;
    }
    const credential = { id: newCredentialId(), kind: 'secret' as const, hash, hint: secretHint(clientSecret), created: this.clock.now().toISOString() };
    await this.principals.run(id, internalRequest(`${run}-credential`, 'credential'), { type: 'AddCredential', principalId: id, credential });
    await this.assignments.create(id, ADMIN_ROLE, '/', internalRequest(`${run}-assign`, 'assign'));
    const path = join(this.config.home, ADMIN_CREDENTIALS_FILE);
    writePrivateFile(path, `${JSON.stringify({ clientId: id, clientSecret }, null, 2)}\n`);
    this.logger.log(`Created the administrator principal '${ADMIN_NAME}' (${id}); its credentials are in ${path}`);
  }
}

/** Creates (or truncates) a file readable by its owner only, whatever the umask. */
export function writePrivateFile(path: string, content: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const fd = openSync(path, 'w', 0o600);
  try {
    chmodSync(path, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
