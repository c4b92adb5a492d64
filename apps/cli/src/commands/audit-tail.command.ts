import { AuditFeedIntegrityError, AuditFeedStart, TailedAuditItem } from '@coffer/client';
import { AuditOutcome } from '@coffer/contracts/protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext } from '../cli-context';
import { ExitCodes } from '../exit-codes';
import { intInRange, parseIsoDate, parsePrincipalId, parseVaultName } from '../options';
import { renderTsv } from '../output';

const OUTCOMES: AuditOutcome[] = ['succeeded', 'failed', 'denied', 'unauthenticated'];

interface TailOpts {
  vault?: string;
  principal?: string;
  outcome?: AuditOutcome;
  from: AuditFeedStart;
  count?: number;
  follow: boolean;
}

/**
 * `--from`: a verified cursor printed earlier (`POSITION:HASH`, the chain is checked to continue
 * from that hash), a chain position, an ISO 8601 time, `beginning` or `now`.
 */
export function parseAuditFrom(value: string): AuditFeedStart {
  if (value === 'beginning' || value === 'now') return value;
  const cursor = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (cursor) return { cursor: { position: positionOf(cursor[1]!), hash: cursor[2]! } };
  if (/^\d+$/.test(value)) return { position: positionOf(value) };
  return { time: parseIsoDate(value) };
}

function positionOf(text: string): number {
  const position = Number(text);
  if (!Number.isSafeInteger(position) || position < 1) throw new InvalidArgumentError('a position is a positive integer.');
  return position;
}

const COLUMNS = [
  { header: 'Position', path: 'position' },
  { header: 'Time', path: 'record.time' },
  { header: 'Principal', path: 'record.principal' },
  { header: 'Action', path: 'record.action' },
  { header: 'Object', path: 'record.objectId' },
  { header: 'Outcome', path: 'record.outcome' },
  { header: 'ErrorCode', path: 'record.errorCode' },
];

/** `coffer audit tail`: the audit feed, verified as it arrives, one line per record (JSON lines with -o json, checkpoints included). */
export function registerAuditTailCommand(audit: Command, ctx: CliContext): void {
  audit
    .command('tail')
    .description('print audit records in chain order from a cursor on, verifying the chain and its signed checkpoints, following new ones until interrupted')
    .addOption(new Option('--vault <name>', 'only this vault\'s records (Coffer Audit Reader at the vault is enough)').argParser(parseVaultName))
    .addOption(new Option('--principal <id>', 'only this principal\'s records').argParser(parsePrincipalId))
    .addOption(new Option('--outcome <outcome>', 'only this outcome').choices(OUTCOMES))
    .addOption(new Option('--from <cursor>', 'POSITION:HASH (a printed cursor), a position, an ISO 8601 time, beginning or now').argParser(parseAuditFrom).default('beginning'))
    .addOption(new Option('--count <n>', 'stop after n records').argParser(intInRange(1)))
    .addOption(new Option('--no-follow', 'stop at the chain head instead of waiting for new records'))
    .action(async (opts: TailOpts, cmd: Command) => {
      const client = await ctx.connect(cmd);
      const json = ctx.globals(cmd).output === 'json';
      const tail = client.audit.tail({ vault: opts.vault, principal: opts.principal, outcome: opts.outcome, from: opts.from, follow: opts.follow });
      const print = (item: TailedAuditItem) => {
        if (item.kind === 'checkpoint') {
          if (json) ctx.io.stdout.write(`${JSON.stringify({ checkpoint: item.checkpoint })}\n`);
          else ctx.note(`signed checkpoint verified at position ${item.checkpoint.count}`);
          return;
        }
        ctx.io.stdout.write(json ? `${JSON.stringify(item.record)}\n` : renderTsv([item.record], COLUMNS));
      };
      // Ctrl-C: stop and close the connection, which ends a long poll at once.
      const interrupt = () => {
        tail.stop();
        void ctx.close();
      };
      process.once('SIGINT', interrupt);
      let printed = 0;
      try {
        for await (const item of tail) {
          print(item);
          if (item.kind === 'record' && ++printed === opts.count) break;
        }
      } catch (err) {
        if (err instanceof AuditFeedIntegrityError) {
          ctx.exitCode = ExitCodes.Error;
          ctx.io.stderr.write(`ERROR: ${err.message}\n`);
        } else if (!(err instanceof Error) || !/CONNECTION_CLOSED|closed/i.test(err.message)) {
          throw err;
        }
      } finally {
        process.off('SIGINT', interrupt);
      }
      if (tail.cursor) ctx.note(`resume with --from ${tail.cursor.position}:${tail.cursor.hash}`);
    });
}
