// `oip migrate records` flags: where the legacy node's Elasticsearch is, how to log in, which
// records index, and how to run. A commander command (@oip/service-kit createCli) with --help: an
// unknown flag, a flag without its value or a bad number is a usage error (exit 2).
import { type CliProgram, intFlag, UsageError, withExample } from '@oip/service-kit';

/** The largest page read from the legacy index and written to the store at once. */
export const MAX_BATCH = 5000;

export type LegacyAuth = { username: string; password: string } | { apiKey: string };

export interface MigrateRecordsArgs {
  /** The legacy node's Elasticsearch, without credentials. */
  url: string;
  auth?: LegacyAuth;
  /** The legacy records index. @defaultValue 'records' */
  recordsIndex: string;
  /** The legacy registry indices. @defaultValue legacy's names: templates, creatorregistrations, organizations */
  templatesIndex: string;
  creatorsIndex: string;
  organizationsIndex: string;
  /** Read and convert, write nothing (store, dead letters, cursor). @defaultValue false */
  dryRun: boolean;
  /** Documents per page. @defaultValue 500 */
  batch: number;
  /** Where the cursors live. @defaultValue under the store's data dir */
  stateDir?: string;
  /** The closing report as one JSON line. @defaultValue false */
  json: boolean;
  /** Read again only the documents of this source's dead letters. @defaultValue false */
  replayDeadLetters: boolean;
}

/** The options of `migrate records` as commander parsed them. */
interface Values {
  fromElasticsearch?: string;
  username?: string;
  password?: string;
  apiKey?: string;
  index?: string;
  templatesIndex?: string;
  creatorsIndex?: string;
  organizationsIndex?: string;
  dryRun?: boolean;
  batch?: string;
  stateDir?: string;
  json?: boolean;
  replayDeadLetters?: boolean;
}

/** Credentials given in the URL (`http://user:pass@host`) move to `auth`; the URL keeps none. */
function splitUrl(raw: string): { url: string; auth?: LegacyAuth } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--from-elasticsearch must be an http(s) URL, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`--from-elasticsearch must be an http(s) URL, got "${u.protocol}"`);
  const auth =
    u.username === ''
      ? undefined
      : { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  u.username = '';
  u.password = '';
  const url = u.toString().replace(/\/$/, '');
  return auth === undefined ? { url } : { url, auth };
}

/** An Elasticsearch index name (lower case, no wildcards or separators), or the default. */
function indexName(flag: string, v: string | undefined, def: string): string {
  if (v === undefined) return def;
  if (!/^[a-z0-9][a-z0-9._-]{0,254}$/.test(v)) throw new UsageError(`--${flag} must be an index name, got "${v}"`);
  return v;
}

/** The arguments the options make; UsageError when they do not fit together. */
export function migrateArgsOf(v: Values): MigrateRecordsArgs {
  if (v.fromElasticsearch === undefined) throw new UsageError('--from-elasticsearch URL is required');
  const { url, auth: urlAuth } = splitUrl(v.fromElasticsearch);
  if (v.apiKey !== undefined && (v.username !== undefined || v.password !== undefined))
    throw new UsageError('--api-key or --username/--password, not both');
  if (v.password !== undefined && v.username === undefined) throw new UsageError('--password goes with --username');
  const index = indexName('index', v.index, 'records');
  const auth: LegacyAuth | undefined =
    v.apiKey !== undefined
      ? { apiKey: v.apiKey }
      : v.username !== undefined
        ? { username: v.username, password: v.password ?? '' }
        : urlAuth;
  if (v.replayDeadLetters === true && v.dryRun === true)
    throw new UsageError('--replay-dead-letters writes what it reads: drop --dry-run');
  const stateDir = v.stateDir;
  if (stateDir === '') throw new UsageError('--state-dir must name a directory');
  return {
    url,
    ...(auth === undefined ? {} : { auth }),
    recordsIndex: index,
    templatesIndex: indexName('templates-index', v.templatesIndex, 'templates'),
    creatorsIndex: indexName('creators-index', v.creatorsIndex, 'creatorregistrations'),
    organizationsIndex: indexName('organizations-index', v.organizationsIndex, 'organizations'),
    dryRun: v.dryRun === true,
    batch: intFlag('batch', v.batch, { min: 1, max: MAX_BATCH }) ?? 500,
    ...(stateDir === undefined ? {} : { stateDir }),
    json: v.json === true,
    replayDeadLetters: v.replayDeadLetters === true,
  };
}

/** Adds `migrate records` to `cli`; `run` opens what the migration needs and runs it. */
export function addMigrateRecordsCommand(cli: CliProgram, run: (args: MigrateRecordsArgs) => Promise<number>): void {
  const migrate = withExample(
    cli.program
      .command('migrate')
      .description("a legacy node's data into this node (the sync-worker's part: its records)"),
    'oip migrate records --from-elasticsearch http://legacy:9200 --dry-run',
  );
  withExample(
    migrate
      .command('records')
      .description(
        "Copies a legacy node's records, templates, creatorregistrations and organizations indices into this " +
          "node's store (resumable, idempotent; failures go to the dead-letter queue). Credentials may come from " +
          'MIGRATE_ELASTICSEARCH_USERNAME / _PASSWORD / _API_KEY instead of flags.',
      )
      .option('--from-elasticsearch <url>', "the legacy node's Elasticsearch (required; credentials in it are used)")
      .option('--username <user>', 'its basic-auth user (with --password)')
      .option('--password <password>', 'its basic-auth password')
      .option('--api-key <key>', 'an Elasticsearch API key instead of --username/--password')
      .option('--index <name>', 'the legacy records index (default records)')
      .option('--templates-index <name>', 'the legacy templates index (default templates)')
      .option('--creators-index <name>', 'the legacy creator registrations index (default creatorregistrations)')
      .option('--organizations-index <name>', 'the legacy organizations index (default organizations)')
      .option('--dry-run', 'read and convert, write nothing (store, dead letters, cursor)')
      .option('--batch <n>', `documents a page, 1..${MAX_BATCH} (default 500)`)
      .option('--state-dir <dir>', "where the cursors live (default beside the SQLite store's files)")
      .option('--json', 'print the closing report as one JSON line')
      .option(
        '--replay-dead-letters',
        'read again, without a worker, only the documents whose dead letters name this source (after `oip store ' +
          'fields widen`; `oip dlq replay` queues them for the worker instead, which reads MIGRATE_ELASTICSEARCH_URL)',
      )
      .action(cli.action((values: Values) => run(migrateArgsOf(values)))),
    'oip migrate records --from-elasticsearch http://legacy:9200 --username elastic --password secret --batch 1000',
  );
}
