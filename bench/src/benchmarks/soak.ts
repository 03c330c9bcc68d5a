// Soak: the stack on loopback against a fault-injecting fake relay, every process sampled for
// the whole run; per-process table (start/end memory, sockets, fds, slopes, verdict) and a chart.
// Goal (issue 6): < 0.5 MB/min after warm-up and sockets within the configured pools. RSS is
// judged from where it settled (soak/plateau.ts); the output names the rule that decided.
// Legacy (seeds 001, 003): external +50–150 MB/min, sockets 5 → 150+ in 30 min.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { startFakeRelay } from '@oip/fake-relay';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { type Benchmark, printResult, printTable } from '../benchmark.js';
import { GOAL_MB_PER_MIN, LEGACY, judge, mb, rate, type ProcessVerdict } from '../soak/analysis.js';
import { planApps, tempRootDir, type AppPlan } from '../soak/apps.js';
import { renderSvg, writeChart } from '../soak/chart.js';
import { chromiumPath, redisUrl } from '../soak/config.js';
import { DEFAULT_WARMUP_MS, DEFAULT_WARMUP_SHARE, parseFlags } from '../soak/flags.js';
import { describeSettled, MIN_TAIL_MS, PLATEAU_SHARE } from '../soak/plateau.js';
import { runLoad, type LoadStats } from '../soak/load.js';
import { AppProbe, sampleSelf, type ProcSample } from '../soak/probe.js';
import { startApp, type RunningApp } from '../soak/processes.js';
import { RecordFeed } from '../soak/record-feed.js';
import { SCENARIOS } from '../soak/scenarios.js';

