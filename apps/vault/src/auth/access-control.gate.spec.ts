import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { loadConfig, ThrottleSettings } from '@coffer/config';
import { AuditRecord, CofferError, DataActions, ErrorCodes } from '@coffer/contracts';
import { PrincipalRow } from '@coffer/read-model';
import { HandlerFailure } from '@coffer/transport';
import { Clock } from '../infrastructure/clock';
import { AccessControlGate } from './access-control.gate';
import { Access, AccessRule, Anonymous } from './access.decorator';
import { Caller } from './caller';
import { RequestThrottle } from './request-throttle';
import { TokenAuthenticator } from './token-authenticator';
import { objectScope } from '../objects/object-scope';

const secretScope = objectScope('secrets');

const principal: PrincipalRow = { id: 'p-0000000000000001', name: 'alice', type: 'user', enabled: true, created: '', sequence: 1, revokedBefore: null };
const caller = (role: string, scope = '/'): Caller => ({
  principal, assignments: [], grants: [{ role, scope: scope === '/' ? { level: 'all' } : { level: 'vault', vault: 'prod' } }], tokenExpiresOn: '',
});

const SUBJECT = 'coffer.v1.vault.prod.secret.get';

/** A fake ModulesContainer holding one controller, as NestJS would after instantiating it. */
function modulesWith(controller: object): ModulesContainer {
  return new Map([['m', { controllers: new Map([['c', { instance: controller }]]) }]]) as unknown as ModulesContainer;
}

const throttleWith = (env: Record<string, string> = {}): RequestThrottle =>
  new RequestThrottle(loadConfig({ COFFER_HOME: '/nonexistent', COFFER_THROTTLE_HOLD_MS: '0', ...env }).throttle satisfies ThrottleSettings);

function setup(opts: {
  rule?: AccessRule; caller?: Caller | Error; handler?: () => Promise<unknown>; auditFails?: boolean; data?: object; authorization?: string; throttle?: RequestThrottle;
}) {
  const records: AuditRecord[] = [];
  const auth = {
    authenticate: async () => {
      if (opts.caller instanceof Error) throw opts.caller;
      return opts.caller as Caller;
    },
  } as unknown as TokenAuthenticator;
  const sink = { record: async (r: AuditRecord) => { if (opts.auditFails) throw new Error('down'); records.push(r); } };
  const gate = new AccessControlGate(new Map() as unknown as ModulesContainer, auth, sink, new Clock(), opts.throttle ?? throttleWith());
  if (opts.rule) (gate as unknown as { rules: Map<string, AccessRule> }).rules.set(SUBJECT, opts.rule);
  const context = { getSubject: () => SUBJECT, getHeaders: () => ({ get: (k: string) => (k === 'Authorization' ? opts.authorization ?? 'Bearer t' : '') }) } as never;
  let ran = false;
  const handle = () => {
    ran = true;
    return opts.handler ? opts.handler() : Promise.resolve({ value: 'SECRET' });
  };
  const request = { pattern: SUBJECT, data: opts.data ?? { name: 'db', version: 'a'.repeat(32) }, context };
  return { run: () => gate.pass(request, handle), records, ran: () => ran };
}

const getRule: AccessRule = { kind: 'action', action: DataActions.secretsGet, scope: secretScope };

