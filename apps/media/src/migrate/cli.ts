// `migrate media --from-media DIR [--adopt | --copy] [--dry-run] [--json]`: parsing, the run, and
// what the operator reads (progress on stderr, the closing report on stdout, or the report as JSON
// with --json). Exit codes: 0 done (skipped entries are reported, not errors), 1 an entry failed
// or the run stopped (another run holds the media dir, a full disk), 2 usage or a source that
// cannot be migrated (missing, or on another file system with --adopt).
import { type CliProgram, UsageError, USAGE_EXIT_CODE, withExample } from '@oip/service-kit';
import { MediaErrorCodes } from '../errors.js';
import { migrateMedia, type MigrateMediaResult } from './migrate-media.js';
import type { ProgressSink } from './progress.js';

export interface MigrateCommand {
  from: string;
  mode: 'copy' | 'adopt';
  dryRun: boolean;
  json: boolean;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  progress: ProgressSink;
}

/** The options of `migrate media` as commander parsed them. */
interface MigrateMediaOptions {
  fromMedia?: string;
  adopt?: boolean;
  copy?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** The command the options make; UsageError when they do not fit together. */
export function migrateMediaCommandOf(values: MigrateMediaOptions): MigrateCommand {
  const from = values.fromMedia;
  if (from === undefined || from === '') throw new UsageError('--from-media DIR is required');
  if (values.adopt && values.copy) throw new UsageError('--adopt and --copy exclude each other');
  return { from, mode: values.adopt ? 'adopt' : 'copy', dryRun: values.dryRun ?? false, json: values.json ?? false };
}

/** Adds `migrate media` to `cli`; `run` reads the config and runs the parsed command. */
export function addMigrateMediaCommand(cli: CliProgram, run: (command: MigrateCommand) => Promise<number>): void {
  const migrate = withExample(
    cli.program
      .command('migrate')
      .description("a legacy node's data into this node (the media service's part: its files)"),
    'oip migrate media --from-media /srv/legacy/media --dry-run',
  );
  withExample(
    migrate
      .command('media')
      .description(
        "Brings a legacy node's MEDIA_DIR (<mediaId>/original + manifest.json, web/<project>/<file>) into this " +
          "node's media dir (MEDIA_DATA_DIR, alias MEDIA_DIR; default .data/media). Every file's sha256 is checked " +
          'against its media id; a mismatch is reported and skipped. Safe to run again (what is here already is ' +
          'kept) and to resume after a kill (.migrate/media-cursor.json).',
      )
      .option(
        '--from-media <dir>',
        "the legacy MEDIA_DIR (when it is this node's media dir, files are checked in place)",
      )
      .option('--copy', 'copy the files (the default)')
      .option('--adopt', 'hard-link them instead (no bytes copied; both dirs on one file system)')
      .option('--dry-run', 'write nothing; report what a run would do (files are still hashed)')
      .option('--json', 'print the closing report as JSON')
      .action(cli.action((values: MigrateMediaOptions) => run(migrateMediaCommandOf(values)))),
    'oip migrate media --from-media /srv/legacy/media --adopt',
  );
}

/** Runs the command; returns the exit code. */
export async function runMigrateMedia(cmd: MigrateCommand, mediaDir: string, io: CliIo): Promise<number> {
  let result: MigrateMediaResult;
  try {
    result = await migrateMedia({
      from: cmd.from,
      mediaDir,
      mode: cmd.mode,
      dryRun: cmd.dryRun,
      ...(cmd.json ? {} : { progress: io.progress }),
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    io.err(`migrate media: ${(err as Error).message}`);
    return code === MediaErrorCodes.MIGRATE_SOURCE || code === MediaErrorCodes.MIGRATE_CROSS_DEVICE
      ? USAGE_EXIT_CODE
      : 1;
  }
  const failures = result.report.failures;
  if (cmd.json) {
    io.out(
      JSON.stringify({
        source: result.source,
        target: result.target,
        mode: result.mode,
        dryRun: result.dryRun,
        resumedAfter: result.resumedAfter,
        report: result.report,
      }),
    );
  } else {
    const how = { copy: 'copied', link: 'adopted by hard link', 'in-place': 'checked in place' }[result.mode];
    io.out(
      `migrate media: ${result.source} -> ${result.target} (${how}${result.dryRun ? ', dry run: nothing written' : ''})`,
    );
    if (result.resumedAfter !== null) io.out(`resumed after ${result.resumedAfter}`);
    for (const line of result.report.lines(result.dryRun)) io.out(line);
  }
  return failures > 0 ? 1 : 0;
}
