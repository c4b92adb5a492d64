import { badParameter, conflict, EVENT_VERSIONS, InnerErrorCodes, VaultCreated, VaultEvent, VaultUpdated, vaultNotFound } from '@coffer/contracts';
import { NewEvent } from '../new-event';
import { VaultCommand } from './vault.commands';
import { VaultState } from './vault.state';

/** decide(command, state) → events. Pure: time and ids arrive in the command. */
export function decideVault(command: VaultCommand, state: VaultState): NewEvent<VaultEvent>[] {
  switch (command.type) {
    case 'CreateVault': {
      if (state.exists) throw conflict(`Vault '${command.name}' already exists.`, InnerErrorCodes.ObjectAlreadyExists);
      const event: NewEvent<VaultCreated> = {
        type: 'VaultCreated',
        version: EVENT_VERSIONS.VaultCreated,
        data: {
          name: command.name,
          kekId: command.kekId,
          retentionDays: command.retentionDays,
          purgeProtection: command.purgeProtection,
          created: command.now.toISOString(),
        },
      };
      return [event];
    }
    case 'UpdateVault': {
      if (!state.exists) throw vaultNotFound(command.name);
      if (state.purgeProtection && command.purgeProtection === false) {
        throw badParameter('Purge protection cannot be turned off once it is on.', InnerErrorCodes.PurgeProtectionIrreversible);
      }
      const event: NewEvent<VaultUpdated> = {
        type: 'VaultUpdated',
        version: EVENT_VERSIONS.VaultUpdated,
        data: {
          name: command.name,
          retentionDays: command.retentionDays ?? state.retentionDays,
          purgeProtection: command.purgeProtection ?? state.purgeProtection,
          updated: command.now.toISOString(),
        },
      };
      return [event];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as VaultCommand).type}`);
    }
  }
}
