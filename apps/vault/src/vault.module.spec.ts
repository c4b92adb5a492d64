import 'reflect-metadata';
import { InjectionToken, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import {
  CERTIFICATE_OPS, CertificateNameRequest, KEY_SUBJECT_OPS, PageRequest, Patterns, RestoreSecretRequest, SECRET_OPS, SecretNameRequest,
} from '@coffer/contracts';
import { EventStore } from '@coffer/event-store';
import { CertificateReadModel, ReadModel } from '@coffer/read-model';
import { ACCESS_RULE } from './auth/access.decorator';
import { CERTIFICATE_FEATURE } from './certificates';
import { CommandRunner } from './commands/command-runner';
import { CryptoWorkerClient } from './crypto/crypto-worker.client';
import { DataKeysService } from './crypto/data-keys.service';
import { KeyCryptoClient } from './crypto/key-crypto.client';
import { Clock } from './infrastructure/clock';
import { COFFER_CONFIG, NATS_CONNECTION } from './infrastructure/tokens';
import { KEY_FEATURE } from './keys';
import { OBJECT_KIT_FEATURE } from './objects';
import { ProjectionWaiter } from './projection/projection-waiter';
import { SECRET_FEATURE } from './secrets';
import { VaultFeature } from './vault-feature';
import { VAULT_FEATURES, VaultModule } from './vault.module';
import { VaultDirectory } from './vaults/vault-directory';

// auth.jwks: the token-signing PUBLIC key, which verifying a token needs anyway.
const ANONYMOUS = ['coffer.v1.status', 'coffer.v1.auth.challenge', 'coffer.v1.auth.token', 'coffer.v1.auth.jwks'];

describe('access rules', () => {
  const controllers = VaultModule.forRoot({ logLevel: 'warn' } as never).controllers ?? [];
  const handlers = controllers.flatMap((c) => {
    const proto = (c as { prototype: Record<string, unknown> }).prototype;
    return Object.getOwnPropertyNames(proto).flatMap((m) => {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, proto[m] as object) as string[] | undefined;
      return patterns ? [{ pattern: patterns[0], rule: Reflect.getMetadata(ACCESS_RULE, proto[m] as object) }] : [];
    });
  });

  it('covers every public handler; only status, the token exchange and the token-signing public key are anonymous', () => {
    expect(handlers.length).toBeGreaterThan(25);
    expect(handlers.filter((h) => !h.rule).map((h) => h.pattern)).toEqual([]);
    expect(handlers.filter((h) => h.rule.kind === 'anonymous').map((h) => h.pattern).sort()).toEqual([...ANONYMOUS].sort());
  });
});

const handlersOf = (feature: VaultFeature) => feature.controllers.flatMap((c) => {
  const proto = c.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(proto).flatMap((m) => {
    const patterns = Reflect.getMetadata(PATTERN_METADATA, proto[m]) as string[] | undefined;
    return patterns ? [{ pattern: patterns[0], rule: Reflect.getMetadata(ACCESS_RULE, proto[m]) as { kind: string; action: string } | undefined }] : [];
  });
});
const patternsOf = (feature: VaultFeature, kind: string) => handlersOf(feature).map((h) => h.pattern).filter((p) => p.includes(`.${kind}.`)).sort();

describe('vault features', () => {
  it('every object kind answers each of its subjects exactly once (the lifecycle ones through the kit)', () => {
    expect(patternsOf(SECRET_FEATURE, 'secret')).toEqual(SECRET_OPS.map((op) => Patterns.secret(op)).sort());
    expect(patternsOf(KEY_FEATURE, 'key')).toEqual(KEY_SUBJECT_OPS.map((op) => Patterns.key(op)).sort());
    expect(patternsOf(CERTIFICATE_FEATURE, 'certificate')).toEqual(CERTIFICATE_OPS.map((op) => Patterns.certificate(op)).sort());
  });

  it('the generated lifecycle handlers validate the kind\'s request classes', () => {
    const payloadOf = (feature: VaultFeature, pattern: string) => {
      const c = feature.controllers.find((k) => Reflect.getMetadata(PATTERN_METADATA, k.prototype.handle)?.[0] === pattern) as Type;
      return (Reflect.getMetadata('design:paramtypes', c.prototype, 'handle') as Type[])[0];
    };
    expect(payloadOf(SECRET_FEATURE, Patterns.secret('purge'))).toBe(SecretNameRequest);
    expect(payloadOf(SECRET_FEATURE, Patterns.secret('restore'))).toBe(RestoreSecretRequest);
    expect(payloadOf(KEY_FEATURE, Patterns.key('deleted.list'))).toBe(PageRequest);
    expect(payloadOf(CERTIFICATE_FEATURE, Patterns.certificate('backup'))).toBe(CertificateNameRequest);
  });

  it('every handler has an access rule, and no subject has two handlers', () => {
    const all = VAULT_FEATURES.flatMap(handlersOf);
    expect(all.filter((h) => h.rule === undefined)).toEqual([]);
    expect(new Set(all.map((h) => h.pattern)).size).toBe(all.length);
  });

  it('key handlers use the Azure data action of each operation', () => {
    const actionOf = Object.fromEntries(handlersOf(KEY_FEATURE).map((h) => [h.pattern.split('.key.')[1], h.rule?.action.replace('Microsoft.KeyVault/vaults/keys/', '')]));
    expect(actionOf).toMatchObject({
      create: 'create/action', import: 'import/action', get: 'read', list: 'read', versions: 'read', update: 'update/action', delete: 'delete',
      'deleted.list': 'read', 'deleted.get': 'read', recover: 'recover/action', purge: 'purge/action', backup: 'backup/action',
      restore: 'restore/action', rotate: 'rotate/action', 'rotationpolicy.get': 'rotationpolicy/read', 'rotationpolicy.set': 'rotationpolicy/write',
      sign: 'sign/action', verify: 'verify/action', encrypt: 'encrypt/action', decrypt: 'decrypt/action', wrap: 'wrap/action', unwrap: 'unwrap/action',
      datakey: 'wrap/action', rewrap: 'unwrap/action', random: 'read', 'batch.sign': 'sign/action', 'batch.encrypt': 'encrypt/action',
      notify: 'Coffer/lifecycle/notify/action',
    });
  });

  it('the object kinds resolve their dependencies (the vault module can start them)', async () => {
    const stub = (token: InjectionToken) => ({ provide: token, useValue: {} });
    const kinds = [OBJECT_KIT_FEATURE, SECRET_FEATURE, KEY_FEATURE, CERTIFICATE_FEATURE];
    @Module({
      controllers: kinds.flatMap((f) => f.controllers),
      providers: [
        ...kinds.flatMap((f) => f.providers), { provide: Clock, useValue: new Clock() },
        // The certificate read model is stubbed too (its factory would read the database's type).
        ...[ReadModel, CertificateReadModel, VaultDirectory, EventStore, ProjectionWaiter, CommandRunner, CryptoWorkerClient, KeyCryptoClient, DataKeysService, NATS_CONNECTION, COFFER_CONFIG]
          .map(stub),
      ],
    })
    class ObjectKindsOnly {}
    const app = await NestFactory.createApplicationContext(ObjectKindsOnly, { logger: false });
    await app.close();
  });
});
