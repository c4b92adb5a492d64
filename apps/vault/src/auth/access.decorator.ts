import { SetMetadata } from '@nestjs/common';
import { DataAction, Scope } from '@coffer/contracts';

/** The scope a request addresses, from its raw (not yet validated) body and the vault of its subject. */
export type ScopeOf = (req: Record<string, unknown>, vault: string) => Scope;

export type AccessRule =
  /** Needs a valid token and `action` at the request's scope. */
  | { kind: 'action'; action: DataAction; scope: ScopeOf }
  /** Needs a valid token only (e.g. whoami); `auditAction` names it in the audit trail. */
  | { kind: 'authenticated'; auditAction: string }
  /** No token (status, and how a token is obtained); still audited. */
  | { kind: 'anonymous'; auditAction: string };

export const ACCESS_RULE = 'coffer:access-rule';

/** Every public handler declares its access rule; a handler without one is refused (deny by default). */
export const Access = (action: DataAction, scope: ScopeOf) => SetMetadata(ACCESS_RULE, { kind: 'action', action, scope } satisfies AccessRule);
export const Authenticated = (auditAction: string) => SetMetadata(ACCESS_RULE, { kind: 'authenticated', auditAction } satisfies AccessRule);
export const Anonymous = (auditAction: string) => SetMetadata(ACCESS_RULE, { kind: 'anonymous', auditAction } satisfies AccessRule);
