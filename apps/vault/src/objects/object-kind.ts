import { Type } from '@nestjs/common';
import { DataAction, DomainEvent, Page } from '@coffer/contracts';
import { NewEvent } from '@coffer/domain';
import { VaultRow } from '@coffer/read-model';
import { ScopeOf } from '../auth/access.decorator';
import { BackupKind } from './backup.codec';

/** The lifecycle every versioned object kind shares; one generic handler each (lifecycle-handlers.ts). */
export const LIFECYCLE_OPS = ['delete', 'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore'] as const;
export type LifecycleOp = (typeof LIFECYCLE_OPS)[number];

/** HSM keys and data keys: what a command made before its event, what an event refers to, what a purge destroys. */
export interface Material {
  hsmKeyIds: string[];
  deks: number[];
}
export const noMaterial = (): Material => ({ hsmKeyIds: [], deks: [] });

/** What a state loader gives: the decision state (plus whatever the kind's commands also need, e.g. the head row). */
export interface Loaded<S> {
  state: S;
}

/** A kind's state loader: O(1) decision state of one object; `needs` says what beyond the head row a command needs. */
export interface StateLoader<S, N, L extends Loaded<S> = Loaded<S>> {
  load(vault: string, name: string, needs: N): Promise<L>;
}

/** The kind's replies to the lifecycle requests, in its own wire shapes (e.g. DeletedSecretItem vs DeletedKeyBundle). */
export interface ObjectViews<Item = unknown, Deleted = unknown, DeletedItem = unknown> {
  /** The active object: the reply to recover and restore. */
  current(vault: VaultRow, name: string): Promise<Item>;
  /** One deleted object: the reply to delete and deleted.get; not found unless deleted. */
  deleted(vault: VaultRow, name: string): Promise<Deleted>;
  /** A page of deleted objects in name order, after `after`. */
  deletedPage(vault: VaultRow, after: string | undefined, size: number): Promise<Page<DeletedItem>>;
}

/**
 * A kind's backup format: what goes into the sealed blob and how it comes back. Sealing, opening and
 * the append are the kit's (BackupSealer, ObjectWriter.runMaking); the format only deals in payloads.
 */
export interface BackupFormat<P = unknown, M = unknown, L = unknown, C = unknown> {
  /** Whether an opened blob holds a payload of this kind (anything else is InvalidBackup). */
  isPayload(payload: unknown): payload is P;
  /** Reads every version of an active object (not found otherwise). */
  payloadOf(vault: VaultRow, name: string): Promise<P>;
  /** Refuses a payload this vault must not restore, before anything is made. */
  check?(vault: VaultRow, payload: P): Promise<void>;
  /** Makes the restored versions' material (HSM keys, data keys): `made` records each as it exists. */
  make(vault: VaultRow, payload: P, loaded: L, made: Material): Promise<M>;
  /** The restore command with what was made; with `undefined` the dry run, which must decide the same way. */
  command(payload: P, made: M | undefined, now: Date): C;
}

/** The whole-object commands the generic lifecycle handlers send. */
export interface LifecycleCommands<C> {
  delete(p: { name: string; retentionDays: number; recoveryId: string; now: Date }): C;
  recover(p: { name: string; now: Date }): C;
  purge(p: { name: string; purgeProtection: boolean; now: Date }): C;
}

/**
 * Everything the vault needs to know about one versioned object kind (secret, key, certificate):
 * its subjects, access rules, state, decider, views and backup format (the material its events
 * refer to or purge is declared next to the events, in their catalogue). The generic
 * lifecycle handlers and ObjectWriter are parameterised by it; a new kind writes one of these.
 *
 * S: decision state, C: command, E: event, N: loader needs, L: what the loader gives.
 */
export interface ObjectKindDescriptor<S extends { sequence: number } = { sequence: number }, C = unknown, E extends DomainEvent = DomainEvent, N = unknown, L extends Loaded<S> = Loaded<S>> {
  /** Singular, as in subjects and backup blobs. */
  name: BackupKind;
  /** Request subject pattern of a lifecycle op (Patterns.<kind>). */
  pattern(op: LifecycleOp): string;
  /** The object's subject in the event log (Streams.events.<kind>). */
  subject(vault: string, name: string): string;
  /** RBAC: the @Access scope of a request about one object, and the data action of each lifecycle op. */
  scope: ScopeOf;
  actions: Record<LifecycleOp, DataAction>;
  /** Request DTO classes (validation): a name, and a backup blob. */
  requests: { name: Type<{ name: string }>; restore: Type<{ value: string }> };
  /** The recovery id of a deleted object (Azure's deleted-object URL). */
  deletedId(vault: string, name: string): string;
  decide(command: C, state: S): NewEvent<E>[];
  /** Loader needs of a whole-object command (no version read). */
  noVersion: N;
  lifecycle: LifecycleCommands<C>;
  /** Providers (DI tokens) of the kind: state loader, writer (its ObjectWriter subclass), views, backup format. */
  loader: Type<StateLoader<S, N, L>>;
  writer: Type;
  views: Type<ObjectViews>;
  backup: Type<BackupFormat<unknown, unknown, L, C>>;
}
