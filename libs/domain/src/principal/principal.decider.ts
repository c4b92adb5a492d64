import {
  conflict, CredentialAdded, CredentialRemoved, EVENT_VERSIONS, InnerErrorCodes, notFound, PrincipalCreated, PrincipalDisabled,
  PrincipalEnabled, PrincipalEvent,
} from '@coffer/contracts';
import { NewEvent } from '../new-event';
import { PrincipalCommand } from './principal.commands';
import { noPrincipal, PrincipalState } from './principal.state';

export const principalNotFound = (id: string) => notFound(`Principal '${id}' was not found.`, InnerErrorCodes.PrincipalNotFound);

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
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as PrincipalCommand).type}`);
    }
  }
}

/** evolve(state, event) → state, with the event's stream sequence. */
export function evolvePrincipal(state: PrincipalState, event: PrincipalEvent, sequence: number): PrincipalState {
  switch (event.type) {
    case 'PrincipalCreated':
      return { exists: true, id: event.data.id, name: event.data.name, type: event.data.type, enabled: true, credentials: [], sequence };
    case 'PrincipalDisabled':
      return state.exists ? { ...state, enabled: false, sequence } : { ...state, sequence };
    case 'PrincipalEnabled':
      return state.exists ? { ...state, enabled: true, sequence } : { ...state, sequence };
    case 'CredentialAdded': {
      if (!state.exists) return { ...state, sequence };
      const c = event.data.credential;
      return { ...state, credentials: [...state.credentials, { id: c.id, kind: c.kind, ...(c.kind === 'ed25519' && { publicKey: c.publicKey }) }], sequence };
    }
    case 'CredentialRemoved':
      return state.exists ? { ...state, credentials: state.credentials.filter((c) => c.id !== event.data.credentialId), sequence } : { ...state, sequence };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export const initialPrincipalState = (): PrincipalState => noPrincipal();
