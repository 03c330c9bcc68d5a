// `oip admin grant|revoke <email>`, `oip admin list`, `oip account delete <email>`,
// `oip account reset-password <email>`: the operator's hold on accounts, on the node, never over HTTP.
// The commands are commander sub-commands (the kit's createCli): an unknown flag, a missing or
// stray argument is a usage error (exit 2) found before the store is opened. Tokens already issued
// follow a change within the api's account cache TTL (API_ACCOUNT_CACHE_TTL_MS), since the api
// reads the account's current state.
import { type AccountService, type PublicAccount, isAccountsError } from '@oip/accounts';
import { type CliIo, type CliProgram, USAGE_EXIT_CODE, withExample } from '@oip/service-kit';

export type { CliIo };

export type AccountsCommand =
  { kind: 'grant' | 'revoke' | 'delete' | 'reset-password'; email: string } | { kind: 'list'; json: boolean };

/**
 * Adds `admin grant|revoke|list` and `account delete|reset-password` to `cli`; each runs its
 * parsed command through `run` (which opens the store), so --help and usage errors need none.
 */
export function addAccountsCommands(cli: CliProgram, run: (command: AccountsCommand) => Promise<number>): void {
  const admin = withExample(
    cli.program.command('admin').description("grant, revoke and list the node's admins"),
    'oip admin list',
  );
  for (const kind of ['grant', 'revoke'] as const) {
    withExample(
      admin
        .command(kind)
        .description(
          kind === 'grant'
            ? "make the account an admin (its tokens too, within the api's account cache TTL)"
            : 'take admin away from the account',
        )
        .argument('<email>', "the account's email")
        .action(cli.action((email: string) => run({ kind, email }))),
      `oip admin ${kind} ops@example.org`,
    );
  }
  withExample(
    admin
      .command('list')
      .description('the admins, oldest first')
      .option('--json', 'print them as one JSON line')
      .action(cli.action((opts: { json?: boolean }) => run({ kind: 'list', json: opts.json === true }))),
    'oip admin list --json',
  );
  const account = withExample(
    cli.program.command('account').description('delete an account or reset its password'),
    'oip account reset-password someone@example.org',
  );
  withExample(
    account
      .command('delete')
      .description('delete the account: its tokens are refused, its email is free again; records it published stay')
      .argument('<email>', "the account's email")
      .action(cli.action((email: string) => run({ kind: 'delete', email }))),
    'oip account delete someone@example.org',
  );
  withExample(
    account
      .command('reset-password')
      .description(
        "give the account a new random password (printed once): its key is taken from the node's custody and sealed " +
          'under it, its tokens are refused; the mnemonic is not kept (the owner has the phrase). Needs the ' +
          "api's custody secret (API_CUSTODY_SECRET, else JWT_SECRET)",
      )
      .argument('<email>', "the account's email")
      .action(cli.action((email: string) => run({ kind: 'reset-password', email }))),
    'oip account reset-password someone@example.org',
  );
}

export interface RunOptions {
  /** The api's account cache TTL, ms, named in what the commands print. */
  cacheTtlMs: number;
}

const within = (ttlMs: number): string =>
  ttlMs > 0 ? `within ${ttlMs / 1000} s (the api's account cache)` : 'at once';
const line = (a: PublicAccount): string => `${a.email}  ${a.id}  publisher ${a.publisherHash}  since ${a.createdAt}`;

async function execute(
  command: AccountsCommand,
  accounts: AccountService,
  io: CliIo,
  opts: RunOptions,
): Promise<number> {
  switch (command.kind) {
    case 'grant':
    case 'revoke': {
      const want = command.kind === 'grant';
      const before = await accounts.getByEmail(command.email);
      if (before !== null && before.isAdmin === want) {
        io.out(`${before.email} is ${want ? 'already' : 'not'} an admin: nothing to do`);
        return 0;
      }
      const account = await accounts.setAdminByEmail(command.email, want);
      io.out(
        `${want ? 'granted admin to' : 'revoked admin from'} ${account.email} (account ${account.id}); its tokens follow ${within(opts.cacheTtlMs)}`,
      );
      return 0;
    }
    case 'list': {
      const admins = await accounts.listAdmins();
      if (command.json) io.out(JSON.stringify(admins));
      else {
        io.out(`${admins.length} admin${admins.length === 1 ? '' : 's'}`);
        for (const a of admins) io.out(line(a));
      }
      return 0;
    }
    case 'delete': {
      const account = await accounts.deleteByEmail(command.email);
      io.out(
        `deleted account ${account.email} (${account.id}, publisher ${account.publisherHash}); its tokens are refused ${within(opts.cacheTtlMs)}; records it published stay`,
      );
      return 0;
    }
    case 'reset-password': {
      const { account, password } = await accounts.resetPassword(command.email);
      io.out(
        `reset the password of ${account.email} (${account.id}); its tokens are refused ${within(opts.cacheTtlMs)}`,
      );
      io.out(`new password: ${password}`);
      io.out(
        'give it to the owner over a channel you trust; they sign in with it and change it (POST /api/user/change-password). Their mnemonic is no longer kept on this node: they keep the phrase they wrote down',
      );
      return 0;
    }
  }
}

/** Runs one parsed command; the exit code (0 ok, 1 not found / refused / store failure). */
export async function runAccountsCommand(
  command: AccountsCommand,
  accounts: AccountService,
  io: CliIo,
  opts: RunOptions,
): Promise<number> {
  try {
    return await execute(command, accounts, io, opts);
  } catch (err) {
    if (!isAccountsError(err)) throw err;
    io.err(`oip: ${err.code}: ${err.message}`);
    return err.code === 'ACCOUNTS_ERR_INVALID_EMAIL' ? USAGE_EXIT_CODE : 1;
  }
}
