import { Controller, Inject, Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BackupBlob, DomainEvent, Page, PageRequest, purgedBy, PurgeResult } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { RequestKey } from '../commands/request-key';
import { DataKeysService } from '../crypto/data-keys.service';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { BackupSealer } from './backup-sealer';
import { BackupFormat, LifecycleOp, Loaded, ObjectKindDescriptor, ObjectViews } from './object-kind';
import { ObjectWriter } from './object-writer';

type State = { sequence: number };
type AnyKind = ObjectKindDescriptor<State, unknown, DomainEvent, unknown, Loaded<State>>;
type Writer = ObjectWriter<State, unknown, DomainEvent, unknown, Loaded<State>>;
type Handler = { handle(...args: never[]): Promise<unknown> };

/**
 * Gives a generated handler what the decorators of a hand-written one would: its name (logs), the
 * @Payload DTO class for validation (TypeScript cannot emit it for a type parameter), and the
 * @MessagePattern and @Access rule the transport and AccessControlGate read.
 */
function finish(handler: Type<Handler>, kind: AnyKind, op: LifecycleOp, name: string, payload: Type, args: Type[]): Type<Handler> {
  Object.defineProperty(handler, 'name', { value: name });
  Reflect.defineMetadata('design:paramtypes', [payload, ...args], handler.prototype, 'handle');
  const method = Object.getOwnPropertyDescriptor(handler.prototype, 'handle') as PropertyDescriptor;
  MessagePattern(kind.pattern(op))(handler.prototype, 'handle', method);
  // Listing deleted objects and restoring a backup address the vault; the rest one object.
  Access(kind.actions[op], op === 'deleted.list' || op === 'restore' ? vaultScope : kind.scope)(handler.prototype, 'handle', method);
  return handler;
}

const title = (kind: AnyKind) => kind.name[0].toUpperCase() + kind.name.slice(1);

/** Soft delete: recoverable until its scheduled purge date (the vault's retention); HSM objects and data keys stay. */
function deleteHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class DeleteHandler {
    constructor(private readonly vaults: VaultDirectory, @Inject(kind.writer) private readonly writer: Writer, @Inject(kind.views) private readonly views: ObjectViews) {}

    async handle(@Payload() req: { name: string }, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<unknown> {
      const vault = await this.vaults.require(vaultName);
      await this.writer.run(vaultName, req.name, request, kind.noVersion, (now) =>
        kind.lifecycle.delete({ name: req.name, retentionDays: vault.retentionDays, recoveryId: kind.deletedId(vaultName, req.name), now }));
      return this.views.deleted(vault, req.name);
    }
  }
  return finish(DeleteHandler, kind, 'delete', `Delete${title(kind)}Handler`, kind.requests.name, [String, Object]);
}

/** Undoes a soft delete: the object (and what it owns) is usable again. */
function recoverHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class RecoverHandler {
    constructor(private readonly vaults: VaultDirectory, @Inject(kind.writer) private readonly writer: Writer, @Inject(kind.views) private readonly views: ObjectViews) {}

    async handle(@Payload() req: { name: string }, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<unknown> {
      const vault = await this.vaults.require(vaultName);
      await this.writer.run(vaultName, req.name, request, kind.noVersion, (now) => kind.lifecycle.recover({ name: req.name, now }));
      return this.views.current(vault, req.name);
    }
  }
  return finish(RecoverHandler, kind, 'recover', `Recover${title(kind)}Handler`, kind.requests.name, [String, Object]);
}

/**
 * Permanent deletion: the purge is recorded first (naming every HSM key and data key of the object),
 * then the HSM keys are destroyed and the data keys shredded (crypto-shredding), so nothing can use
 * them again and a rebuild cannot bring them back. A retried purge replays the event and repeats the
 * idempotent destruction.
 */
function purgeHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class PurgeHandler {
    constructor(
      private readonly vaults: VaultDirectory, @Inject(kind.writer) private readonly writer: Writer, private readonly crypto: KeyCryptoClient,
      private readonly dataKeys: DataKeysService,
    ) {}

    async handle(@Payload() req: { name: string }, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<PurgeResult & { destroyed?: number }> {
      const vault = await this.vaults.require(vaultName);
      const outcome = await this.writer.run(vaultName, req.name, request, kind.noVersion, (now) =>
        kind.lifecycle.purge({ name: req.name, purgeProtection: vault.purgeProtection, now }));
      // A kind without HSM keys (secrets) declares no hsmKeyIds: its reply has no `destroyed`.
      const { hsmKeyIds, deks } = purgedBy(outcome.event);
      const destroyed = hsmKeyIds && (await this.crypto.destroy(hsmKeyIds));
      await this.dataKeys.shred(deks);
      return { name: req.name, purged: (outcome.event as { data: { purged: string } }).data.purged, ...(destroyed !== undefined && { destroyed }) };
    }
  }
  return finish(PurgeHandler, kind, 'purge', `Purge${title(kind)}Handler`, kind.requests.name, [String, Object]);
}

function listDeletedHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class ListDeletedHandler {
    constructor(private readonly vaults: VaultDirectory, @Inject(kind.views) private readonly views: ObjectViews) {}

    async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<unknown>> {
      const vault = await this.vaults.require(vaultName);
      return this.views.deletedPage(vault, decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    }
  }
  return finish(ListDeletedHandler, kind, 'deleted.list', `ListDeleted${title(kind)}sHandler`, PageRequest, [String]);
}

function getDeletedHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class GetDeletedHandler {
    constructor(private readonly vaults: VaultDirectory, @Inject(kind.views) private readonly views: ObjectViews) {}

    async handle(@Payload() req: { name: string }, @VaultName() vaultName: string): Promise<unknown> {
      return this.views.deleted(await this.vaults.require(vaultName), req.name);
    }
  }
  return finish(GetDeletedHandler, kind, 'deleted.get', `GetDeleted${title(kind)}Handler`, kind.requests.name, [String]);
}

/** An opaque, encrypted, integrity-protected blob of every version; only this Coffer's HSM can open it. */
function backupHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class BackupHandler {
    constructor(private readonly vaults: VaultDirectory, @Inject(kind.backup) private readonly format: BackupFormat, private readonly sealer: BackupSealer) {}

    async handle(@Payload() req: { name: string }, @VaultName() vaultName: string): Promise<BackupBlob> {
      const payload = await this.format.payloadOf(await this.vaults.require(vaultName), req.name);
      return { value: await this.sealer.seal(kind.name, payload) };
    }
  }
  return finish(BackupHandler, kind, 'backup', `Backup${title(kind)}Handler`, kind.requests.name, [String]);
}

/**
 * Restores a backup into this vault: the material is made anew (HSM keys unwrapped under fresh ids,
 * values under a fresh data key), then the object is recorded with its version ids. Refused if the
 * name exists or is deleted (the decider's restore rule, tried dry before anything is made).
 */
function restoreHandler(kind: AnyKind): Type<Handler> {
  @Controller()
  class RestoreHandler {
    constructor(
      private readonly vaults: VaultDirectory, @Inject(kind.writer) private readonly writer: Writer, @Inject(kind.backup) private readonly format: BackupFormat,
      @Inject(kind.views) private readonly views: ObjectViews, private readonly sealer: BackupSealer,
    ) {}

    async handle(@Payload() req: { value: string }, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<unknown> {
      const vault = await this.vaults.require(vaultName);
      const payload = await this.sealer.open(kind.name, req.value, (p): p is unknown => this.format.isPayload(p));
      const { name } = payload as { name: string };
      await this.format.check?.(vault, payload);
      await this.writer.runMaking(vaultName, name, request, {
        make: (loaded, made) => this.format.make(vault, payload, loaded, made),
        command: (made, now) => this.format.command(payload, made, now),
      });
      return this.views.current(vault, name);
    }
  }
  return finish(RestoreHandler, kind, 'restore', `Restore${title(kind)}Handler`, kind.requests.restore, [String, Object]);
}

const FACTORIES: Record<LifecycleOp, (kind: AnyKind) => Type<Handler>> = {
  delete: deleteHandler, 'deleted.list': listDeletedHandler, 'deleted.get': getDeletedHandler, recover: recoverHandler, purge: purgeHandler,
  backup: backupHandler, restore: restoreHandler,
};

/** One handler per lifecycle op of a kind, each guarded and audited as a hand-written handler is. */
export function lifecycleHandlers<S extends State, C, E extends DomainEvent, N, L extends Loaded<S>>(kind: ObjectKindDescriptor<S, C, E, N, L>): Type[] {
  return Object.values(FACTORIES).map((factory) => factory(kind as unknown as AnyKind));
}
