#!/usr/bin/env node
// The `oip` command: runs the built CLI (dist/cli.js). A file of its own, so pnpm can link the
// command at install time, before anything is built.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('oip: not built yet: run `node scripts/oip.mjs up` or `pnpm build` first\n');
  process.exit(1);
}
await import(cli.href);
