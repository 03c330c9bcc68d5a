// The `backup <dir>` / `restore <dir>` commands every app's backup CLI runs (a createCli program),
// over the part the app describes from its own config. `node scripts/oip.mjs backup|restore` runs
// each app's in turn; each can also run alone.
// Exit codes: 0 done, 1 refused or failed (the line starts with a BACKUP_ERR_* code), 2 usage or configuration.
import { readFileSync } from 'node:fs';
import { createCli, withExample, type CliIo } from '../cli-program.js';
import { CONFIG_ERROR_CODE } from '../config-error.js';
import { USAGE_EXIT_CODE } from '../cli.js';
import { backupPart } from './backup-part.js';
import type { BackupPartSpec } from './backup-spec.js';
import { isBackupError } from './backup-errors.js';
import { restorePart } from './restore-part.js';

export type BackupCliIo = CliIo;

export interface BackupCliOptions {
  /** The program name in usage lines, e.g. `oip-api-backup`. */
  name: string;
  /** The app's part, from its config; a thrown error with code CONFIG_INVALID exits 2. */
  spec: () => BackupPartSpec;
  io?: BackupCliIo;
}

const defaultIo: BackupCliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs one command line (`argv` without node and the script); the exit code. */
export async function runBackupCli(argv: readonly string[], opts: BackupCliOptions): Promise<number> {
  const io = opts.io ?? defaultIo;
  const act = async (fn: (spec: BackupPartSpec) => Promise<string[]>): Promise<number> => {
    let spec: BackupPartSpec;
    try {
      spec = opts.spec();
    } catch (err) {
      io.err(`${opts.name}: ${(err as Error).message}`);
      return (err as { code?: unknown }).code === CONFIG_ERROR_CODE ? USAGE_EXIT_CODE : 1;
    }
    try {
      for (const line of await fn(spec)) io.out(line);
      return 0;
    } catch (err) {
      if (!isBackupError(err)) throw err;
      io.err(`${err.code}: ${err.message}`);
      return 1;
    }
  };
  const cli = createCli(
    opts.name,
    "Backs up or restores this app's data (the node-wide command is `node scripts/oip.mjs backup|restore`).",
    io,
  );
  withExample(
    cli.program
      .command('backup')
      .description('copy the data into <dir> (new or empty), with a manifest.json; safe while the app runs')
      .argument('<dir>', 'where the copy goes')
      .action(
        cli.action((dir: string) =>
          act(async (spec) => {
            const r = await backupPart(spec, dir);
            return [...r.lines, `${spec.app}: backup written to ${dir}`];
          }),
        ),
      ),
    `${opts.name} backup /var/backups/oip/part`,
  );
  withExample(
    cli.program
      .command('restore')
      .description('verify <dir> against its manifest.json and put the data back (the app must be stopped)')
      .argument('<dir>', 'a directory this app backed up into')
      .option('--force', 'replace data that is there already', false)
      .option('--check', 'verify and check only; change nothing', false)
      .option(
        '--verified',
        'the sha256 of every file was checked already (oip restore does it once for all apps)',
        false,
      )
      .action(
        cli.action((dir: string, o: { force: boolean; check: boolean; verified: boolean }) =>
          act((spec) => restorePart(spec, dir, { force: o.force, checkOnly: o.check, verified: o.verified })),
        ),
      ),
    `${opts.name} restore /var/backups/oip/part --check`,
  );
  return cli.run(argv);
}

/** The `version` of the package.json at `url` (an app passes `new URL('../package.json', import.meta.url)`). */
export function packageVersion(url: URL): string {
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
