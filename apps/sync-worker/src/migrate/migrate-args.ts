// `oip migrate records` flags: where the legacy node's Elasticsearch is, how to log in, which
// records index, and how to run. Parsed strictly (@oip/service-kit): an unknown flag, a flag
// without its value or a bad number is a usage error (exit 2).
import type { ParseArgsConfig } from 'node:util';
import { intFlag, parseCommandLine, UsageError } from '@oip/service-kit';

export const MIGRATE_USAGE = `  oip migrate records --from-elasticsearch URL [--username U --password P | --api-key K]
                     [--index records] [--templates-index templates] [--creators-index creatorregistrations]
                     [--organizations-index organizations] [--dry-run] [--batch 500] [--state-dir DIR] [--json]
                     [--replay-dead-letters] [--help]
      copies a legacy node's records, templates, creatorregistrations and organizations indices
      into this node's store (resumable, idempotent; failures go to the dead-letter queue);
      --replay-dead-letters reads again, without a worker, only the documents whose dead letters name
      this source (after \`oip store fields widen\`; \`oip dlq replay\` queues them for the worker instead,
      which reads MIGRATE_ELASTICSEARCH_URL); credentials may come from MIGRATE_ELASTICSEARCH_USERNAME /
      _PASSWORD / _API_KEY instead of flags`;

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

const OPTIONS = {
  'from-elasticsearch': { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'api-key': { type: 'string' },
  index: { type: 'string' },
  'templates-index': { type: 'string' },
  'creators-index': { type: 'string' },
  'organizations-index': { type: 'string' },
  'dry-run': { type: 'boolean' },
  batch: { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
  'replay-dead-letters': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies NonNullable<ParseArgsConfig['options']>;

interface Values {
  'from-elasticsearch'?: string;
  username?: string;
  password?: string;
  'api-key'?: string;
  index?: string;
  'templates-index'?: string;
  'creators-index'?: string;
  'organizations-index'?: string;
  'dry-run'?: boolean;
  batch?: string;
  'state-dir'?: string;
  json?: boolean;
  'replay-dead-letters'?: boolean;
  help?: boolean;
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

/** `argv` after `migrate records`; null for --help. */
export function parseMigrateArgs(argv: readonly string[]): MigrateRecordsArgs | null {
  const p = parseCommandLine(argv, OPTIONS) as { positionals: string[]; values: Values };
  if (p.values.help === true) return null;
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
  const v = p.values;
  if (v['from-elasticsearch'] === undefined) throw new UsageError('--from-elasticsearch URL is required');
  const { url, auth: urlAuth } = splitUrl(v['from-elasticsearch']);
  if (v['api-key'] !== undefined && (v.username !== undefined || v.password !== undefined))
    throw new UsageError('--api-key or --username/--password, not both');
  if (v.password !== undefined && v.username === undefined) throw new UsageError('--password goes with --username');
  const index = indexName('index', v.index, 'records');
  const auth: LegacyAuth | undefined =
    v['api-key'] !== undefined
      ? { apiKey: v['api-key'] }
      : v.username !== undefined
        ? { username: v.username, password: v.password ?? '' }
        : urlAuth;
  if (v['replay-dead-letters'] === true && v['dry-run'] === true)
    throw new UsageError('--replay-dead-letters writes what it reads: drop --dry-run');
  const stateDir = v['state-dir'];
  if (stateDir === '') throw new UsageError('--state-dir must name a directory');
  return {
    url,
    ...(auth === undefined ? {} : { auth }),
    recordsIndex: index,
    templatesIndex: indexName('templates-index', v['templates-index'], 'templates'),
    creatorsIndex: indexName('creators-index', v['creators-index'], 'creatorregistrations'),
    organizationsIndex: indexName('organizations-index', v['organizations-index'], 'organizations'),
    dryRun: v['dry-run'] === true,
    batch: intFlag('batch', v.batch, { min: 1, max: MAX_BATCH }) ?? 500,
    ...(stateDir === undefined ? {} : { stateDir }),
    json: v.json === true,
    replayDeadLetters: v['replay-dead-letters'] === true,
  };
}
