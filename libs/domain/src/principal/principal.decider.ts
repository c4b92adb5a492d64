import {
  conflict, CredentialAdded, CredentialRehashed, CredentialRemoved, EVENT_VERSIONS, InnerErrorCodes, notFound, PrincipalCreated, PrincipalDisabled,
  PrincipalEnabled, PrincipalEvent,
} from '@coffer/contracts';
import { Decisions } from '../decisions';
import { NewEvent } from '../new-event';
import { PrincipalCommand } from './principal.commands';
import { PrincipalState } from './principal.state';

export const principalNotFound = (id: string) => notFound(`Principal '${id}' was not found.`, InnerErrorCodes.PrincipalNotFound);

/** The event each command decides (a writer types a command's outcome by it). */
export interface PrincipalDecisions extends Decisions<PrincipalCommand, PrincipalEvent> {
  CreatePrincipal: PrincipalCreated;
  DisablePrincipal: PrincipalDisabled;
  EnablePrincipal: PrincipalEnabled;
  AddCredential: CredentialAdded;
  RemoveCredential: CredentialRemoved;
  RehashCredential: CredentialRehashed;
}

/** decide(command, state) → events. Pure: ids, hashes and time arrive in the command. */
export function decidePrincipal(command: PrincipalCommand, state: PrincipalState): NewEvent<PrincipalEvent>[] {
  switch (command.type) {
    case 'CreatePrincipal': {
      if (state.exists) throw conflict(`Principal '${command.name}' already exists.`, InnerErrorCodes.ObjectAlreadyExists);
      const event: NewEvent<PrincipalCreated> = {
        type: 'PrincipalCreated',
        version: EVENT_VERSIONS.PrincipalCreated,
        data: { id: command.id, name: command.name, type: command.principalType, created: command.now.toISOString() },
      };
      return [event];
    }
    case 'DisablePrincipal': {
      if (!state.exists) throw principalNotFound(command.id);
      // Disabling again is allowed: it revokes tokens issued since (idempotent in effect).
      const event: NewEvent<PrincipalDisabled> = {
        type: 'PrincipalDisabled', version: EVENT_VERSIONS.PrincipalDisabled, data: { id: command.id, disabled: command.now.toISOString() },
      };
      return [event];
    }
    case 'EnablePrincipal': {
      if (!state.exists) throw principalNotFound(command.id);
      const event: NewEvent<PrincipalEnabled> = {
        type: 'PrincipalEnabled', version: EVENT_VERSIONS.PrincipalEnabled, data: { id: command.id, enabled: command.now.toISOString() },
      };
      return [event];
    }
    case 'AddCredential': {
      if (!state.exists) throw principalNotFound(command.principalId);
      const c = command.credential;
      if (state.credentials.some((x) => x.id === c.id)) throw conflict(`Credential '${c.id}' already exists.`, InnerErrorCodes.ObjectAlreadyExists);
      if (c.kind === 'ed25519' && state.credentials.some((x) => x.publicKey === c.publicKey)) {
        throw conflict('This public key is already a credential of the principal.', InnerErrorCodes.ObjectAlreadyExists);
      }
      const event: NewEvent<CredentialAdded> = {
        type: 'CredentialAdded', version: EVENT_VERSIONS.CredentialAdded, data: { principalId: command.principalId, credential: c },
      };
      return [event];
    }
    case 'RemoveCredential': {
      if (!state.exists) throw principalNotFound(command.principalId);
      if (!state.credentials.some((x) => x.id === command.credentialId)) {
        throw notFound(`Credential '${command.credentialId}' of principal '${command.principalId}' was not found.`, InnerErrorCodes.CredentialNotFound);
      }
      const event: NewEvent<CredentialRemoved> = {
        type: 'CredentialRemoved',
        version: EVENT_VERSIONS.CredentialRemoved,
        data: { principalId: command.principalId, credentialId: command.credentialId, revokedBefore: command.now.toISOString() },
      };
      return [event];
    }
    case 'RehashCredential': {
      if (!state.exists) throw principalNotFound(command.principalId);
      const credential = state.credentials.find((x) => x.id === command.credentialId);
      if (!credential || credential.kind !== 'secret') {
        throw notFound(`Credential '${command.credentialId}' of principal '${command.principalId}' was not found.`, InnerErrorCodes.CredentialNotFound);
      }
      // Another request (or replica) replaced it first: this one has nothing left to do.
      if (credential.hash !== command.previousHash) throw conflict(`Credential '${command.credentialId}' was already rehashed.`, InnerErrorCodes.VersionMismatch);
      const event: NewEvent<CredentialRehashed> = {
        type: 'CredentialRehashed',
        version: EVENT_VERSIONS.CredentialRehashed,
        data: { principalId: command.principalId, credentialId: command.credentialId, hash: command.hash, rehashed: command.now.toISOString() },
      };
      return [event];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as PrincipalCommand).type}`);
    }
  }
}
