// The `backup <dir>` / `restore <dir>` commands every app's backup CLI runs (commander), over the
// part the app describes from its own config. `node scripts/oip.mjs backup|restore` runs each
// app's in turn; each can also run alone.
// Exit codes: 0 done, 1 refused or failed (the line starts with a BACKUP_ERR_* code), 2 usage or configuration.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { backupPart } from './backup-part.js';
import type { BackupPartSpec } from './backup-spec.js';
import { isBackupError } from './backup-errors.js';
import { restorePart } from './restore-part.js';

export interface BackupCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

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
  let code = 0;
  const act = async (fn: (spec: BackupPartSpec) => Promise<string[]>) => {
    let spec: BackupPartSpec;
    try {
      spec = opts.spec();
    } catch (err) {
      io.err(`${opts.name}: ${(err as Error).message}`);
      code = (err as { code?: unknown }).code === 'CONFIG_INVALID' ? 2 : 1;
      return;
    }
    try {
      for (const line of await fn(spec)) io.out(line);
    } catch (err) {
      if (!isBackupError(err)) throw err;
      io.err(`${err.code}: ${err.message}`);
      code = 1;
    }
  };
  const program = new Command(opts.name)
    .description(
      "Backs up or restores this app's data (the node-wide command is `node scripts/oip.mjs backup|restore`).",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .command('backup')
    .description('copy the data into <dir> (new or empty), with a manifest.json; safe while the app runs')
    .argument('<dir>', 'where the copy goes')
    .action((dir: string) =>
      act(async (spec) => {
        const r = await backupPart(spec, dir);
        return [...r.lines, `${spec.app}: backup written to ${dir}`];
      }),
    );
  program
    .command('restore')
    .description('verify <dir> against its manifest.json and put the data back (the app must be stopped)')
    .argument('<dir>', 'a directory this app backed up into')
    .option('--force', 'replace data that is there already', false)
    .option('--check', 'verify and check only; change nothing', false)
    .action((dir: string, o: { force: boolean; check: boolean }) =>
      act((spec) => restorePart(spec, dir, { force: o.force, checkOnly: o.check })),
    );
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // --help and --version end here too, with exit code 0.
    return err.exitCode === 0 ? 0 : 2;
  }
  return code;
}

/** The `version` of the package.json at `url` (an app passes `new URL('../package.json', import.meta.url)`). */
export function packageVersion(url: URL): string {
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
