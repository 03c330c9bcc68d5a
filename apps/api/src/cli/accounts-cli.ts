// `oip admin grant|revoke <email>`, `oip admin list`, `oip account delete <email>`,
// `oip account reset-password <email>`: the operator's hold on accounts, on the node, never over HTTP. Arguments are parsed strictly (the kit's
// parseCommandLine): an unknown flag, a missing or stray argument is a usage error (exit 2) found
// before the store is opened. Tokens already issued follow a change within the api's account cache
// TTL (API_ACCOUNT_CACHE_TTL_MS), since the api reads the account's current state.
import type { ParseArgsConfig } from 'node:util';
import { type AccountService, type PublicAccount, isAccountsError } from '@oip/accounts';
import { parseCommandLine, UsageError, USAGE_EXIT_CODE } from '@oip/service-kit';

export const ACCOUNTS_USAGE = `usage:
  oip admin grant <email>       make the account an admin (its tokens too, within the api's account cache TTL)
  oip admin revoke <email>      take admin away from the account
  oip admin list [--json]       the admins, oldest first
  oip account delete <email>    delete the account: its tokens are refused, its email is free again;
                                records it published stay
  oip account reset-password <email>
                                give the account a new random password (printed once): its key is
                                taken from the node's custody and sealed under it, its tokens are
                                refused; the mnemonic is not kept (the owner has the phrase)`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export type AccountsCommand =
  { kind: 'grant' | 'revoke' | 'delete' | 'reset-password'; email: string } | { kind: 'list'; json: boolean };

type Options = NonNullable<ParseArgsConfig['options']>;
const NO_OPTIONS = {} satisfies Options;
const LIST_OPTIONS = { json: { type: 'boolean' } } satisfies Options;

function oneEmail(rest: string[], what: string): string {
  const { positionals } = parseCommandLine(rest, NO_OPTIONS);
  if (positionals.length === 0) throw new UsageError(`${what} needs an <email>`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  return positionals[0]!;
}

/** The command `argv` (after the program name) names; UsageError otherwise. */
export function parseAccountsCommand(argv: readonly string[]): AccountsCommand {
  const [group, cmd, ...rest] = argv;
  if (group === 'admin') {
    if (cmd === 'grant' || cmd === 'revoke') return { kind: cmd, email: oneEmail(rest, `admin ${cmd}`) };
    if (cmd === 'list') {
      const { values, positionals } = parseCommandLine(rest, LIST_OPTIONS);
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return { kind: 'list', json: values.json === true };
    }
    throw new UsageError(`expected grant, revoke or list after "admin"${cmd === undefined ? '' : `, got "${cmd}"`}`);
  }
  if (group === 'account') {
    if (cmd === 'delete') return { kind: 'delete', email: oneEmail(rest, 'account delete') };
    if (cmd === 'reset-password') return { kind: 'reset-password', email: oneEmail(rest, 'account reset-password') };
    throw new UsageError(
      `expected delete or reset-password after "account"${cmd === undefined ? '' : `, got "${cmd}"`}`,
    );
  }
  throw new UsageError(`expected "admin" or "account"${group === undefined ? '' : `, got "${group}"`}`);
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

/** Usage errors as one line plus the usage, exit 2. */
export function usageFailure(err: UsageError, io: CliIo): number {
  io.err(`oip: ${err.message.split('\n')[0]}`);
  io.err(ACCOUNTS_USAGE);
  return USAGE_EXIT_CODE;
}
