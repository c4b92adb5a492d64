import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import {
  AuditOutcome, AuditRecord, AuthHeaders, CofferError, ErrorCodes, formatScope, forbidden, InnerErrorCodes, Scope, serviceUnavailable,
  VERSION_ID, vaultFromSubject,
} from '@coffer/contracts';
import { authorize } from '@coffer/domain';
import { GatedRequest, HandlerFailure, RequestGate } from '@coffer/transport';
import { AUDIT_SINK, AuditSink } from '../audit/audit-sink';
import { Clock } from '../infrastructure/clock';
import { requestIdOf } from '../request/request-context.decorators';
import { ACCESS_RULE, AccessRule } from './access.decorator';
import { Caller } from './caller';
import { RequestThrottle } from './request-throttle';
import { setCaller } from './request-caller';
import { TokenAuthenticator } from './token-authenticator';

const ROOT: Scope = { level: 'all' };

const errorCodeOf = (err: unknown): string =>
  err instanceof CofferError ? err.code : err instanceof HandlerFailure ? err.wire.code : ErrorCodes.InternalError;

type RecordBase = Omit<AuditRecord, 'outcome' | 'errorCode' | 'principal'>;

/** Audit errorCode of a request dropped because its reply subject was not a caller inbox (ReplyGuard). */
export const REPLY_SUBJECT_REFUSED = 'ReplySubjectRefused';
/** At most one such record per interval: a flood of them must not flood the trail. */
const REPLY_REFUSED_AUDIT_INTERVAL_MS = 1000;

/**
 * Every request: authenticate (bearer token), throttle (RequestThrottle: per principal; anonymous
 * requests per claimed client id and all together), authorize (the handler's @Access rule against
 * the caller's role assignments, deny by default), run the handler, then persist one audit record —
 * allowed or denied, succeeded or failed — BEFORE the reply leaves. If the record cannot be
 * persisted the request fails with ServiceUnavailable/AuditUnavailable, whatever the handler did.
 *
 * The transport runs it in front of every vault handler (RequestGate), before validation; the
 * handlers' @Access rules are collected once, by subject pattern, when the module starts.
 */
