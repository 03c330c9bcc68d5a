// `node scripts/oip.mjs migrate …`: moves a legacy node's data into this node. Each app migrates
// what it owns through its own CLI (built first when its sources are newer than its dist):
// accounts (apps/api), records (apps/sync-worker), media files (apps/media).
//
//   migrate --from-elasticsearch URL [--username U --password P | --api-key K] [--users-index …]
//           [--records-index …] [--templates-index …] [--creators-index …] [--organizations-index …]
//           [--from-media DIR] [--adopt | --copy] [--dry-run] [--follow] [--no-build]
//       runs accounts, records, then media (each part only when its source is given), and a summary;
//       with --follow, the summary ends with how to keep mirroring: the sync worker follows the
//       legacy records index when MIGRATE_FOLLOW_ELASTICSEARCH_URL is set (apps/sync-worker
//       migrate/follow-pass.ts); this command itself ends.
//   migrate accounts|records|media <flags…>   runs one part with the flags as given.
//   migrate --help   (commander: its options and examples)
//
// Before anything runs, every part asked for must be there: a part whose CLI does not know
// `migrate <part>` (or a flag the umbrella would pass it) is reported and the exit code is 2,
// with nothing migrated.
// Exit codes: 0 every part ended 0; 1 a build failed or a part ended non-zero; 2 usage, or a part missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The parts in the order they run, and the umbrella flags each takes. */
export const PARTS = [
  {
    name: 'accounts',
    app: 'api',
    pkg: '@oip/api',
    source: 'from-elasticsearch',
    flags: ['from-elasticsearch', 'username', 'password', 'api-key', 'users-index', 'dry-run'],
  },
  {
    name: 'records',
    app: 'sync-worker',
    pkg: '@oip/sync-worker',
    source: 'from-elasticsearch',
    flags: [
      'from-elasticsearch',
      'username',
      'password',
      'api-key',
      'records-index',
      'templates-index',
      'creators-index',
      'organizations-index',
      'dry-run',
    ],
  },
  {
    name: 'media',
    app: 'media',
    pkg: '@oip/media',
    source: 'from-media',
    flags: ['from-media', 'adopt', 'copy', 'dry-run'],
  },
];

const OPTIONS = {
  'from-elasticsearch': { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'api-key': { type: 'string' },
  'users-index': { type: 'string' },
  'records-index': { type: 'string' },
  'templates-index': { type: 'string' },
  'creators-index': { type: 'string' },
  'organizations-index': { type: 'string' },
  'from-media': { type: 'string' },
  adopt: { type: 'boolean' },
  copy: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  follow: { type: 'boolean' },
  'no-build': { type: 'boolean' },
};

/** What each umbrella flag is, for --help. */
const OPTION_HELP = {
  'from-elasticsearch': ['<url>', "the legacy node's Elasticsearch: runs accounts, then records"],
  username: ['<user>', 'its basic-auth user (with --password)'],
  password: ['<password>', 'its basic-auth password'],
  'api-key': ['<key>', 'an Elasticsearch API key instead of --username/--password'],
  'users-index': ['<name>', 'the legacy users index (default users)'],
  'records-index': ['<name>', 'the legacy records index (default records)'],
  'templates-index': ['<name>', 'the legacy templates index (default templates)'],
  'creators-index': ['<name>', 'the legacy creator registrations index (default creatorregistrations)'],
  'organizations-index': ['<name>', 'the legacy organizations index (default organizations)'],
  'from-media': ['<dir>', 'the legacy MEDIA_DIR (with its web/): runs media, after the others'],
  adopt: [null, 'media: hard-link the files instead of copying them (both dirs on one file system)'],
  copy: [null, 'media: copy the files (the default)'],
  'dry-run': [null, 'write nothing; each part reports what a run would do'],
  follow: [null, 'after the run, how to have the sync worker keep mirroring the legacy records index'],
  'no-build': [null, 'use the built apps as they are (no build first)'],
};

const DESCRIPTION = "Moves a legacy node's data into this node, safe to run again and to resume after a kill.";

/** After the options: the parts, and what runs when (not wrapped by commander). */
const PARTS_HELP = `
Parts:
  accounts  the legacy users index        (apps/api:         migrate accounts --from-elasticsearch URL …)
  records   the legacy records indices    (apps/sync-worker: migrate records --from-elasticsearch URL …)
  media     the legacy MEDIA_DIR and web/ (apps/media:       migrate media --from-media DIR …)
With --from-elasticsearch, accounts then records run; with --from-media, media runs (after them).
Each part prints its own report, then a summary follows. \`oip migrate <part> <flags>\` runs one
part with its own flags (its --help lists them). The stores are the ones 'up' uses: STORE_DATA_DIR
(default .data/records), MEDIA_DATA_DIR / MEDIA_DIR (default .data/media), ELASTICSEARCH_URL when set.`;

/** The umbrella's commander program (commander from the root's devDependencies): options, help, examples. */
async function umbrellaProgram() {
  const { Command } = await import('commander');
  const program = new Command('oip migrate')
    .usage("[options]  |  oip migrate accounts|records|media <that part's flags>")
    .description(DESCRIPTION)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: () => {},
    });
  for (const [name, [arg, text]] of Object.entries(OPTION_HELP))
    program.option(`--${name}${arg === null ? '' : ` ${arg}`}`, text);
  return program.addHelpText(
    'after',
    [
      PARTS_HELP,
      '',
      'Examples:',
      '  oip migrate --from-elasticsearch http://legacy:9200 --from-media /srv/legacy/media --dry-run',
      '  oip migrate --from-elasticsearch http://elastic:secret@legacy:9200 --follow',
      '  oip migrate records --from-elasticsearch http://legacy:9200 --batch 1000',
    ].join('\n'),
  );
}

