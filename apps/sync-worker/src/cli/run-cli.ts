// `oip dlq list|show|replay|discard`: the operator's view of the dead-letter queue, grouped by
// field path with `list --group path`, replayed by path with `replay --path`.
// Commands on commander (@oip/service-kit createCli), each with --help: an unknown flag, a flag
// without its value, a stray argument or a bad number is a usage error (exit 2), never silently
// ignored, and is found before Redis is opened.
import { createCli, intFlag, UsageError, withExample, type CliIo, type CliProgram } from '@oip/service-kit';
import { DeadLetterCodes } from '@oip/queue-contracts';
import type { DeadLetterEntry, DeadLetterService } from '@oip/sync-state';
import { groupLines } from './group-lines.js';

export type { CliIo };

/** The options any dlq command may carry (commander's parsed values, each command its own). */
interface Values {
  code?: string;
  type?: string;
  path?: string;
  group?: string;
  limit?: string;
  offset?: string;
  json?: boolean;
  all?: boolean;
}

/** The most entries one list or replay --all touches (the service's page bound). */
const MAX_LIMIT = 1000;
const KNOWN_CODES = new Set<string>(Object.values(DeadLetterCodes));

function int(name: string, v: string | undefined, def: number): number {
  const max = name === 'limit' ? MAX_LIMIT : Number.MAX_SAFE_INTEGER;
  // intFlag takes whatever Number() reads ('1e2', '0x10', ' 5'); a count here is plain digits.
  if (v !== undefined && !/^\d{1,15}$/.test(v))
    throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
  return intFlag(name, v, { min: 0, max }) ?? def;
}

function code(v: string | undefined): { code?: string } {
  if (v === undefined) return {};
  if (!KNOWN_CODES.has(v))
    throw new UsageError(`unknown dead-letter code "${v}" (one of ${[...KNOWN_CODES].join(', ')})`);
  return { code: v };
}

/** `--type` and `--path` as filter fields (a value that cannot name anything is a usage error). */
function filters(values: Values): { recordType?: string; path?: string } {
  const out: { recordType?: string; path?: string } = {};
  if (values.type !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(values.type))
      throw new UsageError(`--type must be a record type name, got "${values.type}"`);
    out.recordType = values.type;
  }
  if (values.path !== undefined) {
    if (!/^[^\s.][^\s]{0,511}$/.test(values.path) || values.path.endsWith('.'))
      throw new UsageError(`--path must be a dotted field path, got "${values.path}"`);
    out.path = values.path;
  }
  return out;
}

function line(e: DeadLetterEntry): string {
  const paths = (e.reasons ?? []).map((r) => r.path);
  return [
    new Date(e.lastFailedAt).toISOString(),
    e.code,
    ...(e.degraded ? ['DEGRADED'] : []),
    `attempts=${e.attempts}`,
    e.did,
    ...(paths.length > 0 ? [`paths=${paths.join(',')}`] : []),
    e.message.slice(0, 120),
  ].join('  ');
}

type DlqOf = () => Promise<DeadLetterService>;

async function list(dlqOf: DlqOf, v: Values, io: CliIo): Promise<number> {
  if (v.group !== undefined) {
    if (v.group !== 'path') throw new UsageError(`--group takes "path", got "${v.group}"`);
    if (v.code ?? v.type ?? v.path ?? v.limit ?? v.offset) throw new UsageError('--group path takes only --json');
    const dlq = await dlqOf();
    const groups = await dlq.groups();
    if (v.json) io.out(JSON.stringify(groups));
    else for (const l of groupLines(groups, await dlq.count())) io.out(l);
    return 0;
  }
  const options = {
    offset: int('offset', v.offset, 0),
    limit: int('limit', v.limit, 50),
    ...code(v.code),
    ...filters(v),
  };
  const dlq = await dlqOf();
  const entries = await dlq.list(options);
  if (v.json) io.out(JSON.stringify(entries));
  else {
    io.out(`${await dlq.count()} dead letters; showing ${entries.length}`);
    for (const e of entries) io.out(line(e));
  }
  return 0;
}

async function show(dlq: DeadLetterService, did: string, v: Values, io: CliIo): Promise<number> {
  const e = await dlq.show(did);
  if (!e) {
    io.err(`no dead letter for ${did}`);
    return 1;
  }
  io.out(v.json ? JSON.stringify(e) : JSON.stringify(e, null, 2));
  return 0;
}