@Injectable()
export class AccessControlGate implements RequestGate, OnModuleInit {
  private readonly rules = new Map<string, AccessRule>();
  private lastReplyRefusedAudit = 0;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly authenticator: TokenAuthenticator,
    @Inject(AUDIT_SINK) private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly throttle: RequestThrottle,
  ) {}

  onModuleInit(): void {
    const scanner = new MetadataScanner();
    for (const module of this.modules.values()) {
      for (const controller of module.controllers.values()) {
        const prototype = controller.instance ? Object.getPrototypeOf(controller.instance) : undefined;
        if (!prototype) continue;
        for (const name of scanner.getAllMethodNames(prototype)) {
          const method = prototype[name] as object;
          const patterns = Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined;
          const rule = Reflect.getMetadata(ACCESS_RULE, method) as AccessRule | undefined;
          if (rule) for (const pattern of patterns ?? []) if (typeof pattern === 'string') this.rules.set(pattern, rule);
        }
      }
    }
  }

  /** The rule of a handler pattern (undefined: none, refused). */
  ruleOf(pattern: string): AccessRule | undefined {
    return this.rules.get(pattern);
  }

  async pass({ pattern, data, context }: GatedRequest, handle: () => Promise<unknown>): Promise<unknown> {
    const subject = context.getSubject();
    const req = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const rule = this.rules.get(pattern);
    const scope = rule?.kind === 'action' ? safeScope(() => rule.scope(req, vaultFromSubject(subject))) : ROOT;
    const version = typeof req.version === 'string' && VERSION_ID.test(req.version) ? req.version : undefined;
    const record: RecordBase = {
      time: this.clock.now().toISOString(),
      requestId: requestIdOf(context),
      action: rule === undefined ? 'unknown' : rule.kind === 'action' ? rule.action : rule.auditAction,
      objectId: formatScope(scope),
      ...(version && { version }),
      subject,
    };

    let caller: Caller | undefined;
    let leave: (() => void) | undefined;
    if (rule?.kind === 'anonymous') {
      try {
        await this.throttle.admitAnonymous(rule.auditAction, req.clientId);
      } catch (err) {
        return this.finish(record, null, 'denied', err);
      }
    } else {
      try {
        caller = await this.authenticator.authenticate(context.getHeaders()?.get(AuthHeaders.authorization) || undefined);
      } catch (err) {
        return this.finish(record, null, 'unauthenticated', err);
      }
      try {
        leave = await this.throttle.admitPrincipal(caller.principal.id);
      } catch (err) {
        return this.finish(record, caller.principal.id, 'denied', err);
      }
    }
    try {
      return await this.authorizeAndHandle(record, rule, caller, scope, req, context, handle);
    } finally {
      leave?.();
    }
  }

  private async authorizeAndHandle(
    record: RecordBase, rule: AccessRule | undefined, caller: Caller | undefined, scope: Scope, req: Record<string, unknown>, context: GatedRequest['context'],
    handle: () => Promise<unknown>,
  ): Promise<unknown> {
    if (caller) {
      const denial = this.deny(rule, caller, scope);
      if (denial) return this.finish(record, caller.principal.id, 'denied', denial);
      setCaller(context, caller);
    }

    let result: unknown;
    try {
      result = await handle();
    } catch (err) {
      return this.finish(record, caller?.principal.id ?? null, 'failed', err);
    }
    // Anonymous token requests name their principal in the reply's subject claim only; record the client id they proved.
    const principal = caller?.principal.id ?? (rule?.kind === 'anonymous' && rule.auditAction === 'Coffer/auth/token' ? clientIdOf(req) : null);
    // A read of "the current version" is recorded with the version it actually returned (read provenance).
    const returned = (result as { version?: unknown } | undefined)?.version;
    const withVersion = record.version === undefined && typeof returned === 'string' && VERSION_ID.test(returned) ? { ...record, version: returned } : record;
    await this.finish(withVersion, principal, 'succeeded');
    return result;
  }

  /** A request was dropped for its reply subject: audited as denied (anonymous), rate-limited; never throws. */
  replyRefused(subject: string): void {
    const now = Date.now();
    if (now - this.lastReplyRefusedAudit < REPLY_REFUSED_AUDIT_INTERVAL_MS) return;
    this.lastReplyRefusedAudit = now;
    const record: AuditRecord = {
      time: this.clock.now().toISOString(), requestId: '', principal: null, action: 'unknown', objectId: formatScope(ROOT),
      subject: subject.slice(0, 256), outcome: 'denied', errorCode: REPLY_SUBJECT_REFUSED,
    };
    this.audit.record(record).catch(() => undefined);
  }

  private deny(rule: AccessRule | undefined, caller: Caller, scope: Scope): CofferError | undefined {
    if (rule === undefined) return forbidden('This operation has no access rule; it is refused.', InnerErrorCodes.ForbiddenByRbac);
    if (rule.kind !== 'action') return undefined;
    const decision = authorize(caller.grants, rule.action, scope);
    if (decision.allowed) return undefined;
    return forbidden(
      `Principal '${caller.principal.name}' (${caller.principal.id}) is not allowed to perform '${decision.missingAction}' on '${formatScope(scope)}'.`,
      InnerErrorCodes.ForbiddenByRbac,
    );
  }

  /** Persists the record; then rethrows `error` (if any). A record that cannot be persisted fails the request. */
  private async finish(base: RecordBase, principal: string | null, outcome: AuditOutcome, error?: unknown): Promise<never | undefined> {
    const record: AuditRecord = { ...base, principal, outcome, ...(error !== undefined && { errorCode: errorCodeOf(error) }) };
    try {
      await this.audit.record(record);
    } catch (err) {
      // A full audit store says so (AuditStoreFull: an operator must act); anything else is unavailability.
      if (err instanceof CofferError && err.innerCode === InnerErrorCodes.AuditStoreFull) throw err;
      throw serviceUnavailable('The request could not be recorded in the audit trail; retry later.', InnerErrorCodes.AuditUnavailable);
    }
    if (error !== undefined) throw await this.throttle.hold(error);
    return undefined;
  }
}

function safeScope(scopeOf: () => Scope): Scope {
  try {
    return scopeOf();
  } catch {
    return ROOT;
  }
}

const clientIdOf = (req: Record<string, unknown>): string | null => (typeof req.clientId === 'string' ? req.clientId : null);
