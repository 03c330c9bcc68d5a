// `oip store fields [widen <path> <type>]`: the store's fixed field types, and the one command
// that widens one (only widenings the store takes without losing data; @oip/record-store's
// widening.ts). On Elasticsearch a type change needs a copy into a new index: the command says
// so and what to do, and does it with --reindex.
import type { ParseArgsConfig } from 'node:util';
import { parseCommandLine, UsageError, USAGE_EXIT_CODE } from '@oip/service-kit';
import {
  KNOWN_FIELD_TYPES,
  describeWidenings,
  isStoreError,
  type RecordStore,
  type WidenResult,
} from '@oip/record-store';
import type { CliIo } from './run-cli.js';

export const STORE_USAGE = `  oip store fields [--prefix PATH] [--json]               the store's fixed field types
  oip store fields widen <path> <type> [--reindex]       safe widenings only (${describeWidenings()})`;

type Options = NonNullable<ParseArgsConfig['options']>;
const LIST_OPTIONS = { prefix: { type: 'string' }, json: { type: 'boolean' } } satisfies Options;
const WIDEN_OPTIONS = { reindex: { type: 'boolean' } } satisfies Options;

/** What the operator does when Elasticsearch needs a copy. */
function reindexSteps(path: string, type: string): string[] {
  return [
    'steps:',
    '  1. stop the sync workers (documents written during the copy would be missed; the copy is refused when counts differ)',
    `  2. oip store fields widen ${path} ${type} --reindex`,
    '  3. start the sync workers',
    `  4. oip dlq replay --path ${path}`,
  ];
}

function done(r: WidenResult): string {
  switch (r.method) {
    case 'unchanged':
      return `${r.path} is already ${r.to}: nothing to do`;
    case 'guard':
      return `widened ${r.path} from ${r.from} to ${r.to} (the store's field-type guard; every process adopts it at its next write)`;
    case 'mapping':
      return `widened ${r.path} from ${r.from} to ${r.to} (index mapping updated in place)`;
    case 'reindex': {
      const x = r.reindex!;
      return `widened ${r.path} from ${r.from} to ${r.to}: copied ${x.documents} documents from ${x.from} into ${x.to}; ${x.alias} now points at ${x.to}${x.oldIndexKept ? ` (${x.from} kept: delete it when satisfied)` : ` (${x.from} removed)`}`;
    }
  }
}

/** Runs `store …`; returns the exit code (0 ok, 1 refused / failed, 2 usage). */
export async function runStoreCli(argv: string[], store: RecordStore, io: CliIo): Promise<number> {
  try {
    return await run(argv, store, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`oip: ${err.message.split('\n')[0]}`);
      io.err(`usage:\n${STORE_USAGE}`);
      return USAGE_EXIT_CODE;
    }
    if (!isStoreError(err)) throw err;
    io.err(`oip: ${err.code}: ${err.message}`);
    if (err.code === 'STORE_ERR_REINDEX_REQUIRED') {
      const d = err.details as { path?: string; to?: string };
      for (const l of reindexSteps(String(d.path), String(d.to))) io.err(l);
    }
    return 1;
  }
}

async function run(argv: string[], store: RecordStore, io: CliIo): Promise<number> {
  const [group, cmd, ...rest] = argv;
  if (group !== 'store' || cmd !== 'fields')
    throw new UsageError(group !== 'store' ? 'expected "store"' : `expected "fields"${cmd ? `, got "${cmd}"` : ''}`);
  if (rest[0] === 'widen') {
    const p = parseCommandLine(rest.slice(1), WIDEN_OPTIONS) as {
      positionals: string[];
      values: { reindex?: boolean };
    };
    if (p.positionals.length !== 2) throw new UsageError('expected <path> <type>');
    const [path, type] = p.positionals as [string, string];
    if (!KNOWN_FIELD_TYPES.has(type))
      throw new UsageError(`unknown field type "${type}" (one of ${[...KNOWN_FIELD_TYPES].join(', ')})`);
    const r = await store.widenField(path, type, { reindex: p.values.reindex === true });
    io.out(done(r));
    if (r.method !== 'unchanged') io.out(`next: oip dlq replay --path ${path}`);
    return 0;
  }
  const p = parseCommandLine(rest, LIST_OPTIONS) as {
    positionals: string[];
    values: { prefix?: string; json?: boolean };
  };
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
  const prefix = p.values.prefix;
  const fields = (await store.fieldTypes()).filter(
    (f) => prefix === undefined || f.path === prefix || f.path.startsWith(`${prefix}.`),
  );
  if (p.values.json) io.out(JSON.stringify(fields));
  else {
    io.out(`${fields.length} fixed field types${prefix === undefined ? '' : ` under ${prefix}`}`);
    const width = Math.min(60, Math.max(0, ...fields.map((f) => f.path.length)));
    for (const f of fields) io.out(`${f.path.padEnd(width)}  ${f.type}`);
  }
  return 0;
}