/** The flags as parsed, keyed by flag name as OPTIONS; `{ help: true }` after --help; `{ usage }` with the problem. */
function parseUmbrella(program, args) {
  try {
    program.parse(args, { from: 'user' });
  } catch (err) {
    if (err.code === 'commander.helpDisplayed') return { help: true };
    return { usage: String(err.message).replace(/^error: /, '') };
  }
  const opts = program.opts();
  const values = {};
  for (const name of Object.keys(OPTIONS)) {
    // commander reads --no-build as "build: false".
    const value = name === 'no-build' ? opts.build === false || undefined : opts[camel(name)];
    if (value !== undefined) values[name] = value;
  }
  return { values };
}

const camel = (flag) => flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * @param {string[]} args
 * @param {{ root: string, env: NodeJS.ProcessEnv, log: (line: string) => void, run: (cmd: string, args: string[]) => number }} ctx
 * @returns {Promise<number>} the exit code
 */
export async function migrateCommand(args, ctx) {
  const program = await umbrellaProgram();
  const plan = planOf(program, args);
  if ('help' in plan) return 0;
  if ('usage' in plan) {
    ctx.log(`migrate: ${plan.usage}`);
    process.stderr.write(program.helpInformation());
    return 2;
  }
  // The stores `up` gives the apps (the environment still wins).
  ctx.env.STORE_DATA_DIR ??= path.join(ctx.root, '.data', 'records');
  if (!ctx.env.MEDIA_DATA_DIR) ctx.env.MEDIA_DIR ??= path.join(ctx.root, '.data', 'media');

  const parts = [...new Set(plan.steps.map((s) => s.part))];
  if (!plan.noBuild) {
    const stale = parts.filter((p) => needsBuild(ctx.root, p));
    if (stale.length > 0) {
      ctx.log(`migrate: building ${stale.map((p) => p.pkg).join(', ')}`);
      const filters = stale.map((p) => `--filter=${p.pkg}`);
      const code = ctx.run(process.execPath, [
        path.join(ctx.root, 'scripts', 'oip.mjs'),
        'pnpm',
        'exec',
        'turbo',
        'run',
        'build',
        ...filters,
        '--output-logs=errors-only',
      ]);
      if (code !== 0) {
        ctx.log(`migrate: the build failed (exit ${code}); nothing was migrated`);
        return 1;
      }
    }
  }
  const missing = [];
  for (const p of parts) {
    const flags = plan.single
      ? []
      : plan.steps.filter((s) => s.part === p).flatMap((s) => s.args.filter((a) => a.startsWith('--')));
    const why = missingReason(ctx, p, flags);
    if (why !== null) missing.push([p, why]);
  }
  if (missing.length > 0) {
    for (const [p, why] of missing) ctx.log(`migrate: the ${p.name} part is not available: ${why}`);
    ctx.log('migrate: nothing was migrated');
    return 2;
  }

  const results = [];
  for (const step of plan.steps) {
    const label = step.part.name;
    ctx.log(`migrate: ${label}${plan.single ? '' : ` (${results.length + 1}/${plan.steps.length})`}`);
    const code = ctx.run(process.execPath, [cliOf(ctx.root, step.part), 'migrate', step.part.name, ...step.args]);
    results.push({ label, code });
  }
  if (!plan.single) {
    ctx.log('migrate: summary');
    for (const r of results) ctx.log(`  ${r.label}: ${r.code === 0 ? 'done' : `exit ${r.code}`}`);
  }
  if (plan.follow) for (const line of followHint(plan.follow)) ctx.log(line);
  return results.every((r) => r.code === 0) ? 0 : 1;
}

