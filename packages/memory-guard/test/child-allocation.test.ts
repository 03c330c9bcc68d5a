import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryGuard, type GuardStatus, type MemoryGuardOptions, type MemorySample } from '../src/index.js';
import { makeSample } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/allocate.mjs', import.meta.url));

/** What the child prints per tick: the memoryUsage part of a sample. */
type Reading = Pick<MemorySample, 'timestamp' | 'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers'>;

/** Runs the allocating child (bounded: 3 s plus a 10 s kill switch) and collects its readings. */
async function runChild(mode: 'leak' | 'steady'): Promise<Reading[]> {
  const child = spawn(process.execPath, ['--expose-gc', fixture, mode, '3000', '50'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const readings: Reading[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.trim()) readings.push(JSON.parse(line) as Reading);
  }
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  clearTimeout(killer);
  return readings;
}

// rss follows the heap with a lag; judge only the heap and external slopes here.
const analysis: MemoryGuardOptions = { windowMs: 3_000, minSlopeSpanMs: 1_000 };
const quiet = { rssMBPerMin: {}, socketsPerMin: {} };

/** Feeds the child's readings to guards with warn-only and critical thresholds. */
function judge(readings: Reading[]): {
  warnOnly: GuardStatus;
  critical: GuardStatus;
  heapMBPerMin: number;
  externalMBPerMin: number;
} {
  const warnOnly = createMemoryGuard({
    ...analysis,
    thresholds: { ...quiet, heapUsedMBPerMin: { warn: 50 }, externalMBPerMin: { warn: 50 } },
  });
  const critical = createMemoryGuard({
    ...analysis,
    thresholds: {
      ...quiet,
      heapUsedMBPerMin: { warn: 50, critical: 200 },
      externalMBPerMin: { warn: 50, critical: 200 },
    },
  });
  try {
    for (const r of readings) {
      warnOnly.record(makeSample(r));
      critical.record(makeSample(r));
    }
    const slopes = critical.slopes();
    return {
      warnOnly: warnOnly.status(),
      critical: critical.status(),
      heapMBPerMin: slopes.heapUsedMBPerMin,
      externalMBPerMin: slopes.externalMBPerMin,
    };
  } finally {
    warnOnly.close();
    critical.close();
  }
}

describe('a real allocation loop in a child process', () => {
  it('is reported as growing and turns warn / critical; a steady child stays ok', async () => {
    const [leak, steady] = await Promise.all([runChild('leak'), runChild('steady')]);
    // ~60 readings on a quiet machine; a loaded CI box may tick far less often, and the slope
    // is fitted on timestamps, so a handful over the 3 s span is enough.
    expect(leak.length).toBeGreaterThan(8);
    expect(steady.length).toBeGreaterThan(8);

    // The child retains ~1 MB per 50 ms tick (~600 MB/min of heap and as much external).
    const l = judge(leak);
    expect(l.heapMBPerMin).toBeGreaterThan(200);
    expect(l.externalMBPerMin).toBeGreaterThan(200);
    expect(l.warnOnly).toBe('warn');
    expect(l.critical).toBe('critical');

    const s = judge(steady);
    expect(Math.abs(s.heapMBPerMin)).toBeLessThan(50);
    expect(Math.abs(s.externalMBPerMin)).toBeLessThan(50);
    expect(s.critical).toBe('ok');
  });
});
