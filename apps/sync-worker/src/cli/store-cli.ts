// `oip store fields [widen <path> <type>]`: the store's fixed field types, and the one command
// that widens one (only widenings the store takes without losing data; @oip/record-store's
// widening.ts). On Elasticsearch a type change needs a copy into a new index: the command says
// so and what to do, and does it with --reindex.
import { createCli, UsageError, withExample, type CliIo, type CliProgram } from '@oip/service-kit';
import {
  KNOWN_FIELD_TYPES,
  describeWidenings,
  isStoreError,
  type RecordStore,
  type WidenResult,
} from '@oip/record-store';

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

type StoreOf = () => Promise<RecordStore>;

/** A store refusal as its code and message (and the reindex steps when that is the way): exit 1. */
function refused(err: unknown, io: CliIo): number {
  if (!isStoreError(err)) throw err;
  io.err(`oip: ${err.code}: ${err.message}`);
  if (err.code === 'STORE_ERR_REINDEX_REQUIRED') {
    const d = err.details as { path?: string; to?: string };
    for (const l of reindexSteps(String(d.path), String(d.to))) io.err(l);
  }
  return 1;
}

async function widen(storeOf: StoreOf, path: string, type: string, reindex: boolean, io: CliIo): Promise<number> {
  if (!KNOWN_FIELD_TYPES.has(type))
    throw new UsageError(`unknown field type "${type}" (one of ${[...KNOWN_FIELD_TYPES].join(', ')})`);
  const store = await storeOf();
  try {
    const r = await store.widenField(path, type, { reindex });
    io.out(done(r));
    if (r.method !== 'unchanged') io.out(`next: oip dlq replay --path ${path}`);
    return 0;
  } catch (err) {
    return refused(err, io);
  }
}

async function fields(storeOf: StoreOf, prefix: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const store = await storeOf();
  const all = await store.fieldTypes().catch((err: unknown) => refused(err, io));
  if (typeof all === 'number') return all;
  const found = all.filter((f) => prefix === undefined || f.path === prefix || f.path.startsWith(`${prefix}.`));
  if (json) io.out(JSON.stringify(found));
  else {
    io.out(`${found.length} fixed field types${prefix === undefined ? '' : ` under ${prefix}`}`);
    const width = Math.min(60, Math.max(0, ...found.map((f) => f.path.length)));
    for (const f of found) io.out(`${f.path.padEnd(width)}  ${f.type}`);
  }
  return 0;
}

/** Adds `store fields [widen <path> <type>]` to `cli`; `storeOf` opens the store once a command has parsed. */
export function addStoreCommands(cli: CliProgram, storeOf: StoreOf, io: CliIo): void {
  const store = withExample(
    cli.program.command('store').description("the record store's fixed field types"),
    'oip store fields',
  );
  const list = withExample(
    store
      .command('fields')
      .description("the store's fixed field types (the type each field path took first)")
      .option('--prefix <path>', 'only paths under this dotted path')
      .option('--json', 'one JSON line')
      .action(cli.action((v: { prefix?: string; json?: boolean }) => fields(storeOf, v.prefix, v.json === true, io))),
    'oip store fields --prefix data.shoppingList',
  );
  withExample(
    list
      .command('widen')
      .description(
        `widen one field's fixed type, only where the store loses no data (${describeWidenings()}); on ` +
          'Elasticsearch a type change copies the index into a new one, done only with --reindex',
      )
      .argument('<path>', 'the dotted field path')
      .argument('<type>', `the new type (one of ${[...KNOWN_FIELD_TYPES].join(', ')})`)
      .option('--reindex', 'on Elasticsearch, copy into a new index and switch the alias')
      .action(
        cli.action((path: string, type: string, v: { reindex?: boolean }) =>
          widen(storeOf, path, type, v.reindex === true, io),
        ),
      ),
    'oip store fields widen data.shoppingList.item_prices double',
  );
}

/** Runs one `store …` command line on `store`; returns the exit code (0 ok, 1 refused / failed, 2 usage). */
export async function runStoreCli(argv: string[], store: RecordStore, io: CliIo): Promise<number> {
  const cli = createCli('oip', 'the record store', io);
  addStoreCommands(cli, () => Promise.resolve(store), io);
  return cli.run(argv);
}
