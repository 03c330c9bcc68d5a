// The FitnessAlly examples (examples/, @oip/examples) as a user runs them: each script a node
// process given the api's URL, against one whole node started from the apps' dist entries
// (src/single-node.ts: gun-proxy, the api, media and a sync-worker on loopback). Each must exit 0
// and print what it found through the api: the workout's exercises resolved from its drefs, this
// week's workoutSchedule and mealPlan (and not next week's), the image's bytes read back.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@oip/fake-relay/process-group';
import { purgePrefix } from '@oip/queue-contracts';
import { buildPackages } from '../src/build-packages.js';
import { e2eConfig } from '../src/config.js';
import { runToEnd } from '../src/processes.js';
import { SHARED_REDIS_URL, SingleNode } from '../src/single-node.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const prefix = `e2e-examples-${randomUUID().slice(0, 8)}`;
const DAY_MS = 86_400_000;

let dir: string;
let node: SingleNode | undefined;

/** Runs examples/dist/<script> with `args`; its exit code and output. */
function example(script: string, args: string[], env: Record<string, string> = {}) {
  return runToEnd(process.execPath, [join('examples', 'dist', script), ...args], {
    cwd: REPO,
    env: { ...e2eConfig.baseEnv, ...env },
    timeoutMs: 60_000,
  });
}

/** YYYY-MM-DD of the day `days` after the Monday of the current UTC week. */
function dayOfThisWeek(days: number): string {
  const now = new Date();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(monday + days * DAY_MS).toISOString().slice(0, 10);
}

beforeAll(async () => {
  await buildPackages(['@oip/api...', '@oip/media...', '@oip/sync-worker...', '@oip/gun-proxy...', '@oip/examples...']);
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-examples-'));
  node = await SingleNode.create({
    repoRoot: REPO,
    baseEnv: e2eConfig.baseEnv,
    dataDir: join(dir, 'data'),
    logDir: join(dir, 'logs'),
    prefix,
  });
  await node.start();
}, 600_000);

afterAll(async () => {
  await node?.stop();
  const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await purgePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
  if (dir && !e2eConfig.keepDir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the FitnessAlly examples against a running node', () => {
  it('register: registers, logs in with the same key, and is refused a second registration by code', async () => {
    const r = await example('register.js', [node!.http.base]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^registered fitnessally-[0-9a-f]{8}@example\.org: publisher key [0-9a-f]{66}$/m);
    expect(r.stdout).toContain('mnemonic shown once: 12 words');
    expect(r.stdout).toMatch(/^logged in: token of \d+ characters, same key: true$/m);
    expect(r.stdout).toContain('registering again is refused: 400 ACCOUNTS_ERR_DUPLICATE_EMAIL');
  });

  it("workout: the workout read back carries its exercises' records, resolved from the drefs", async () => {
    const r = await example('workout.js', [], { OIP_API_URL: node!.http.base });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const dids = [...r.stdout.matchAll(/^exercise (did:gun:\S+) "/gm)].map((m) => m[1]);
    expect(dids).toHaveLength(2);
    expect(r.stdout).toContain(`"Leg day" with exercise drefs ${dids.join(', ')}`);
    expect(r.stdout).toContain('read back "Leg day": exercises Goblet squat, Plank');
  });

  it("week-schedule: this week's workoutSchedule and mealPlan, with their drefs resolved; not next week's", async () => {
    const r = await example('week-schedule.js', [node!.http.base]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    const from = lines.indexOf('workoutSchedule this week: 1');
    expect(from, r.stdout).toBeGreaterThan(0);
    expect(lines.slice(from, from + 4)).toEqual([
      'workoutSchedule this week: 1',
      `  ${dayOfThisWeek(2)} Wednesday legs: Leg day`,
      'mealPlan this week: 1',
      `  ${dayOfThisWeek(3)} Thursday dinner: Tomato pasta`,
    ]);
    expect(r.stdout).toContain(`published workoutSchedules on ${dayOfThisWeek(2)} and ${dayOfThisWeek(7)}`);
  });

  it('upload-image: uploads a PNG, publishes its image record, and reads the same bytes back', async () => {
    const r = await example('upload-image.js', [node!.http.base]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const mediaId = /mediaId ([0-9a-f]{64})$/m.exec(r.stdout)?.[1];
    expect(r.stdout).toMatch(/^uploaded gradient\.png: \d+ bytes, image\/png, mediaId [0-9a-f]{64}$/m);
    expect(r.stdout).toContain(`public URL ${node!.http.base}/api/media/${mediaId}`);
    expect(r.stdout).toMatch(/^image record did:gun:\S+$/m);
    expect(r.stdout).toMatch(/^read back \d+ bytes: sha256 matches the mediaId$/m);
  });

  it("a failure is one line with the client's code and exit 1; a bad URL exits 2", async () => {
    const closed = await example('workout.js', [`http://127.0.0.1:${await freePort()}`]);
    expect([closed.code, closed.stdout]).toEqual([1, '']);
    expect(closed.stderr).toBe('failed (CLIENT_ERR_REQUEST): POST /api/user/register: ECONNREFUSED\n');
    const bad = await example('workout.js', ['ftp://example.org']);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'config: the api URL (first argument or OIP_API_URL) must be http(s): ftp://example.org\n',
    ]);
  });
});
