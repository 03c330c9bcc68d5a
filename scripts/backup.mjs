// `node scripts/oip.mjs backup <dir>` and `restore <dir>`: the whole node's state in one directory.
// Each app backs up and restores what it owns through its own CLI (apps/<app>/dist/backup-cli.js,
// over @oip/service-kit/backup), as scripts/migrate.mjs runs each app's migrate; this file runs them
// in turn, adds the JWT secret file `up` made, and writes the node's manifest.json (versions,
// counts, and the size and sha256 of every file).
//
//   backup <dir> [--data-dir D]            safe while the node runs (SQLite online backup)
//   restore <dir> [--data-dir D] [--force] the node stopped; the backup verified before anything is replaced
//
// The stores are the ones `up` gives the apps (the environment and the root .env still win):
// STORE_DATA_DIR (default <data-dir>/records), GUNPROXY_DATA_DIR (<data-dir>/gun-proxy),
// MEDIA_DATA_DIR / MEDIA_DIR (<data-dir>/media), the JWT secret file <data-dir>/jwt-secret; the
// data dir is the checkout's .data unless --data-dir names another.
// Exit codes: 0 done; 1 refused or failed (a BACKUP_ERR_* code on the line); 2 usage.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The apps in the order they are backed up and restored. */
export const APPS = ['api', 'sync-worker', 'gun-proxy', 'media'];
const SECRET_FILE = 'jwt-secret';

/**
 * @param {'backup' | 'restore'} command
 * @param {string[]} args
 * @param {{ root: string, env: NodeJS.ProcessEnv, log: (line: string) => void }} ctx
 * @returns {Promise<number>} the exit code
 */
export async function backupCommand(command, args, ctx) {
  const kitFile = path.join(ctx.root, 'packages', 'service-kit', 'dist', 'backup.js');
  const missing = [kitFile, ...APPS.map((a) => cliOf(ctx.root, a))].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    ctx.log(`${command}: not built yet (${path.relative(ctx.root, missing[0])}): run \`pnpm build\` first`);
    return 1;
  }
  const kit = await import(pathToFileURL(kitFile).href);
  // The CLIs' one commander setup (usage errors: one line, the usage, exit 2), from the built kit.
  const { createCli } = await import(pathToFileURL(path.join(path.dirname(kitFile), 'index.js')).href);
  let action = null;
  const cli = createCli(
    `oip ${command}`,
    command === 'backup'
      ? "Copies the node's data (records, accounts, GUN graph, media, JWT secret) into <dir>."
      : "Verifies a backup and puts the node's data back; the node must be stopped.",
    { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
  );
  cli.program
    .argument(
      '<dir>',
      command === 'backup' ? 'a new or empty directory for the copy' : 'a directory `oip backup` wrote',
    )
    .option('--data-dir <dir>', "where `up` keeps the node's data", path.join(ctx.root, '.data'));
  if (command === 'restore') cli.program.option('--force', 'replace data that is there already', false);
  cli.program.action(
    cli.action((dir, o) => {
      action = { dir: path.resolve(dir), ...o };
      return 0;
    }),
  );
  const parsed = await cli.run(args);
  if (action === null) return parsed;
  const dataDir = path.resolve(action.dataDir);
  applyDataDefaults(ctx.env, dataDir);
  const run = { ...ctx, kit, dataDir };
  try {
    return command === 'backup' ? await backup(run, action.dir) : await restore(run, action.dir, action.force);
  } catch (err) {
    if (!kit.isBackupError(err)) throw err;
    ctx.log(`${command}: ${err.code}: ${err.message}`);
    return 1;
  }
}

/** The data dirs `up` gives the apps, under `dataDir` (the environment wins). */
function applyDataDefaults(env, dataDir) {
  env.STORE_DATA_DIR ??= path.join(dataDir, 'records');
  env.GUNPROXY_DATA_DIR ??= path.join(dataDir, 'gun-proxy');
  if (!env.MEDIA_DATA_DIR) env.MEDIA_DIR ??= path.join(dataDir, 'media');
}

function cliOf(root, app) {
  return path.join(root, 'apps', app, 'dist', 'backup-cli.js');
}

/** Runs one app's backup CLI, its output passed through; its exit code. */
function runApp(ctx, app, args) {
  const r = spawnSync(process.execPath, [cliOf(ctx.root, app), ...args], {
    cwd: ctx.root,
    env: ctx.env,
    stdio: 'inherit',
  });
  return r.status ?? 1;
}

/** The secret `up` made, unless the environment sets one (then it is not in the backup). */
function secretSource(ctx) {
  if (ctx.env.API_JWT_SECRET || ctx.env.JWT_SECRET) return null;
  const file = path.join(ctx.dataDir, SECRET_FILE);
  return existsSync(file) ? file : null;
}

