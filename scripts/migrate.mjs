// `node scripts/oip.mjs migrate …`: moves a legacy node's data into this node. Each app migrates
// what it owns through its own CLI (built first): accounts (apps/api), records (apps/sync-worker),
// media files (apps/media).
/**
 * @param {string[]} args
 * @param {{ root: string, env: NodeJS.ProcessEnv, log: (line: string) => void, run: (cmd: string, args: string[]) => number }} ctx
 * @returns {Promise<number>} the exit code
 */
export async function migrateCommand(args, ctx) {
  ctx.log(`migrate is not available yet (${args.join(' ')})`);
  return 2;
}
