import { ChangeCursor } from '@coffer/client';
import { CHANGE_EVENT_TYPES, CHANGE_TYPE_PREFIX, ChangeEvent } from '@coffer/contracts/protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext } from '../cli-context';
import { intInRange, parseIsoDate, parseVaultName } from '../options';
import { renderTsv } from '../output';

interface TailOpts {
  vault?: string;
  type?: string[];
  from: ChangeCursor;
  count?: number;
  follow: boolean;
}

/** `--from`: a sequence (a cursor printed earlier), an ISO 8601 time, `beginning` or `now`. */
export function parseFrom(value: string): ChangeCursor {
  if (value === 'beginning' || value === 'now') return value;
  if (/^\d+$/.test(value)) {
    const sequence = Number(value);
    if (!Number.isSafeInteger(sequence) || sequence < 1) throw new InvalidArgumentError('a sequence is a positive integer.');
    return { sequence };
  }
  return { time: parseIsoDate(value) };
}

function parseType(value: string, previous: string[] | undefined): string[] {
  const short = value.startsWith(CHANGE_TYPE_PREFIX) ? value.slice(CHANGE_TYPE_PREFIX.length) : value;
  if (!(CHANGE_EVENT_TYPES as readonly string[]).includes(short)) {
    throw new InvalidArgumentError(`unknown event type '${value}'; one of ${CHANGE_EVENT_TYPES.join(', ')}.`);
  }
  return [...(previous ?? []), short];
}

const COLUMNS = [
  { header: 'Sequence', path: 'cofferseq' },
  { header: 'Time', path: 'time' },
  { header: 'Type', path: 'type' },
  { header: 'Subject', path: 'subject' },
];

/** `coffer events tail`: the change feed as it happens, one line per change (JSON lines with -o json). */
export function registerEventsCommands(program: Command, ctx: CliContext): void {
  const events = program.command('events').description('the change feed: CloudEvents about every change to vaults, secrets, keys and access');

  events
    .command('tail')
    .description('print changes from a cursor on, following new ones until interrupted')
    .addOption(new Option('--vault <name>', 'only this vault').argParser(parseVaultName))
    .addOption(new Option('--type <type...>', 'only these types, e.g. SecretNewVersionCreated').argParser(parseType))
    .addOption(new Option('--from <cursor>', 'a sequence, an ISO 8601 time, beginning or now').argParser(parseFrom).default('beginning'))
    .addOption(new Option('--count <n>', 'stop after n changes').argParser(intInRange(1)))
    .addOption(new Option('--no-follow', 'stop once caught up instead of waiting for new changes'))
    .action(async (opts: TailOpts, cmd: Command) => {
      const client = await ctx.connect(cmd);
      const output = ctx.globals(cmd).output;
      const print = (event: ChangeEvent) =>
        ctx.io.stdout.write(output === 'json' ? `${JSON.stringify(event)}\n` : renderTsv([event], COLUMNS));
      const base = { vault: opts.vault, types: opts.type };
      let printed = 0;
      let cursor: number | undefined;
      if (!opts.follow) {
        let from = opts.from;
        for (;;) {
          const page = await client.changes.fetch({ ...base, from });
          for (const event of page.events) {
            print(event);
            if (++printed === opts.count) break;
          }
          cursor = page.next;
          if (page.events.length === 0 || printed === opts.count) break;
          from = { sequence: page.next };
        }
      } else {
        const subscription = client.changes.subscribe({ ...base, from: opts.from });
        // Ctrl-C: stop and close the connection, which ends a long poll at once.
        const interrupt = () => {
          subscription.stop();
          void ctx.close();
        };
        process.once('SIGINT', interrupt);
        try {
          for await (const change of subscription) {
            print(change.event);
            change.ack();
            if (++printed === opts.count) break;
          }
        } catch (err) {
          if (!(err instanceof Error) || !/CONNECTION_CLOSED|closed/i.test(err.message)) throw err;
        } finally {
          process.off('SIGINT', interrupt);
        }
        cursor = subscription.cursor;
      }
      if (cursor !== undefined) ctx.note(`resume with --from ${cursor}`);
    });
}
