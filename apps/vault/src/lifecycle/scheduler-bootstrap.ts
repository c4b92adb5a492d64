import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { CofferError, ErrorCodes } from '@coffer/contracts';
import { newCredentialId, principalIdFor, requireScope, roleAssignmentIdFor } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { ADMIN_NAME, writePrivateFile } from '../auth/admin-bootstrap';
import { generateClientSecret, secretHint } from '../auth/client-secret';
import { SecretVerifier } from '../auth/secret-verifier';
import { Clock } from '../infrastructure/clock';
import { COFFER_CONFIG } from '../infrastructure/tokens';
import { PrincipalWriter } from '../principals/principal-writer';
import { RoleAssignmentWriter } from '../roles/role-assignment-writer';
import { internalRequest } from '../commands/request-key';

export const SCHEDULER_NAME = 'scheduler';
export const SCHEDULER_ROLE = 'Coffer Lifecycle Scheduler';
const ADMIN_WAIT_MS = 30_000;

/**
 * The lifecycle scheduler is an ordinary client: a `scheduler` service principal with the
 * Coffer Lifecycle Scheduler role at `/`, whose client secret lands in
 * COFFER_SCHEDULER_CREDENTIALS (default `$COFFER_HOME/scheduler.credentials`, 0600). Made once;
 * a missing credentials file gets a fresh credential. Runs after the administrator exists (the
 * administrator bootstrap only runs while there are no principals at all).
 */
@Injectable()
export class SchedulerBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchedulerBootstrap.name);

  constructor(
    private readonly readModel: ReadModel,
    private readonly principals: PrincipalWriter,
    private readonly assignments: RoleAssignmentWriter,
    private readonly clock: Clock,
    @Inject(COFFER_CONFIG) private readonly config: CofferConfig,
    private readonly secrets: SecretVerifier,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.adminExists())) {
      this.logger.warn('no administrator yet: the scheduler principal is not created this time');
      return;
    }
    const id = principalIdFor(SCHEDULER_NAME);
    const run = `bootstrap-scheduler-${randomUUID()}`;
    if (!(await this.readModel.getPrincipal(id))) {
      try {
        await this.principals.run(id, internalRequest(`${run}-create`, 'create'), { type: 'CreatePrincipal', id, name: SCHEDULER_NAME, principalType: 'servicePrincipal', now: this.clock.now() });
      } catch (err) {
        if (!(err instanceof CofferError && err.code === ErrorCodes.Conflict)) throw err; // another replica made it
      }
    }
    const assignment = roleAssignmentIdFor(id, SCHEDULER_ROLE, requireScope('/'));
    if (!(await this.readModel.getRoleAssignment(assignment))) {
      await this.assignments.create(id, SCHEDULER_ROLE, '/', internalRequest(`${run}-assign`, 'assign')).catch((err: unknown) => {
        if (!(err instanceof CofferError && err.code === ErrorCodes.Conflict)) throw err;
      });
    }
    const path = this.config.scheduler.credentialsFile;
    if (credentialsFileIsFor(path, id)) return;
    const clientSecret = generateClientSecret();
    const credential = { id: newCredentialId(), kind: 'secret' as const, hash: await this.secrets.keyedHash(id, clientSecret), hint: secretHint(clientSecret), created: this.clock.now().toISOString() };
    await this.principals.run(id, internalRequest(`${run}-credential`, 'credential'), { type: 'AddCredential', principalId: id, credential });
    writePrivateFile(path, `${JSON.stringify({ clientId: id, clientSecret }, null, 2)}\n`);
    this.logger.log(`Scheduler principal '${SCHEDULER_NAME}' (${id}): credentials written to ${path}`);
  }

  private async adminExists(): Promise<boolean> {
    const admin = principalIdFor(ADMIN_NAME);
    const deadline = Date.now() + ADMIN_WAIT_MS;
    while (Date.now() < deadline) {
      if (await this.readModel.getPrincipal(admin)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }
}

function credentialsFileIsFor(path: string, clientId: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { clientId?: unknown }).clientId === clientId;
  } catch {
    return false;
  }
}