async function replay(dlqOf: DlqOf, did: string | undefined, v: Values, io: CliIo): Promise<number> {
  if (v.all || v.path !== undefined) {
    if (did !== undefined) throw new UsageError(`unexpected argument "${did}"`);
    if (v.all && v.path !== undefined) throw new UsageError('--path replays every entry of that path: drop --all');
    const options = { limit: int('limit', v.limit, MAX_LIMIT), ...code(v.code), ...filters(v) };
    const results = await (await dlqOf()).replayMany(options);
    const ok = results.filter((r) => r.replayed).length;
    io.out(`replayed ${ok} of ${results.length}${v.path === undefined ? '' : ` (path ${v.path})`}`);
    return 0;
  }
  if (v.code !== undefined || v.limit !== undefined || v.type !== undefined)
    throw new UsageError('--code, --type and --limit go with --all or --path');
  if (did === undefined) throw new UsageError('expected one <did> or --all');
  const r = await (await dlqOf()).replay(did);
  if (!r.replayed) {
    io.err(`not replayed: ${r.reason} (${did})`);
    return 1;
  }
  io.out(`replayed ${did} as job ${r.jobId}`);
  return 0;
}

const CODE_HELP = `a dead-letter code (${[...KNOWN_CODES].join(', ')})`;

/** Adds `dlq list|show|replay|discard` to `cli`; `dlqOf` opens the queue once a command has parsed. */
export function addDlqCommands(cli: CliProgram, dlqOf: DlqOf, io: CliIo): void {
  const dlq = withExample(
    cli.program
      .command('dlq')
      .description("the sync-worker's dead letters: list them, show one, replay or discard them"),
    'oip dlq list',
  );
  withExample(
    dlq
      .command('list')
      .description('the newest dead letters (the total first), or with --group path one line per field path')
      .option('--code <code>', CODE_HELP)
      .option('--type <type>', 'only records of this type')
      .option('--path <path>', 'only entries about this dotted field path')
      .option(
        '--group <by>',
        '"path": one line per field path (count, record types, fixed vs incoming type, first/last seen)',
      )
      .option('--limit <n>', `at most N entries, 0..${MAX_LIMIT} (0 prints only the total)`)
      .option('--offset <n>', 'skip the first N')
      .option('--json', 'one JSON line')
      .action(cli.action((v: Values) => list(dlqOf, v, io))),
    'oip dlq list --code SYNC_ERR_MAPPING_CONFLICT --limit 20',
    'oip dlq list --group path',
  );
  withExample(
    dlq
      .command('show')
      .description('one dead letter in full')
      .argument('<did>', "the record's DID")
      .option('--json', 'one JSON line')
      .action(cli.action(async (did: string, v: Values) => show(await dlqOf(), did, v, io))),
    'oip dlq show did:gun:abc123',
  );
  withExample(
    dlq
      .command('replay')
      .description('queue a dead letter again: one by DID, every one (--all) or every one of a field path (--path)')
      .argument('[did]', "the record's DID")
      .option('--all', 'every dead letter (filtered by --code, --type, --limit)')
      .option('--path <path>', 'every dead letter of this dotted field path')
      .option('--code <code>', CODE_HELP)
      .option('--type <type>', 'only records of this type')
      .option('--limit <n>', `at most N, 0..${MAX_LIMIT}`)
      .action(cli.action((did: string | undefined, v: Values) => replay(dlqOf, did, v, io))),
    'oip dlq replay did:gun:abc123',
    'oip dlq replay --path data.shoppingList.item_prices',
  );
  withExample(
    dlq
      .command('discard')
      .description('drop a dead letter')
      .argument('<did>', "the record's DID")
      .action(
        cli.action(async (did: string) => {
          if (!(await (await dlqOf()).discard(did))) {
            io.err(`no dead letter for ${did}`);
            return 1;
          }
          io.out(`discarded ${did}`);
          return 0;
        }),
      ),
    'oip dlq discard did:gun:abc123',
  );
}

/** Runs one `dlq …` command line on `dlq`; returns the exit code (0 ok, 1 not found / nothing done, 2 usage). */
export async function runCli(argv: string[], dlq: DeadLetterService, io: CliIo): Promise<number> {
  const cli = createCli('oip', 'dead letters', io);
  addDlqCommands(cli, () => Promise.resolve(dlq), io);
  return cli.run(argv);
}