interface Tracked {
  name: string;
  samples: ProcSample[];
  probe: AppProbe | null;
  app: RunningApp | null;
  socketBound: number | null;
  note: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

async function cleanRedis(prefix: string): Promise<number> {
  const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let removed = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

async function workerHealth(baseUrl: string): Promise<string> {
  try {
    const res = await request(`${baseUrl}/health`, { headersTimeout: 3_000, bodyTimeout: 3_000 });
    const body = (await res.body.json()) as { status?: string; counters?: Record<string, number> };
    const c = body.counters ?? {};
    return `status=${body.status} queued=${c.queued ?? '?'} indexed=${c.indexed ?? '?'} gone=${c.gone ?? '?'} dead=${c.dead ?? '?'} retries=${c.retries ?? '?'}`;
  } catch (err) {
    return `health unreadable (${(err as Error).message})`;
  }
}

export const benchmark: Benchmark = {
  name: 'soak',
  description:
    'stack vs a faulty fake relay for --duration (default 25m, warm-up 10m, ≤ 24h): memory slopes, sockets, chart',
  async run(rawFlags) {
    const flags = parseFlags(rawFlags);
    const scenario = SCENARIOS[flags.scenario];
    const stop = new AbortController();
    const onSigint = () => {
      console.log('\nSIGINT: ending the run early and reporting what was sampled');
      stop.abort();
    };
    process.once('SIGINT', onSigint);

    const tempRoot = await tempRootDir();
    const queuePrefix = `soak-${process.pid}-${Date.now().toString(36)}`;
    const relay = await startFakeRelay({ maxSouls: 50_000 });
    for (const f of scenario.relayFaults) relay.addFault(f);
    const feed = new RecordFeed(relay, scenario.records);
    feed.seed();

    console.log(`soak: scenario=${flags.scenario} (${scenario.description})`);
    let why = '';
    if (rawFlags.warmup === undefined) {
      why =
        rawFlags.duration === undefined
          ? ' (defaults: the 25-minute run with 10 minutes of warm-up docs/benchmarks.md stands by)'
          : ` (warm-up: ${DEFAULT_WARMUP_SHARE * 100} % of --duration, at most ${DEFAULT_WARMUP_MS / 60_000} min)`;
    }
    console.log(
      `      duration=${flags.durationMs / 1000}s interval=${flags.intervalMs / 1000}s warm-up=${flags.warmupMs / 1000}s load concurrency=${flags.concurrency}${why}`,
    );

    const plans: AppPlan[] = await planApps({
      relayUrl: relay.url,
      queuePrefix,
      concurrency: flags.concurrency,
      tempRoot,
    });
    const tracked: Tracked[] = [];
    const started = await Promise.allSettled(plans.map(async (p) => (p.spec ? startApp(p.spec) : null)));
    plans.forEach((p, i) => {
      const r = started[i]!;
      if (!p.spec)
        tracked.push({
          name: p.name,
          samples: [],
          probe: null,
          app: null,
          socketBound: null,
          note: `skipped: ${p.note}`,
        });
      else if (r.status === 'rejected') {
        tracked.push({
          name: p.name,
          samples: [],
          probe: null,
          app: null,
          socketBound: null,
          note: `failed to start: ${String((r.reason as Error).message).split('\n')[0]}`,
        });
      } else {
        const app = r.value!;
        tracked.push({
          name: p.name,
          samples: [],
          probe: new AppProbe(app.pid, p.spec.baseUrl),
          app,
          socketBound: p.spec.socketBound,
          note: `${p.note}; socket bound: ${p.spec.socketBoundWhy}`,
        });
      }
    });
    const harness: Tracked = {
      name: 'harness (relay+load)',
      samples: [],
      probe: null,
      app: null,
      socketBound: null,
      note: 'this process, for reference (not judged)',
    };
    for (const t of tracked)
      if (t.probe) console.log(`      ${t.name}: pid ${t.app!.pid}, heap/external via ${await t.probe.detect()}`);
    for (const t of tracked) if (!t.probe) console.log(`      ${t.name}: ${t.note}`);

    const t0 = Date.now();
    const warmupEnd = t0 + flags.warmupMs;
    const gunProxy = tracked.find((t) => t.name === 'gun-proxy' && t.app);
    const loadDone: Promise<LoadStats | null> = gunProxy
      ? runLoad(gunProxy.app!.spec.baseUrl, scenario.load, {
          concurrency: flags.concurrency,
          rps: 200,
          signal: stop.signal,
        })
      : Promise.resolve(null);
    feed.start(1_000);

    const end = t0 + flags.durationMs;
    let nextReport = t0 + flags.durationMs / 10;
    try {
      while (!stop.signal.aborted && Date.now() < end) {
        await Promise.all(
          tracked.map(async (t) => {
            if (!t.probe || t.app?.exited()) return;
            t.samples.push(await t.probe.sample());
          }),
        );
        harness.samples.push(sampleSelf());
        const died = tracked.find((t) => t.app?.exited() && !t.note.startsWith('EXITED'));
        if (died) {
          died.note = `EXITED during the run; last output: ${died.app!.tail().slice(-3).join(' | ')}`;
          console.log(`      ${died.name} exited during the run`);
        }
        if (Date.now() >= nextReport) {
          nextReport += flags.durationMs / 10;
          const pct = Math.round(((Date.now() - t0) / flags.durationMs) * 100);
          const line = tracked
            .filter((t) => t.samples.length)
            .map((t) => {
              const s = t.samples.at(-1)!;
              return `${t.name} rss=${mb(s.rss)} heap=${mb(s.heapUsed)} sockets=${s.sockets ?? 'n/a'}`;
            })
            .join('; ');
          console.log(`      ${pct}% ${line}`);
        }
        await sleep(Math.min(flags.intervalMs, Math.max(0, end - Date.now())), stop.signal);
      }
    } finally {
      stop.abort();
      process.off('SIGINT', onSigint);
      feed.stop();
    }
    const t1 = Date.now();
    const load = await loadDone;
    const sync = tracked.find((t) => t.name === 'sync-worker' && t.app && !t.app.exited());
    const syncLine = sync ? await workerHealth(sync.app!.spec.baseUrl) : 'not running';
    const relayRequests = relay.requestCount;

    await Promise.all(tracked.map((t) => t.app?.stop()));
    await Promise.all(tracked.map((t) => t.probe?.close()));
    await relay.close();
    let redisNote = '';
    try {
      redisNote = `${await cleanRedis(queuePrefix)} Redis keys under ${queuePrefix}: removed`;
    } catch (err) {
      redisNote = `Redis cleanup failed (${(err as Error).message}); remove keys ${queuePrefix}:*`;
    }
    await rm(tempRoot, { recursive: true, force: true });

    // Report
    const all = [...tracked, harness];
    const verdicts = new Map<string, ProcessVerdict>(
      all.map((t) => [t.name, judge(t.samples, warmupEnd, t.socketBound)]),
    );
    console.log('');
    printTable(
      [
        'process',
        'samples',
        'heap MB start→end',
        'external MB',
        'rss MB',
        'sockets (max/bound)',
        'fds',
        'slope MB/min heap|ext|rss (fit)',
        'floor slope heap|ext|rss',
        'verdict',
      ],
      all.map((t) => {
        const v = verdicts.get(t.name)!;
        const se = (k: 'heapUsed' | 'external' | 'rss') => `${mb(v.first?.[k])}→${mb(v.last?.[k])}`;
        const sl = (k: 'fit' | 'floor') =>
          `${rate(v.slopes.heapUsed[k])}|${rate(v.slopes.external[k])}|${rate(v.slopes.rss[k])}`;
        const verdict =
          t === harness ? 'info' : v.met === null ? 'n/a' : v.met ? 'met' : `MISSED (${v.why.join('; ')})`;
        return [
          t.name,
          v.samples,
          se('heapUsed'),
          se('external'),
          se('rss'),
          `${v.first?.sockets ?? 'n/a'}→${v.last?.sockets ?? 'n/a'} (${v.maxSocketsAfterWarmup ?? 'n/a'}/${v.socketBound ?? '-'})`,
          `${v.first?.fds ?? 'n/a'}→${v.last?.fds ?? 'n/a'}`,
          sl('fit'),
          sl('floor'),
          verdict,
        ];
      }),
    );
    printTable(
      ['baseline', 'external growth MB/min', 'sockets'],
      [
        ['legacy node (seeds, not measured here)', LEGACY.externalMBPerMin, LEGACY.sockets],
        ['goal (issue 6)', `< ${GOAL_MB_PER_MIN} after warm-up`, '≤ configured pools'],
      ],
    );
    console.log('');
    for (const t of all) console.log(`  ${t.name}: ${t.note}`);
    if (load) {
      console.log(
        `  load on gun-proxy: ${load.sent} requests, status ${JSON.stringify(load.byStatus)}, aborted on purpose ${load.aborted}, errors ${load.errors}`,
      );
    }
    console.log(`  fake relay: ${relayRequests} requests; feed published ${feed.published} record versions`);
    console.log(`  sync-worker at the end: ${syncLine}`);
    console.log(`  ${redisNote}`);
    console.log('  floor slope = least squares over the minimum of 8 time slices after warm-up (post-GC floor).');
    console.log(
      '  verdict: heap and external by their floor slope, rss by its fit from where it settled (rss has no GC sawtooth), sockets by the max after warm-up.',
    );
    console.log(
      `  rss rule: the fit over all samples after warm-up < ${GOAL_MB_PER_MIN} MB/min, or else the fit from the earliest minute after it to the end ` +
        `< ${GOAL_MB_PER_MIN * PLATEAU_SHARE} MB/min (settled), the tail keeping ≥ half the span after warm-up and ≥ ${MIN_TAIL_MS / 60_000} min: ` +
        'a climb that stopped is caches filling; growth to the end is never excused.',
    );
    for (const t of all) {
      const r = verdicts.get(t.name)!.rss;
      if (r) console.log(`  rss ${t.name}: ${describeSettled(r, t0)}`);
    }

    const outDir = path.resolve(flags.outDir);
    await mkdir(outDir, { recursive: true });
    const base = path.join(outDir, `soak-${flags.scenario}-${new Date(t0).toISOString().replace(/[:.]/g, '-')}`);
    const svg = renderSvg(
      all.filter((t) => t.samples.length).map((t) => ({ name: t.name, samples: t.samples })),
      t0,
      t1,
      warmupEnd,
      `soak ${flags.scenario}: ${((t1 - t0) / 60_000).toFixed(1)} min, warm-up shaded`,
    );
    try {
      const chart = await writeChart(svg, base, chromiumPath());
      console.log(`  chart: ${chart.files.join(', ')}${chart.pngSkipped ? ` (no PNG: ${chart.pngSkipped})` : ''}`);
    } catch (err) {
      console.log(`  chart: ${base}.svg/.html written; PNG failed: ${(err as Error).message.split('\n')[0]}`);
    }

    const judged = tracked.filter((t) => verdicts.get(t.name)!.met !== null);
    const goal = judged.length > 0 && judged.every((t) => verdicts.get(t.name)!.met);
    const worst = (k: 'heapUsed' | 'external' | 'rss') =>
      Math.max(
        ...judged.map((t) => verdicts.get(t.name)!.slopes[k].floor ?? Number.NEGATIVE_INFINITY),
        Number.NEGATIVE_INFINITY,
      );
    const worstFit = (k: 'rss') =>
      Math.max(
        ...judged.map((t) => verdicts.get(t.name)!.slopes[k].fit ?? Number.NEGATIVE_INFINITY),
        Number.NEGATIVE_INFINITY,
      );
    const worstSettled = Math.max(
      ...judged.map((t) => verdicts.get(t.name)!.rss?.slope ?? Number.NEGATIVE_INFINITY),
      Number.NEGATIVE_INFINITY,
    );
    const rules = [...new Set(judged.map((t) => verdicts.get(t.name)!.rss?.rule).filter((r) => r !== undefined))];
    const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
    printResult(
      'soak',
      {
        scenario: flags.scenario,
        minutes: ((t1 - t0) / 60_000).toFixed(1),
        warmup_minutes: (flags.warmupMs / 60_000).toFixed(1),
        processes: judged.map((t) => t.name).join(',') || 'none',
        heap_floor_mb_min_max: fmt(worst('heapUsed')),
        external_floor_mb_min_max: fmt(worst('external')),
        rss_fit_mb_min_max: fmt(worstFit('rss')),
        rss_judged_mb_min_max: fmt(worstSettled),
        rss_rule: rules.length ? rules.join('+') : 'n/a',
        sockets_max: Math.max(0, ...judged.map((t) => verdicts.get(t.name)!.maxSocketsAfterWarmup ?? 0)),
      },
      goal,
    );
  },
};