async function backup(ctx, dir) {
  const { kit } = ctx;
  if (!(await kit.isEmptyTarget(dir)))
    throw new kit.BackupError(
      kit.BackupErrorCodes.TARGET_NOT_EMPTY,
      `${dir} is not empty: back up into a new directory`,
    );
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const app of APPS) {
    const code = runApp(ctx, app, ['backup', path.join(dir, app)]);
    if (code !== 0) {
      ctx.log(`backup: the ${app} part failed (exit ${code}); ${dir} is incomplete: remove it`);
      return 1;
    }
  }
  const manifest = {
    format: kit.MANIFEST_FORMAT,
    app: 'oip-node',
    version: JSON.parse(readFileSync(path.join(ctx.root, 'package.json'), 'utf8')).version ?? '0.0.0',
    createdAt: new Date().toISOString(),
    items: {},
    skipped: [],
    files: [],
  };
  for (const app of APPS) {
    const part = await kit.readManifest(path.join(dir, app));
    manifest.items[app] = { version: part.version, files: part.files.length };
    for (const [name, facts] of Object.entries(part.items)) manifest.items[`${app}/${name}`] = facts;
    manifest.skipped.push(...part.skipped.map((s) => `${app}: ${s}`));
    manifest.files.push(...part.files.map((f) => ({ ...f, path: `${app}/${f.path}` })));
    manifest.files.push(await kit.describeFile(dir, path.join(dir, app, kit.MANIFEST_FILE)));
  }
  const secret = secretSource(ctx);
  if (secret) {
    copyFileSync(secret, path.join(dir, SECRET_FILE));
    chmodSync(path.join(dir, SECRET_FILE), 0o600);
    manifest.items[SECRET_FILE] = {};
    manifest.files.push(await kit.describeFile(dir, path.join(dir, SECRET_FILE)));
    ctx.log(`backup: ${SECRET_FILE}: copied from ${secret}`);
  } else {
    const line = 'the JWT secret is set in the environment (JWT_SECRET): keep it beside this backup yourself';
    manifest.skipped.push(line);
    ctx.log(`backup: ${line}`);
  }
  await kit.writeManifest(dir, manifest);
  const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
  ctx.log(
    `backup: written to ${dir}: ${manifest.files.length} files, ${(bytes / 1048576).toFixed(1)} MiB (manifest.json)`,
  );
  return 0;
}

async function restore(ctx, dir, force) {
  const { kit } = ctx;
  const manifest = await kit.readManifest(dir);
  if (manifest.app !== 'oip-node')
    throw new kit.BackupError(
      kit.BackupErrorCodes.MANIFEST_INVALID,
      `${dir} is one app's part (${manifest.app}): restore it with apps/${manifest.app}/dist/backup-cli.js, or give the node backup's directory`,
    );
  await kit.verifyManifest(dir, manifest);
  ctx.log(`restore: ${manifest.files.length} files verified against ${path.join(dir, kit.MANIFEST_FILE)}`);
  const apps = APPS.filter((a) => manifest.items[a] !== undefined);
  // Verified once above for every part: the apps skip that pass (they still read back what they write).
  const flags = ['--verified', ...(force ? ['--force'] : [])];
  // Every part checked (node stopped, places empty or --force) before any is replaced.
  for (const app of apps) {
    const code = runApp(ctx, app, ['restore', path.join(dir, app), '--check', ...flags]);
    if (code !== 0) {
      ctx.log(`restore: the ${app} part cannot be restored (exit ${code}); nothing was changed`);
      return 1;
    }
  }
  const secretTarget = path.join(ctx.dataDir, SECRET_FILE);
  const hasSecret = manifest.items[SECRET_FILE] !== undefined;
  if (hasSecret && !force && existsSync(secretTarget))
    throw new kit.BackupError(
      kit.BackupErrorCodes.TARGET_NOT_EMPTY,
      `${secretTarget} already exists: give --force to replace it (tokens it signed stop working); nothing was changed`,
    );
  for (const app of apps) {
    const code = runApp(ctx, app, ['restore', path.join(dir, app), ...flags]);
    if (code !== 0) {
      ctx.log(`restore: the ${app} part failed (exit ${code}); the node's data is partly restored: run restore again`);
      return 1;
    }
  }
  if (hasSecret) {
    mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
    copyFileSync(path.join(dir, SECRET_FILE), `${secretTarget}.restoring`);
    chmodSync(`${secretTarget}.restoring`, 0o600);
    renameSync(`${secretTarget}.restoring`, secretTarget);
    ctx.log(`restore: ${SECRET_FILE} restored to ${secretTarget}`);
  }
  for (const s of manifest.skipped) ctx.log(`restore: not in this backup: ${s}`);
  ctx.log(`restore: done (backup of ${manifest.createdAt}, oip-node ${manifest.version})`);
  return 0;
}
