// `migrate media --from-media DIR [--adopt | --copy] [--dry-run] [--json]`: parsing, the run, and
// what the operator reads (progress on stderr, the closing report on stdout, or the report as JSON
// with --json). Exit codes: 0 done (skipped entries are reported, not errors), 1 an entry failed
// or the run stopped (another run holds the media dir, a full disk), 2 usage or a source that
// cannot be migrated (missing, or on another file system with --adopt).
import { parseCommandLine, UsageError, USAGE_EXIT_CODE } from '@oip/service-kit';
import { MediaErrorCodes } from '../errors.js';
import { migrateMedia, type MigrateMediaResult } from './migrate-media.js';
import type { ProgressSink } from './progress.js';

export const USAGE = `usage: migrate media --from-media DIR [--adopt | --copy] [--dry-run] [--json]
  Brings a legacy node's MEDIA_DIR (<mediaId>/original + manifest.json, web/<project>/<file>) into
  this node's media dir (MEDIA_DATA_DIR, alias MEDIA_DIR; default .data/media).
  --from-media DIR  the legacy MEDIA_DIR (when it is this node's media dir, files are checked in place)
  --copy            copy the files (the default)
  --adopt           hard-link them instead (no bytes copied; both dirs on one file system)
  --dry-run         write nothing; report what a run would do (files are still hashed)
  --json            print the closing report as JSON
  Every file's sha256 is checked against its media id; a mismatch is reported and skipped. Safe to
  run again (what is here already is kept) and to resume after a kill (.migrate/media-cursor.json).`;

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

/** `argv` after `migrate media`; null for --help. Throws UsageError. */
export function parseMigrateMedia(argv: readonly string[]): MigrateCommand | null {
  const { values, positionals } = parseCommandLine(argv, {
    'from-media': { type: 'string' },
    adopt: { type: 'boolean' },
    copy: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const from = values['from-media'];
  if (from === undefined || from === '') throw new UsageError('--from-media DIR is required');
  if (values.adopt && values.copy) throw new UsageError('--adopt and --copy exclude each other');
  return {
    from,
    mode: values.adopt ? 'adopt' : 'copy',
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? false,
  };
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
