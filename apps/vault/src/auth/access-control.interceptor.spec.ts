import 'reflect-metadata';
import { Reflector } from '@nestjs/core';
import { AuditRecord, CofferError, DataActions, ErrorCodes } from '@coffer/contracts';
import { PrincipalRow } from '@coffer/read-model';
import { lastValueFrom, of, throwError } from 'rxjs';
import { Clock } from '../infrastructure/clock';
import { AccessControlInterceptor } from './access-control.interceptor';
import { ACCESS_RULE, AccessRule } from './access.decorator';
import { Caller } from './caller';
import { secretScope } from './scopes';
import { TokenAuthenticator } from './token-authenticator';

const principal: PrincipalRow = { id: 'p-0000000000000001', name: 'alice', type: 'user', enabled: true, created: '', sequence: 1, revokedBefore: null };
const caller = (role: string, scope = '/'): Caller => ({
  principal, assignments: [], grants: [{ role, scope: scope === '/' ? { level: 'all' } : { level: 'vault', vault: 'prod' } }], tokenExpiresOn: '',
});

function setup(opts: { rule?: AccessRule; caller?: Caller | Error; handler?: () => unknown; auditFails?: boolean; data?: object; authorization?: string }) {
  const records: AuditRecord[] = [];
  const handlerFn = () => undefined;
  if (opts.rule) Reflect.defineMetadata(ACCESS_RULE, opts.rule, handlerFn);
  const auth = {
    authenticate: async () => {
      if (opts.caller instanceof Error) throw opts.caller;
      return opts.caller as Caller;
    },
  } as unknown as TokenAuthenticator;
  const sink = { record: async (r: AuditRecord) => { if (opts.auditFails) throw new Error('down'); records.push(r); } };
  const interceptor = new AccessControlInterceptor(new Reflector(), auth, sink, new Clock());
  const natsCtx = { getSubject: () => 'coffer.v1.vault.prod.secret.get', getHeaders: () => ({ get: (k: string) => (k === 'Authorization' ? opts.authorization ?? 'Bearer t' : '') }) };
  const context = {
    getHandler: () => handlerFn,
    switchToRpc: () => ({ getContext: () => natsCtx, getData: () => opts.data ?? { name: 'db', version: 'a'.repeat(32) } }),
  } as never;
  let ran = false;
  const next = { handle: () => { ran = true; return opts.handler ? (opts.handler() as never) : of({ value: 'SECRET' }); } };
  return { run: () => lastValueFrom(interceptor.intercept(context, next)), records, ran: () => ran };
}

const getRule: AccessRule = { kind: 'action', action: DataActions.secretsGet, scope: secretScope };

describe('AccessControlInterceptor', () => {
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
  it('audits handler failures', async () => {
    const t = setup({ rule: getRule, caller: caller('Key Vault Administrator'), handler: () => throwError(() => new CofferError(ErrorCodes.SecretNotFound, 'x')) });
    await expect(t.run()).rejects.toMatchObject({ code: 'SecretNotFound' });
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
});
