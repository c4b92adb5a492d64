import { take } from '@coffer/client';
import { AUDIT_VERIFY_PAGE_MAX, AuditOutcome, Limits } from '@coffer/contracts/protocol';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { ExitCodes } from '../exit-codes';
import { intInRange, parseIsoDate, parsePrincipalId } from '../options';
import { auditRecordView, auditVerifyView } from '../views';
import { registerAuditTailCommand } from './audit-tail.command';

/** The audit trail can be long: a query returns this many records unless --max-results says otherwise. */
export const AUDIT_DEFAULT_MAX_RESULTS = 100;
const OUTCOMES: AuditOutcome[] = ['succeeded', 'failed', 'denied', 'unauthenticated'];

interface QueryOpts {
  principal?: string;
  object?: string;
  action?: string;
  outcome?: AuditOutcome;
  since?: string;
  until?: string;
  maxResults: number;
}

function parseCheckpointRef(value: string): 'latest' | number {
  if (value === 'latest') return value;
  return intInRange(1)(value);
}

/** `coffer audit query|verify|tail`. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit trail: who did what, when, with which outcome');

  audit
    .command('query')
    .description('audit records, oldest first, filtered')
    .addOption(new Option('--principal <id>', 'principal id (p-…)').argParser(parsePrincipalId))
    .addOption(new Option('--object <id>', 'object id, e.g. /vaults/prod/secrets/db'))
    .addOption(new Option('--action <action>', 'data action, e.g. Microsoft.KeyVault/vaults/secrets/getSecret/action'))
    .addOption(new Option('--outcome <outcome>', 'outcome').choices(OUTCOMES))
    .addOption(new Option('--since <time>', 'from this time, ISO 8601').argParser(parseIsoDate))
    .addOption(new Option('--until <time>', 'until this time, ISO 8601').argParser(parseIsoDate))
    .addOption(
      new Option('--max-results <n>', `at most n records (fetched ${Limits.pageSizeMax} per request)`)
        .argParser(intInRange(1))
        .default(AUDIT_DEFAULT_MAX_RESULTS),
    )
    .action(async (opts: QueryOpts, cmd: Command) => {
      const records = (await ctx.connect(cmd)).audit.query({
        principal: opts.principal, objectId: opts.object, action: opts.action, outcome: opts.outcome,
        since: opts.since, until: opts.until, pageSize: Math.min(opts.maxResults, Limits.pageSizeMax),
      });
      ctx.print(cmd, await take(records, opts.maxResults), auditRecordView);
    });

  audit
    .command('verify')
    .description('check the hash chain and signed checkpoints (exit 0 when intact, 1 when not)')
    .addOption(new Option('--from-sequence <n>', 'start at this stream sequence').argParser(intInRange(1)))
    .addOption(
      new Option('--from-checkpoint <latest|seq>', 'resume after a signed checkpoint (its signature is checked, then its head trusted)')
        .argParser(parseCheckpointRef)
        .conflicts('fromSequence'),
    )
    .addOption(new Option('--page-records <n>', `records verified per request (at most ${AUDIT_VERIFY_PAGE_MAX})`).argParser(intInRange(1, AUDIT_VERIFY_PAGE_MAX)))
    .action(async (opts: { fromSequence?: number; fromCheckpoint?: 'latest' | number; pageRecords?: number }, cmd: Command) => {
      const client = await ctx.connect(cmd);
      const reply = await client.audit.verify({
        fromSequence: opts.fromSequence, fromCheckpoint: opts.fromCheckpoint, pageRecords: opts.pageRecords,
        // Progress on stderr, so stdout stays the report.
        onProgress: (page, total) => {
          if (page.nextSequence !== undefined) ctx.io.stderr.write(`verified ${total.checkedRecords} records, up to sequence ${page.lastSequence} of ${page.upTo}\n`);
        },
      });
      ctx.print(cmd, reply, auditVerifyView);
      if (!reply.ok) {
        ctx.exitCode = ExitCodes.Error;
        const problems = reply.problems ?? [];
        ctx.io.stderr.write(`ERROR: the audit trail failed verification (${problems.length} problem(s)):\n`);
        for (const p of problems) ctx.io.stderr.write(`  ${p.kind} at sequence ${p.sequence}: ${p.detail}\n`);
      }
    });

  registerAuditTailCommand(audit, ctx);
}
