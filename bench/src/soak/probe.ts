import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Agent, request } from 'undici';

/** One reading of one process. Bytes; null where the source cannot tell. */
export interface ProcSample {
  t: number;
  rss: number | null;
  heapUsed: number | null;
  heapTotal: number | null;
  external: number | null;
  sockets: number | null;
  fds: number | null;
}

/** Where heap/external come from: the app's memory-guard, prom-client defaults, or nowhere. */
export type ProbeSource = 'memory-guard' | 'prometheus' | 'proc-only' | 'in-process';

/** rss, fds and socket fds of any local process, from /proc (Linux). */
export function readProc(pid: number | 'self'): Pick<ProcSample, 'rss' | 'sockets' | 'fds'> {
  let rss: number | null = null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) rss = Number(m[1]) * 1024;
  } catch {
    // not Linux, or the process is gone
  }
  let fds: number | null = null;
  let sockets: number | null = null;
  try {
    const dir = `/proc/${pid}/fd`;
    const entries = readdirSync(dir);
    fds = entries.length - (pid === 'self' ? 1 : 0);
    sockets = 0;
    for (const e of entries) {
      try {
        if (readlinkSync(`${dir}/${e}`).startsWith('socket:')) sockets++;
      } catch {
        // closed while listing
      }
    }
  } catch {
    // no /proc
  }
  return { rss, fds, sockets };
}

interface GuardSnapshot {
  latest: { heapUsed: number; heapTotal: number; external: number } | null;
}

function promValue(text: string, suffix: string): number | null {
  const f = parsePrometheusTextFormat(text).find((x) => x.name.endsWith(suffix));
  const v = f?.metrics[0]?.value;
  return v === undefined ? null : Number(v);
}

/**
 * Samples one app child: /proc for rss/fds/sockets (the truth, whatever the app exposes) and its
 * HTTP endpoint for heap and external — `/health/memory` (memory-guard) when it has one, else
 * prom-client default metrics on `/metrics`. One keep-alive connection per app, so the probe adds
 * a constant single socket to what it measures.
 */
export class AppProbe {
  source: ProbeSource = 'proc-only';
  readonly #agent = new Agent({ connections: 1, keepAliveTimeout: 60_000 });

  constructor(
    readonly pid: number,
    readonly baseUrl: string,
  ) {}

  async #get(path: string): Promise<{ status: number; text: string } | null> {
    try {
      const res = await request(`${this.baseUrl}${path}`, {
        dispatcher: this.#agent,
        headersTimeout: 5_000,
        bodyTimeout: 5_000,
      });
      return { status: res.statusCode, text: await res.body.text() };
    } catch {
      return null;
    }
  }

  /** Finds out what the app exposes. */
  async detect(): Promise<ProbeSource> {
    const guard = await this.#get('/health/memory');
    if (guard?.status === 200 && (JSON.parse(guard.text) as GuardSnapshot).latest)
      return (this.source = 'memory-guard');
    const metrics = await this.#get('/metrics');
    if (metrics?.status === 200 && promValue(metrics.text, 'nodejs_heap_size_used_bytes') !== null)
      return (this.source = 'prometheus');
    return (this.source = 'proc-only');
  }

  async sample(): Promise<ProcSample> {
    const proc = readProc(this.pid);
    const s: ProcSample = { t: Date.now(), ...proc, heapUsed: null, heapTotal: null, external: null };
    if (this.source === 'memory-guard') {
      const r = await this.#get('/health/memory');
      const latest = r?.status === 200 ? (JSON.parse(r.text) as GuardSnapshot).latest : null;
      if (latest)
        Object.assign(s, { heapUsed: latest.heapUsed, heapTotal: latest.heapTotal, external: latest.external });
    } else if (this.source === 'prometheus') {
      const r = await this.#get('/metrics');
      if (r?.status === 200) {
        s.heapUsed = promValue(r.text, 'nodejs_heap_size_used_bytes');
        s.heapTotal = promValue(r.text, 'nodejs_heap_size_total_bytes');
        s.external = promValue(r.text, 'nodejs_external_memory_bytes');
      }
    }
    return s;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** The harness itself (fake relay + load generator), sampled in-process for reference. */
export function sampleSelf(): ProcSample {
  const m = process.memoryUsage();
  const proc = readProc('self');
  return {
    t: Date.now(),
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    sockets: proc.sockets,
    fds: proc.fds,
  };
}