/** The steps to run, `{ help }` once --help answered, or `{ usage }` with the problem. */
function planOf(program, args) {
  const single = PARTS.find((p) => p.name === args[0]);
  if (single) {
    const rest = args.slice(1);
    const noBuild = rest.includes('--no-build');
    return { single: true, noBuild, steps: [{ part: single, args: rest.filter((a) => a !== '--no-build') }] };
  }
  const parsed = parseUmbrella(program, args);
  if (!('values' in parsed)) return parsed;
  const { values } = parsed;
  if (values['from-elasticsearch'] === undefined && values['from-media'] === undefined)
    return { usage: 'give --from-elasticsearch URL, --from-media DIR, or both (or name one part)' };
  if (values.follow && values['from-elasticsearch'] === undefined)
    return { usage: '--follow follows the legacy index: it needs --from-elasticsearch URL' };
  const chosen = PARTS.filter((p) => values[p.source] !== undefined);
  for (const [flag, owners] of Object.entries(ownersOf())) {
    if (values[flag] !== undefined && !owners.some((p) => chosen.includes(p)))
      return {
        usage: `--${flag} is for ${owners.map((p) => p.name).join(' and ')}, which ${owners.length > 1 ? 'do' : 'does'} not run here`,
      };
  }
  const argsOf = (part, drop = []) =>
    part.flags
      .filter((f) => !drop.includes(f) && values[f] !== undefined && values[f] !== false)
      .flatMap((f) => (OPTIONS[f].type === 'boolean' ? [`--${f}`] : [`--${RENAMED[f] ?? f}`, values[f]]));
  const steps = chosen.map((part) => ({ part, args: argsOf(part) }));
  const follow = values.follow
    ? {
        url: values['from-elasticsearch'],
        index: values['records-index'] ?? 'records',
        auth: values.username !== undefined || values['api-key'] !== undefined,
      }
    : null;
  return { single: false, noBuild: values['no-build'] === true, steps, follow };
}

/**
 * --follow: the sync worker does the following (a scheduled pass through BullMQ), so the lines
 * say what to set for it. The URL is shown without its credentials.
 */
function followHint({ url, index, auth }) {
  let shown = url;
  let hadAuth = auth;
  try {
    const u = new URL(url);
    hadAuth ||= u.username !== '' || u.password !== '';
    u.username = '';
    u.password = '';
    shown = u.toString();
  } catch {
    // Not a URL: the records part has said so already; shown as given.
  }
  return [
    'migrate: to keep mirroring what the legacy indexer still writes, set for the sync worker (e.g. in .env) and restart it:',
    `  MIGRATE_FOLLOW_ELASTICSEARCH_URL=${shown.replace(/\/$/, '')}`,
    ...(index === 'records' ? [] : [`  MIGRATE_FOLLOW_INDEX=${index}`]),
    ...(hadAuth
      ? ['  MIGRATE_ELASTICSEARCH_USERNAME / MIGRATE_ELASTICSEARCH_PASSWORD (or MIGRATE_ELASTICSEARCH_API_KEY)']
      : []),
    '  optional: MIGRATE_FOLLOW_INTERVAL_MS (default 60000), MIGRATE_FOLLOW_ORIGIN=all to follow GUN records too',
    '  (docs/runbooks/moving-from-a-legacy-node.md, "Keep mirroring")',
  ];
}

/** Umbrella flags a part takes under another name (each part's index flag is its own `--index`). */
const RENAMED = { 'users-index': 'index', 'records-index': 'index' };

/** For each part flag, the parts that take it. */
function ownersOf() {
  const out = Object.create(null);
  for (const p of PARTS) for (const f of p.flags) (out[f] ??= []).push(p);
  return out;
}

function cliOf(root, part) {
  return path.join(root, 'apps', part.app, 'dist', 'cli.js');
}

/** True when the part's CLI is not built, or a source of its app or of a package is newer. */
function needsBuild(root, part) {
  const cli = cliOf(root, part);
  if (!existsSync(cli)) return existsSync(path.join(root, 'apps', part.app, 'package.json'));
  const built = statSync(cli).mtimeMs;
  const sources = [path.join(root, 'apps', part.app, 'src')];
  const packages = path.join(root, 'packages');
  if (existsSync(packages)) for (const name of readdirSync(packages)) sources.push(path.join(packages, name, 'src'));
  return sources.some((dir) => newestMtime(dir) > built);
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return newest;
}

/**
 * Null when the part's CLI knows `migrate <part>` and every flag in `flags`: its `--help` answers
 * 0, or its usage (printed for a flag it does not take) names the command; the flags are looked
 * for in that text. Otherwise why it is not available.
 */
function missingReason(ctx, part, flags) {
  const cli = cliOf(ctx.root, part);
  const shown = path.relative(ctx.root, cli);
  if (!existsSync(cli)) return `${shown} is not built (run \`pnpm build\`)`;
  const r = spawnSync(process.execPath, [cli, 'migrate', part.name, '--help'], {
    cwd: ctx.root,
    env: ctx.env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const text = `${r.stdout}\n${r.stderr}`;
  const known = r.status === 0 || (text.includes(`migrate ${part.name}`) && !/unknown command/i.test(r.stderr));
  // A CLI that answered with its usage does not have the command; one that did not answer is broken.
  if (!known && /usage/i.test(text)) return `${shown} has no \`migrate ${part.name}\` command yet`;
  if (!known) {
    const lines = (r.error?.message ?? r.stderr).split('\n').map((l) => l.trim());
    const last =
      lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.filter((l) => l && !/^Node\.js v/.test(l)).at(-1) ?? '';
    return `\`node ${shown} migrate ${part.name} --help\` failed (exit ${r.status ?? r.signal}): ${last.slice(0, 300)}`;
  }
  const unknown = [...new Set(flags)].filter((f) => !text.includes(f));
  if (unknown.length > 0) return `\`migrate ${part.name}\` does not take ${unknown.join(', ')} yet`;
  return null;
}
