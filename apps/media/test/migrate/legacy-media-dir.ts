// A legacy node's MEDIA_DIR written the way legacy wrote it (legacy routes/media.js: upload puts
// the bytes at `<sha256>/original` beside `manifest.json` (:88-147); web-setup copies the original
// to `web/<COMPOSE_PROJECT_NAME>/<filename>` and adds `webUrl` to the manifest (:615-637); multer's
// `temp/` (:48-53); services/mediaSeeder.js's `seeder.json` (:10)), and the built CLI run as an
// operator runs it.
import { runNode } from '@oip/test-kit';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../helpers.js';

export const appRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = path.join(appRoot, '../..');
export const cliPath = path.join(appRoot, 'dist/cli.js');
export const LEGACY_PROJECT = 'oip-arweave-indexer';

export interface LegacyUpload {
  bytes: Buffer;
  publicKey?: string;
  accessLevel?: 'public' | 'private';
  originalName?: string;
  mimeType?: string;
}

/** Writes an upload as legacy did; its mediaId. */
export async function legacyUpload(dir: string, u: LegacyUpload): Promise<string> {
  const mediaId = sha256(u.bytes);
  await mkdir(path.join(dir, mediaId), { recursive: true });
  await writeFile(path.join(dir, mediaId, 'original'), u.bytes);
  const manifest = {
    mediaId,
    originalName: u.originalName ?? 'clip.mp4',
    mimeType: u.mimeType ?? 'video/mp4',
    fileSize: u.bytes.length,
    magnetURI: '',
    infoHash: '',
    httpUrl: `https://legacy.example/api/media/${mediaId}`,
    createdAt: '2025-06-01T10:00:00.000Z',
    userPublicKey: u.publicKey ?? 'pk-legacy-owner',
    accessLevel: u.accessLevel ?? 'public',
  };
  await writeFile(path.join(dir, mediaId, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return mediaId;
}

/** Legacy web-setup: the original copied to `web/<project>/<filename>`, `webUrl` added to the manifest. */
export async function legacyWebSetup(dir: string, mediaId: string, filename: string, project = LEGACY_PROJECT) {
  const webDir = path.join(dir, 'web', project);
  await mkdir(webDir, { recursive: true });
  await copyFile(path.join(dir, mediaId, 'original'), path.join(webDir, filename));
  const file = path.join(dir, mediaId, 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  m['webUrl'] = `https://legacy.example/media/${project}/${filename}`;
  await writeFile(file, JSON.stringify(m, null, 2));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js <args>` with only PATH and `env` in its environment. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  return runNode([cliPath, ...args], { cwd: appRoot, env: { PATH: process.env.PATH ?? '', ...env }, timeoutMs });
}

export interface SectionJson {
  read: number;
  written: number;
  unchanged: number;
  bytesRead: number;
  bytesWritten: number;
  skipped: Record<string, { count: number; examples: string[] }>;
  failed: Record<string, { count: number; examples: string[] }>;
}

export interface ReportJson {
  source: string;
  target: string;
  mode: string;
  dryRun: boolean;
  resumedAfter: string | null;
  report: { media?: SectionJson; web?: SectionJson; other?: SectionJson };
}

/** `migrate media … --json` into `mediaDir`; the exit code and the parsed report. */
export async function migrateJson(
  mediaDir: string,
  args: string[],
): Promise<{ code: number | null; json: ReportJson; run: CliRun }> {
  const run = await runCli(['migrate', 'media', ...args, '--json'], { MEDIA_DATA_DIR: mediaDir });
  let json: ReportJson;
  try {
    json = JSON.parse(run.stdout) as ReportJson;
  } catch {
    throw new Error(`not a JSON report (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, json, run };
}
