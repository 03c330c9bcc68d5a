#!/usr/bin/env node
// The media service's operator CLI (`node scripts/oip.mjs migrate media …` runs it):
// `migrate media --from-media DIR [--adopt | --copy] [--dry-run] [--json]` brings a legacy node's
// MEDIA_DIR into the media dir this service serves (MEDIA_DATA_DIR / MEDIA_DIR). It serves
// nothing, so it needs no JWT secret.
// Exit codes: 0 ok, 1 an entry failed / the run stopped, 2 usage or configuration error.
import { CONFIG_ERROR_CODE, UsageError, USAGE_EXIT_CODE } from '@oip/service-kit';
import { loadConfig } from './config.js';
import { parseMigrateMedia, runMigrateMedia, USAGE, type MigrateCommand } from './migrate/cli.js';

const io = {
  out: (l: string) => console.log(l),
  err: (l: string) => console.error(l),
  progress: { write: (t: string) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
};

const [command, part, ...rest] = process.argv.slice(2);
let cmd: MigrateCommand | null;
try {
  if (command !== 'migrate' || part !== 'media')
    throw new UsageError(`unknown command "${[command, part].join(' ').trim()}"`);
  cmd = parseMigrateMedia(rest);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`oip-media: ${err.message}`);
  console.error(USAGE);
  process.exit(USAGE_EXIT_CODE);
}
if (cmd === null) {
  console.log(USAGE);
  process.exit(0);
}

let mediaDir: string;
try {
  mediaDir = loadConfig(undefined, undefined, { requireJwtSecret: false }).mediaDir;
} catch (err) {
  // One line naming the variable; no stack trace for a configuration mistake.
  console.error(`oip-media: ${(err as Error).message}`);
  process.exit((err as { code?: unknown }).code === CONFIG_ERROR_CODE ? 2 : 1);
}

process.exitCode = await runMigrateMedia(cmd, mediaDir, io);
