#!/usr/bin/env node
// The media service's operator CLI (`pnpm oip migrate media …` runs it, or `pnpm oip …` in
// apps/media): `migrate media --from-media DIR [--adopt | --copy] [--dry-run] [--json]` brings a
// legacy node's MEDIA_DIR into the media dir this service serves (MEDIA_DATA_DIR / MEDIA_DIR). It
// serves nothing, so it needs no JWT secret. Commands parse (commander, --help on each) before the
// config is read.
// Exit codes: 0 ok, 1 an entry failed / the run stopped, 2 usage or configuration error.
import { CONFIG_ERROR_CODE, createCli, USAGE_EXIT_CODE } from '@oip/service-kit';
import { loadConfig } from './config.js';
import { addMigrateMediaCommand, runMigrateMedia } from './migrate/cli.js';

const io = {
  out: (l: string) => console.log(l),
  err: (l: string) => console.error(l),
  progress: { write: (t: string) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
};

const cli = createCli('oip', "the media service's operator commands: a legacy node's media files", io);
addMigrateMediaCommand(cli, async (cmd) => {
  let mediaDir: string;
  try {
    mediaDir = loadConfig(undefined, undefined, { requireJwtSecret: false }).mediaDir;
  } catch (err) {
    // One line naming the variable; no stack trace for a configuration mistake.
    io.err(`oip: ${(err as Error).message}`);
    return (err as { code?: unknown }).code === CONFIG_ERROR_CODE ? USAGE_EXIT_CODE : 1;
  }
  return runMigrateMedia(cmd, mediaDir, io);
});
process.exitCode = await cli.run(process.argv.slice(2));
