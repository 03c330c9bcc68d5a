// What `oip --help` and `oip <command> --help` print for the commands scripts/oip.mjs runs itself.
// A table, not a CLI library: these commands run on a fresh machine before `pnpm install`. The
// operator commands (admin, account, dlq, store) are the apps' own CLIs, on commander: their
// --help is theirs, once built; here they have a line each for the list.

/** @typedef {{ summary: string, usage: string, options?: [string, string][], examples: string[], app?: string }} CommandHelp  app: when the command's own --help answers */

/** @type {Map<string, CommandHelp>} */
export const COMMANDS = new Map([
  [
    'up',
    {
      summary: 'install, build, make sure Redis answers, and run every app until Ctrl-C',
      usage: 'up',
      options: [],
      examples: ['oip up', 'API_PORT=4000 oip up'],
    },
  ],
  [
    'test',
    {
      summary: 'install, make sure Redis (and a test Elasticsearch) answer, run every test; ends with a count line',
      usage: 'test [turbo args…]',
      options: [['turbo args', 'passed to `turbo run test` (e.g. --filter=@oip/api)']],
      examples: ['oip test', 'oip test --filter=@oip/sync-worker'],
    },
  ],
  [
    'elasticsearch',
    {
      summary: 'a local Elasticsearch for the apps and tests: up, down, status',
      usage: 'elasticsearch up [--nodes N] [--port P] [--heap 512m] [--version X.Y.Z] | down | status',
      options: [
        ['--nodes N', 'nodes in the cluster, 1..9 (default 1)'],
        ['--port P', 'the first node’s HTTP port (default 9200)'],
        ['--heap SIZE', 'each node’s heap, like 512m or 1g (default 512m)'],
        ['--version X.Y.Z', 'another version, e.g. the legacy node’s 7.17.8 (default: the client’s)'],
      ],
      examples: ['oip elasticsearch up', 'oip elasticsearch up --version 7.17.8 --port 9250', 'oip elasticsearch down'],
    },
  ],
  [
    'redis-ping',
    {
      summary: 'exit 0 when Redis answers at REDIS_URL, 1 when not',
      usage: 'redis-ping',
      examples: ['oip redis-ping && echo up'],
    },
  ],
  [
    'pnpm',
    {
      summary: 'the pinned pnpm (installed with npm when missing)',
      usage: 'pnpm <args…>',
      options: [['args', 'passed to pnpm as they are']],
      examples: ['oip pnpm install'],
    },
  ],
  [
    'backup',
    {
      summary: "the node's data (accounts, records, GUN graph, media, JWT secret) into a directory",
      usage: 'backup <dir> [--data-dir <dir>]',
      options: [['--data-dir <dir>', "where `up` keeps the node's data (default: .data of the checkout)"]],
      examples: ['oip backup /var/backups/oip-2026-12-07'],
    },
  ],
  [
    'restore',
    {
      summary: 'a backup directory back into the node (checked before anything is replaced)',
      usage: 'restore <dir> [--force] [--data-dir <dir>]',
      options: [
        ['--force', 'replace data that is already there'],
        ['--data-dir <dir>', "where `up` keeps the node's data (default: .data of the checkout)"],
      ],
      examples: ['oip restore /var/backups/oip-2026-12-07'],
    },
  ],
  [
    'admin',
    {
      summary: 'grant, revoke and list admins',
      usage: 'admin <grant|revoke|list> …',
      examples: [],
      app: 'the api is built',
    },
  ],
  [
    'account',
    {
      summary: 'delete an account or reset its password',
      usage: 'account <delete|reset-password> <email>',
      examples: [],
      app: 'the api is built',
    },
  ],
  [
    'migrate',
    {
      summary: "a legacy node's accounts, records and media into this node",
      usage: 'migrate [accounts|records|media] …',
      examples: [],
      app: 'the workspace is installed (oip pnpm install)',
    },
  ],
  [
    'dlq',
    {
      summary: "the sync-worker's dead letters: list, show, replay, discard",
      usage: 'dlq <list|show|replay|discard> …',
      examples: [],
      app: 'the sync-worker is built',
    },
  ],
  [
    'store',
    {
      summary: "the record store's fixed field types, and widening one",
      usage: 'store fields [widen <path> <type>]',
      examples: [],
      app: 'the sync-worker is built',
    },
  ],
]);

/** `oip --help`: every command with its one line. */
export function overview() {
  const width = Math.max(...[...COMMANDS.keys()].map((n) => n.length));
  return [
    'Usage: oip <command> [args…]   (pnpm oip …, or node scripts/oip.mjs … before pnpm install)',
    '',
    "The OIP node's command: run the stack, test it, and operate it.",
    '',
    'Commands:',
    ...[...COMMANDS].map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    '`oip <command> --help` (or `oip help <command>`) says more about each.',
  ].join('\n');
}

/** `oip <name> --help` for a command of the table; null for a name it does not hold. */
export function commandHelp(name) {
  const c = COMMANDS.get(name);
  if (c === undefined) return null;
  const lines = [`Usage: oip ${c.usage}`, '', c.summary];
  if (c.app !== undefined) {
    lines.push('', `Its sub-commands, options and examples: \`oip ${name} --help\` once ${c.app}.`);
    return lines.join('\n');
  }
  if (c.options !== undefined && c.options.length > 0) {
    const width = Math.max(...c.options.map(([flag]) => flag.length));
    lines.push('', 'Options:', ...c.options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`));
  }
  lines.push('', `Example${c.examples.length > 1 ? 's' : ''}:`, ...c.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** True for `--help` / `-h` among a command's arguments (before a `--`). */
export function wantsHelp(args) {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
