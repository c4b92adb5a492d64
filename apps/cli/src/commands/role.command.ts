import { take } from '@coffer/client';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { pageSizeFor, parsePrincipalId, parseRoleAssignmentId, parseScopeOption } from '../options';
import { roleAssignmentView, roleView } from '../views';
import { MaxResultsOpt, maxResultsOption } from './common-options';

const assigneeOption = () => new Option('--assignee <id>', 'principal id (p-…)').argParser(parsePrincipalId);
const scopeOption = () => new Option('--scope <scope>', 'scope: /, /vaults/<vault> or /vaults/<vault>/secrets/<name>').argParser(parseScopeOption);

/** `coffer role list` and `coffer role assignment create|list|delete`, modelled on `az role`. */
export function registerRoleCommands(program: Command, ctx: CliContext): void {
  const role = program.command('role').description('roles and role assignments');

  role
    .command('list')
    .description('list the roles and the data actions they grant')
    .action(async (_opts: object, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).roles.list(), roleView);
    });

  const assignment = role.command('assignment').description('who has which role where');

  assignment
    .command('create')
    .description('give a principal a role at a scope (and everything below it)')
    .addOption(assigneeOption().makeOptionMandatory())
    .addOption(new Option('--role <name>', 'role name, e.g. "Key Vault Secrets User" (see coffer role list)').makeOptionMandatory())
    .addOption(scopeOption().makeOptionMandatory())
    .action(async (opts: { assignee: string; role: string; scope: string }, cmd: Command) => {
      const created = await (await ctx.connect(cmd)).roleAssignments.create({ principalId: opts.assignee, role: opts.role, scope: opts.scope });
      ctx.print(cmd, created, roleAssignmentView);
    });

  assignment
    .command('list')
    .description('list role assignments, optionally of one principal and/or at one scope')
    .addOption(assigneeOption())
    .addOption(scopeOption())
    .addOption(maxResultsOption())
    .action(async (opts: { assignee?: string; scope?: string } & MaxResultsOpt, cmd: Command) => {
      const items = (await ctx.connect(cmd)).roleAssignments.list({
        principalId: opts.assignee, scope: opts.scope, pageSize: pageSizeFor(opts.maxResults),
      });
      ctx.print(cmd, await take(items, opts.maxResults), roleAssignmentView);
    });

  assignment
    .command('delete')
    .description('delete a role assignment')
    .addOption(new Option('--id <id>', 'role assignment id (ra-…)').makeOptionMandatory().argParser(parseRoleAssignmentId))
    .action(async (opts: { id: string }, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).roleAssignments.delete(opts.id), roleAssignmentView);
    });
}
