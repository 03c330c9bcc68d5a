// `migrate accounts --from-elasticsearch URL [--username U --password P | --api-key K]
// [--index users] [--dry-run] [--json] [--page-size N]`: a legacy node's users into this node's
// account store (@oip/accounts migrateLegacyAccounts says what is kept and skipped). Parsing, the
// run, and what the operator reads: progress on stderr (a bar redrawn on a terminal, a line every
// few seconds elsewhere), the closing report on stdout, or the report as one JSON line with --json.
// Exit codes: 0 done (skipped users are reported, not errors), 1 a user failed or the run stopped,
// 2 usage, or a legacy index that cannot be read.
import {
  type AccountStore,
  DEFAULT_LEGACY_USERS_INDEX,
  type MigrationProgress,
  type MigrationReport,
  createAccountsEsClient,
  isAccountsError,
  migrateLegacyAccounts,
} from '@oip/accounts';
import { type CliProgram, intFlag, UsageError, USAGE_EXIT_CODE, withExample } from '@oip/service-kit';

/** The legacy node's Elasticsearch client (@oip/accounts' own client type). */
type Client = ReturnType<typeof createAccountsEsClient>;

export interface MigrateAccountsCommand {
  url: string;
  username?: string;
  password?: string;
  apiKey?: string;
  index: string;
  dryRun: boolean;
  json: boolean;
  pageSize: number;
}

export interface MigrateCliIo {
  out(line: string): void;
  err(line: string): void;
  progress: { write(text: string): void; isTTY: boolean };
}

/** The options of `migrate accounts` as commander parsed them. */
interface MigrateAccountsOptions {
  fromElasticsearch?: string;
  username?: string;
  password?: string;
  apiKey?: string;
  index?: string;
  dryRun?: boolean;
  json?: boolean;
  pageSize?: string;
}

/** The command the options make; UsageError when they do not fit together. */
export function migrateAccountsCommandOf(values: MigrateAccountsOptions): MigrateAccountsCommand {
  const url = values.fromElasticsearch;
  if (url === undefined || url === '') throw new UsageError('--from-elasticsearch URL is required');
  if (!/^https?:\/\/[^/]/u.test(url)) throw new UsageError(`--from-elasticsearch must be an http(s) URL, got "${url}"`);
  if (values.apiKey !== undefined && (values.username !== undefined || values.password !== undefined))
    throw new UsageError('--api-key excludes --username/--password');
  if (values.password !== undefined && values.username === undefined)
    throw new UsageError('--password needs --username');
  const index = values.index ?? DEFAULT_LEGACY_USERS_INDEX;
  if (index === '') throw new UsageError('--index must not be empty');
  return {
    url,
    ...(values.username === undefined ? {} : { username: values.username }),
    ...(values.password === undefined ? {} : { password: values.password }),
    ...(values.apiKey === undefined ? {} : { apiKey: values.apiKey }),
    index,
    dryRun: values.dryRun ?? false,
    json: values.json ?? false,
    pageSize: intFlag('page-size', values.pageSize, { min: 1, max: 1000 }) ?? 200,
  };
}

/** Adds `migrate accounts` to `cli`; `run` opens the store and runs the parsed command. */
export function addMigrateAccountsCommand(
  cli: CliProgram,
  run: (command: MigrateAccountsCommand) => Promise<number>,
): void {
  const migrate = withExample(
    cli.program.command('migrate').description("a legacy node's data into this node (the api's part: its accounts)"),
    'oip migrate accounts --from-elasticsearch http://legacy:9200 --dry-run',
  );
  withExample(
    migrate
      .command('accounts')
      .description(
        'Copies a legacy node\'s users (its Elasticsearch "users" index) into this node\'s accounts store (the ' +
          "api's STORE_KIND / ELASTICSEARCH_* / API_ACCOUNTS_INDEX). Each keeps its id, email, publisher key, admin " +
          'flag, statuses and calendar token; its bcrypt hash and password-sealed key, mnemonic and GUN salt are ' +
          "kept as they are and upgraded to this node's schemes at its first login here. Safe to run again: users " +
          'already here are left as they are (a second run writes nothing, and a run stopped half-way is finished ' +
          'by the next).',
      )
      .option('--from-elasticsearch <url>', "the legacy node's Elasticsearch (required)")
      .option('--username <user>', 'its basic-auth user (with --password)')
      .option('--password <password>', 'its basic-auth password')
      .option('--api-key <key>', 'an Elasticsearch API key instead of --username/--password')
      .option('--index <name>', `the legacy users index (default ${DEFAULT_LEGACY_USERS_INDEX})`)
      .option('--dry-run', 'read and check everything, write nothing')
      .option('--json', 'print the closing report as one JSON line')
      .option('--page-size <n>', 'users read a page, 1..1000 (default 200)')
      .action(cli.action((values: MigrateAccountsOptions) => run(migrateAccountsCommandOf(values)))),
    'oip migrate accounts --from-elasticsearch http://legacy:9200 --username elastic --password secret',
  );
}

