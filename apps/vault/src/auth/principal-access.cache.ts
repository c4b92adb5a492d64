import { Inject, Injectable } from '@nestjs/common';
import { parseScope } from '@coffer/contracts';
import { Assignment } from '@coffer/domain';
import { PrincipalRow, ReadModel, RoleAssignmentRow } from '@coffer/read-model';
import { AUTH_SETTINGS, AuthSettings } from './auth-settings';

export interface PrincipalAccess {
  principal: PrincipalRow | null;
  assignments: RoleAssignmentRow[];
  /** The assignments as authorize() takes them (unparseable scopes, which the decider never writes, grant nothing). */
  grants: Assignment[];
}

const MAX_ENTRIES = 10_000;

/**
 * A principal's row and role assignments, cached for a short time (COFFER_AUTH_CACHE_MS, 1 s by
 * default) so a request costs no database round trip. Changes made through this replica drop the
 * entry at once; other replicas see them within the TTL: that is the revocation delay.
 */
@Injectable()
export class PrincipalAccessCache {
  private readonly entries = new Map<string, { at: number; value: Promise<PrincipalAccess> }>();

  constructor(private readonly readModel: ReadModel, @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  get(principalId: string): Promise<PrincipalAccess> {
    const now = Date.now();
    const hit = this.entries.get(principalId);
    if (hit && now - hit.at < this.settings.principalCacheMs) return hit.value;
    const value = this.load(principalId);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(principalId, { at: now, value });
    value.catch(() => this.entries.delete(principalId));
    return value;
  }

  invalidate(principalId: string): void {
    this.entries.delete(principalId);
  }

  private async load(principalId: string): Promise<PrincipalAccess> {
    const [principal, assignments] = await Promise.all([this.readModel.getPrincipal(principalId), this.readModel.assignmentsOf(principalId)]);
    const grants = assignments.flatMap((a) => {
      const scope = parseScope(a.scope);
      return scope ? [{ role: a.role, scope }] : [];
    });
    return { principal, assignments, grants };
  }
}