describe('AccessControlGate', () => {
  it('collects every handler\'s access rule by its subject pattern when the module starts', () => {
    @Controller()
    class Handlers {
      @MessagePattern(SUBJECT)
      @Access(DataActions.secretsGet, secretScope)
      get() {}

      @MessagePattern('coffer.v1.status')
      @Anonymous('Coffer/status/read')
      status() {}

      @MessagePattern('coffer.v1.unruled')
      unruled() {}
    }
    const gate = new AccessControlGate(modulesWith(new Handlers()), {} as TokenAuthenticator, { record: async () => undefined }, new Clock(), throttleWith());
    gate.onModuleInit();
    expect(gate.ruleOf(SUBJECT)).toMatchObject({ kind: 'action', action: DataActions.secretsGet });
    expect(gate.ruleOf('coffer.v1.status')).toEqual({ kind: 'anonymous', auditAction: 'Coffer/status/read' });
    expect(gate.ruleOf('coffer.v1.unruled')).toBeUndefined();
  });

  it('allows a permitted request and audits it with object id and version', async () => {
    const t = setup({ rule: getRule, caller: caller('Key Vault Secrets User') });
    expect(await t.run()).toEqual({ value: 'SECRET' });
    expect(t.records).toEqual([expect.objectContaining({
      principal: principal.id, action: DataActions.secretsGet, objectId: '/vaults/prod/secrets/db', version: 'a'.repeat(32), outcome: 'succeeded', subject: 'coffer.v1.vault.prod.secret.get',
    })]);
    expect(JSON.stringify(t.records)).not.toContain('SECRET');
  });
  it('denies a missing action, names it, audits the denial and never runs the handler', async () => {
    const t = setup({ rule: getRule, caller: caller('Key Vault Reader') });
    await expect(t.run()).rejects.toMatchObject({ code: ErrorCodes.Forbidden, innerCode: 'ForbiddenByRbac', message: expect.stringContaining(DataActions.secretsGet) });
    expect(t.ran()).toBe(false);
    expect(t.records[0]).toMatchObject({ outcome: 'denied', errorCode: 'Forbidden', principal: principal.id });
  });
  it('audits unauthenticated requests', async () => {
    const t = setup({ rule: getRule, caller: new CofferError(ErrorCodes.Unauthorized, 'no', 'TokenMissing') });
    await expect(t.run()).rejects.toMatchObject({ code: 'Unauthorized' });
    expect(t.records[0]).toMatchObject({ outcome: 'unauthenticated', principal: null, errorCode: 'Unauthorized' });
    expect(t.ran()).toBe(false);
  });
  it('refuses handlers without an access rule', async () => {
    const t = setup({ caller: caller('Key Vault Administrator') });
    await expect(t.run()).rejects.toMatchObject({ code: 'Forbidden' });
  });
  it('audits handler failures (the error reply the handler made), passing the failure on', async () => {
    const failure = new HandlerFailure({ code: ErrorCodes.SecretNotFound, message: 'x' });
    const t = setup({ rule: getRule, caller: caller('Key Vault Administrator'), handler: () => Promise.reject(failure) });
    await expect(t.run()).rejects.toBe(failure);
    expect(t.records[0]).toMatchObject({ outcome: 'failed', errorCode: 'SecretNotFound' });
  });
  it('fails the request, withholding the reply, when the audit record cannot be persisted', async () => {
    const t = setup({ rule: getRule, caller: caller('Key Vault Administrator'), auditFails: true });
    await expect(t.run()).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditUnavailable' });
  });
  it('lets anonymous rules through without authenticating, still audited', async () => {
    const t = setup({ rule: { kind: 'anonymous', auditAction: 'Coffer/status/read' }, caller: new Error('must not authenticate') });
    expect(await t.run()).toEqual({ value: 'SECRET' });
    expect(t.records[0]).toMatchObject({ outcome: 'succeeded', principal: null, action: 'Coffer/status/read' });
  });

  it('throttles anonymous requests per claimed client id (Throttled + retryAfterMs), audits the refusal and never runs the handler', async () => {
    const throttle = throttleWith({ COFFER_THROTTLE_ANONYMOUS_PER_CLIENT: '2' });
    const rule: AccessRule = { kind: 'anonymous', auditAction: 'Coffer/auth/challenge' };
    const attempt = (clientId: string) => setup({ rule, throttle, data: { clientId }, caller: new Error('must not authenticate') });
    for (let i = 0; i < 2; i++) expect(await attempt('p-00000000000000aa').run()).toEqual({ value: 'SECRET' });
    const third = attempt('p-00000000000000aa');
    const err = await third.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CofferError);
    expect((err as CofferError).toWire()).toEqual({ code: 'Throttled', message: expect.any(String), innererror: { code: 'TooManyRequests' }, retryAfterMs: expect.any(Number) });
    expect((err as CofferError).retryAfterMs).toBeGreaterThan(0);
    expect((err as CofferError).retryAfterMs).toBeLessThanOrEqual(1000);
    expect(third.ran()).toBe(false);
    expect(third.records).toEqual([expect.objectContaining({ outcome: 'denied', errorCode: 'Throttled', principal: null, action: 'Coffer/auth/challenge' })]);
    // Another client id is not affected; token requests are counted per client id by the credential exchange instead.
    expect(await attempt('p-00000000000000bb').run()).toEqual({ value: 'SECRET' });
    const token: AccessRule = { kind: 'anonymous', auditAction: 'Coffer/auth/token' };
    for (let i = 0; i < 3; i++) expect(await setup({ rule: token, throttle, data: { clientId: 'p-00000000000000aa' } }).run()).toEqual({ value: 'SECRET' });
  });

  it('limits the requests of one principal in progress at once, and frees its slots when they finish or fail', async () => {
    const throttle = throttleWith({ COFFER_THROTTLE_PRINCIPAL_IN_FLIGHT: '2' });
    let release!: () => void;
    const gateOpen = new Promise<void>((r) => (release = r));
    const slow = () => setup({ rule: getRule, throttle, caller: caller('Key Vault Administrator'), handler: () => gateOpen.then(() => ({ ok: true })) });
    const running = [slow().run(), slow().run()];
    const third = slow();
    await expect(third.run()).rejects.toMatchObject({ code: 'Throttled', innerCode: 'TooManyRequests', retryAfterMs: expect.any(Number) });
    expect(third.records[0]).toMatchObject({ outcome: 'denied', errorCode: 'Throttled', principal: principal.id });
    release();
    await Promise.all(running);
    const failing = setup({ rule: getRule, throttle, caller: caller('Key Vault Reader') });
    await expect(failing.run()).rejects.toMatchObject({ code: 'Forbidden' });
    await expect(Promise.all([slow().run(), slow().run()])).resolves.toHaveLength(2);
  });

  it('holds a Throttled refusal for up to holdMs of its retry-after and reports the rest', async () => {
    const throttle = throttleWith({ COFFER_THROTTLE_ANONYMOUS_PER_CLIENT: '1', COFFER_THROTTLE_WINDOW_MS: '10000', COFFER_THROTTLE_HOLD_MS: '200' });
    const rule: AccessRule = { kind: 'anonymous', auditAction: 'Coffer/status/read' };
    await setup({ rule, throttle }).run();
    const started = performance.now();
    const err = (await setup({ rule, throttle }).run().catch((e: unknown) => e)) as CofferError;
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toMatchObject({ code: 'Throttled', innerCode: 'TooManyRequests' });
    expect(err.retryAfterMs).toBeGreaterThan(9_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(9_800);
    // A handler's refusal (as the exception filter made it) is held the same way; other errors are not.
    const failure = new HandlerFailure({ code: 'Throttled', message: 'locked', innererror: { code: 'CredentialLockedOut' }, retryAfterMs: 150 });
    const held = (await throttle.hold(failure)) as HandlerFailure;
    expect(held.wire).toEqual({ ...failure.wire, retryAfterMs: 1 });
    const other = new Error('x');
    expect(await throttle.hold(other)).toBe(other);
  });
});
