// `oip dlq list|show|replay|discard`: the operator's view of the dead-letter queue, grouped by
// field path with `list --group path`, replayed by path with `replay --path`.
// Arguments are parsed strictly (@oip/service-kit parseCommandLine, node:util parseArgs): an
// unknown flag, a flag without its value, a stray argument or a bad number is a usage error
// (the kit's UsageError, exit 2), never silently ignored.
import type { ParseArgsConfig } from 'node:util';
import { intFlag, parseCommandLine, UsageError, USAGE_EXIT_CODE } from '@oip/service-kit';
import { DeadLetterCodes } from '@oip/queue-contracts';
import type { DeadLetterEntry, DeadLetterService } from '@oip/sync-state';
import { groupLines } from './group-lines.js';
import { STORE_USAGE } from './store-cli.js';

const USAGE = `usage:
  oip dlq list [--code CODE] [--type TYPE] [--path PATH] [--limit N] [--offset N] [--json]    N: 0..1000 (--limit 0 prints only the total)
  oip dlq list --group path [--json]      one line per field path: count, record types, fixed vs incoming type, first/last seen
  oip dlq show <did> [--json]
  oip dlq replay <did> | --all [--code CODE] [--type TYPE] [--limit N] | --path PATH [--code CODE] [--type TYPE] [--limit N]
  oip dlq discard <did>
${STORE_USAGE}`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const OPTIONS = {
  list: {
    code: { type: 'string' },
    type: { type: 'string' },
    path: { type: 'string' },
    group: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
    json: { type: 'boolean' },
  },
  show: { json: { type: 'boolean' } },
  replay: {
    all: { type: 'boolean' },
    code: { type: 'string' },
    type: { type: 'string' },
    path: { type: 'string' },
    limit: { type: 'string' },
  },
  discard: {},
} satisfies Record<string, Options>;

type Command = keyof typeof OPTIONS;

/** The most entries one list or replay --all touches (the service's page bound). */
const MAX_LIMIT = 1000;
const KNOWN_CODES = new Set<string>(Object.values(DeadLetterCodes));

interface Parsed {
  positionals: string[];
  values: {
    code?: string;
    type?: string;
    path?: string;
    group?: string;
    limit?: string;
    offset?: string;
    json?: boolean;
    all?: boolean;
  };
}

function parse(cmd: Command, args: string[]): Parsed {
  return parseCommandLine(args, OPTIONS[cmd] as Options) as Parsed;
}

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
function filters(p: Parsed): { recordType?: string; path?: string } {
  const out: { recordType?: string; path?: string } = {};
  if (p.values.type !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(p.values.type))
      throw new UsageError(`--type must be a record type name, got "${p.values.type}"`);
    out.recordType = p.values.type;
  }
  if (p.values.path !== undefined) {
    if (!/^[^\s.][^\s]{0,511}$/.test(p.values.path) || p.values.path.endsWith('.'))
      throw new UsageError(`--path must be a dotted field path, got "${p.values.path}"`);
    out.path = p.values.path;
  }
  return out;
}

/** Exactly `n` positionals after the command (the DID, or none). */
function positionals(p: Parsed, n: number, what: string): string[] {
  if (p.positionals.length !== n)
    throw new UsageError(n === 0 ? `unexpected argument "${p.positionals[0]}"` : `expected ${what}`);
  return p.positionals;
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

/** Runs one command; returns the process exit code (0 ok, 1 not found / nothing done, 2 usage). */
export async function runCli(argv: string[], dlq: DeadLetterService, io: CliIo): Promise<number> {
  try {
    return await run(argv, dlq, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // parseArgs messages run over several lines; the first says what is wrong.
    io.err(`oip: ${err.message.split('\n')[0]}`);
    io.err(USAGE);
    return USAGE_EXIT_CODE;
  }
}

async function run(argv: string[], dlq: DeadLetterService, io: CliIo): Promise<number> {
  const [group, cmd, ...rest] = argv;
  if (group !== 'dlq' || cmd === undefined || !Object.hasOwn(OPTIONS, cmd)) {
    throw new UsageError(
      group !== 'dlq'
        ? 'expected "dlq"'
        : `expected a command (list, show, replay, discard)${cmd ? `, got "${cmd}"` : ''}`,
    );
  }
  const p = parse(cmd as Command, rest);
  switch (cmd as Command) {
    case 'list': {
      positionals(p, 0, '');
      if (p.values.group !== undefined) {
        if (p.values.group !== 'path') throw new UsageError(`--group takes "path", got "${p.values.group}"`);
        if (p.values.code ?? p.values.type ?? p.values.path ?? p.values.limit ?? p.values.offset)
          throw new UsageError('--group path takes only --json');
        const groups = await dlq.groups();
        if (p.values.json) io.out(JSON.stringify(groups));
        else for (const l of groupLines(groups, await dlq.count())) io.out(l);
        return 0;
      }
      const limit = int('limit', p.values.limit, 50);
      const entries = await dlq.list({
        offset: int('offset', p.values.offset, 0),
        limit,
        ...code(p.values.code),
        ...filters(p),
      });
      if (p.values.json) io.out(JSON.stringify(entries));
      else {
        io.out(`${await dlq.count()} dead letters; showing ${entries.length}`);
        for (const e of entries) io.out(line(e));
      }
      return 0;
    }
    case 'show': {
      const [did] = positionals(p, 1, 'one <did>');
      const e = await dlq.show(did!);
      if (!e) {
        io.err(`no dead letter for ${did}`);
        return 1;
      }
      io.out(p.values.json ? JSON.stringify(e) : JSON.stringify(e, null, 2));
      return 0;
    }
    case 'replay': {
      if (p.values.all || p.values.path !== undefined) {
        positionals(p, 0, '');
        if (p.values.all && p.values.path !== undefined)
          throw new UsageError('--path replays every entry of that path: drop --all');
        const results = await dlq.replayMany({
          limit: int('limit', p.values.limit, MAX_LIMIT),
          ...code(p.values.code),
          ...filters(p),
        });
        const ok = results.filter((r) => r.replayed).length;
        io.out(`replayed ${ok} of ${results.length}${p.values.path === undefined ? '' : ` (path ${p.values.path})`}`);
        return 0;
      }
      if (p.values.code !== undefined || p.values.limit !== undefined || p.values.type !== undefined)
        throw new UsageError('--code, --type and --limit go with --all or --path');
      const [did] = positionals(p, 1, 'one <did> or --all');
      const r = await dlq.replay(did!);
      if (!r.replayed) {
        io.err(`not replayed: ${r.reason} (${did})`);
        return 1;
      }
      io.out(`replayed ${did} as job ${r.jobId}`);
      return 0;
    }
    case 'discard': {
      const [did] = positionals(p, 1, 'one <did>');
      if (!(await dlq.discard(did!))) {
        io.err(`no dead letter for ${did}`);
        return 1;
      }
      io.out(`discarded ${did}`);
      return 0;
    }
  }
}