/** Where the legacy URL's credentials would show, they don't. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.username !== '' || u.password !== '') {
      u.username = '***';
      u.password = '';
    }
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function progressWriter(io: MigrateCliIo, label: string): { update(p: MigrationProgress): void; end(): void } {
  const started = Date.now();
  const interval = io.progress.isTTY ? 200 : 5000;
  let last = 0;
  let latest: MigrationProgress | null = null;
  const draw = (): void => {
    if (latest === null) return;
    const p = latest;
    const total = Math.max(p.total, p.read);
    const pct = total === 0 ? 100 : Math.floor((p.read / total) * 100);
    const secs = (Date.now() - started) / 1000;
    const eta = p.read === 0 ? '?' : `${Math.max(0, Math.round(((total - p.read) * secs) / p.read))}s`;
    const counts = `${p.read}/${total} (${pct}%) written ${p.written} skipped ${p.skipped} failed ${p.failed}, ETA ${eta}`;
    io.progress.write(io.progress.isTTY ? `\r${label} ${counts}\x1b[K` : `${label}: ${counts}\n`);
  };
  return {
    update(p) {
      latest = p;
      if (Date.now() - last < interval) return;
      last = Date.now();
      draw();
    },
    end() {
      draw();
      if (io.progress.isTTY && latest !== null) io.progress.write('\n');
    },
  };
}

function reportLines(report: MigrationReport): string[] {
  const lines = [`read ${report.read}, ${report.dryRun ? 'would write' : 'written'} ${report.written}`];
  for (const [reason, n] of Object.entries(report.skipped)) lines.push(`skipped ${n}: ${reason}`);
  for (const [code, n] of Object.entries(report.failed)) lines.push(`failed ${n}: ${code}`);
  return lines;
}

/** Runs the command against `target`; `source` is made from the command when not given. The exit code. */
export async function runMigrateAccounts(
  cmd: MigrateAccountsCommand,
  target: AccountStore,
  io: MigrateCliIo,
  source?: Client,
): Promise<number> {
  const client =
    source ??
    createAccountsEsClient({
      url: cmd.url,
      ...(cmd.username === undefined ? {} : { username: cmd.username }),
      ...(cmd.password === undefined ? {} : { password: cmd.password }),
      ...(cmd.apiKey === undefined ? {} : { apiKey: cmd.apiKey }),
      requestTimeoutMs: 30_000,
      // The legacy node runs Elasticsearch 7 or 8, which refuse this client's compatible-with=9.
      plainJson: true,
    });
  const from = `${redacted(cmd.url)} index ${cmd.index}`;
  const progress = progressWriter(io, 'migrate accounts');
  let report: MigrationReport;
  try {
    report = await migrateLegacyAccounts({
      source: client,
      target,
      index: cmd.index,
      dryRun: cmd.dryRun,
      pageSize: cmd.pageSize,
      ...(cmd.json ? {} : { onProgress: (p: MigrationProgress) => progress.update(p) }),
      onUser: (e) =>
        e.outcome === 'failed' &&
        io.err(`migrate accounts: user ${e.id} (${e.email ?? 'no email'}) failed: ${e.reason}: ${e.message ?? ''}`),
    });
  } catch (err) {
    if (!cmd.json) progress.end();
    if (isAccountsError(err)) {
      io.err(`migrate accounts: this node's accounts store: ${err.code}: ${err.message}`);
      return 1;
    }
    const status = (err as { meta?: { statusCode?: unknown } }).meta?.statusCode;
    if (status === 404) {
      io.err(`migrate accounts: no index "${cmd.index}" at ${redacted(cmd.url)}`);
      return USAGE_EXIT_CODE;
    }
    if (status === 401 || status === 403) {
      io.err(`migrate accounts: ${redacted(cmd.url)} refused the credentials (${status})`);
      return USAGE_EXIT_CODE;
    }
    io.err(`migrate accounts: reading ${from}: ${(err as Error).message}`);
    return 1;
  } finally {
    if (source === undefined) await client.close().catch(() => {});
  }
  if (cmd.json) io.out(JSON.stringify({ part: 'accounts', source: redacted(cmd.url), report }));
  else {
    progress.end();
    io.out(`migrate accounts: ${from} -> this node's accounts${report.dryRun ? ' (dry run: nothing written)' : ''}`);
    for (const line of reportLines(report)) io.out(line);
  }
  return Object.keys(report.failed).length > 0 ? 1 : 0;
}
