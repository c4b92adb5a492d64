import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { registerAuditCommands } from './audit.command';
import { registerCertificateCommands } from './certificate.command';
import { registerDevCommands } from './dev.command';
import { registerEventsCommands } from './events.command';
import { registerIssuerCommands } from './issuer.command';
import { registerKeyCommands } from './key.command';
import { registerLoginCommands } from './login.command';
import { registerPrincipalCommands } from './principal.command';
import { registerRoleCommands } from './role.command';
import { registerSecretCommands } from './secret.command';
import { registerStatusCommand } from './status.command';
import { registerVaultCommands } from './vault.command';

/** Adds one top-level command (or group of them) to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

/** Every top-level command of `coffer`, in help order: a new object kind's commands are one entry here. */
export const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerStatusCommand, registerVaultCommands, registerSecretCommands, registerKeyCommands, registerCertificateCommands,
  registerIssuerCommands, registerLoginCommands, registerPrincipalCommands, registerRoleCommands, registerAuditCommands,
  registerEventsCommands, registerDevCommands,
];
