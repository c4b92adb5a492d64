import 'reflect-metadata';
import { InjectionToken, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { KEY_SUBJECT_OPS, Patterns } from '@coffer/contracts';
import { EventStore } from '@coffer/event-store';
import { ReadModel } from '@coffer/read-model';
import { ACCESS_RULE } from '../auth/access.decorator';
import { CommandRunner } from '../commands/command-runner';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { Clock } from '../infrastructure/clock';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { VaultDirectory } from '../vaults/vault-directory';
import { KEY_CONTROLLERS, KEY_PROVIDERS } from './index';

const handlers = KEY_CONTROLLERS.flatMap((c) => {
  const proto = c.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(proto).flatMap((m) => {
    const patterns = Reflect.getMetadata(PATTERN_METADATA, proto[m]) as string[] | undefined;
    return patterns ? [{ pattern: patterns[0], rule: Reflect.getMetadata(ACCESS_RULE, proto[m]) as { kind: string; action: string } }] : [];
  });
});

describe('key handlers', () => {
  it('answer every key subject exactly once, each with a data-action access rule', () => {
    expect(handlers.map((h) => h.pattern).sort()).toEqual(KEY_SUBJECT_OPS.map((op) => Patterns.key(op)).sort());
    expect(handlers.filter((h) => h.rule?.kind !== 'action')).toEqual([]);
  });

  it('use the Azure data action of each operation', () => {
    const actionOf = Object.fromEntries(handlers.map((h) => [h.pattern.split('.key.')[1], h.rule.action.replace('Microsoft.KeyVault/vaults/keys/', '')]));
    expect(actionOf).toMatchObject({
      create: 'create/action', import: 'import/action', get: 'read', list: 'read', versions: 'read', update: 'update/action', delete: 'delete',
      'deleted.list': 'read', 'deleted.get': 'read', recover: 'recover/action', purge: 'purge/action', backup: 'backup/action',
      restore: 'restore/action', rotate: 'rotate/action', 'rotationpolicy.get': 'rotationpolicy/read', 'rotationpolicy.set': 'rotationpolicy/write',
      sign: 'sign/action', verify: 'verify/action', encrypt: 'encrypt/action', decrypt: 'decrypt/action', wrap: 'wrap/action', unwrap: 'unwrap/action',
      datakey: 'wrap/action', rewrap: 'unwrap/action', random: 'read', 'batch.sign': 'sign/action', 'batch.encrypt': 'encrypt/action',
      notify: 'Coffer/lifecycle/notify/action',
    });
  });

  it('resolve their dependencies (the vault module can start them)', async () => {
    const stub = (token: InjectionToken) => ({ provide: token, useValue: {} });
    @Module({
      controllers: KEY_CONTROLLERS,
      providers: [
        ...KEY_PROVIDERS, { provide: Clock, useValue: new Clock() },
        ...[ReadModel, VaultDirectory, EventStore, ProjectionWaiter, CommandRunner, CryptoWorkerClient, NATS_CONNECTION, COFFER_CONFIG].map(stub),
      ],
    })
    class KeysOnly {}
    const app = await NestFactory.createApplicationContext(KeysOnly, { logger: false });
    await app.close();
  });
});
