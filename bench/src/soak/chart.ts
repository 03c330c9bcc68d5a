import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type * as PlaywrightCore from 'playwright-core';
import type { ProcSample } from './probe.js';

export interface ChartSeries {
  name: string;
  samples: ProcSample[];
}

interface Panel {
  title: string;
  pick: (s: ProcSample) => number | null;
}

const PANELS: Panel[] = [
  { title: 'heapUsed (MB)', pick: (s) => (s.heapUsed === null ? null : s.heapUsed / 1048576) },
  { title: 'external (MB)', pick: (s) => (s.external === null ? null : s.external / 1048576) },
  { title: 'rss (MB)', pick: (s) => (s.rss === null ? null : s.rss / 1048576) },
  { title: 'open sockets', pick: (s) => s.sockets },
];
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const W = 1200;
const PH = 230;
const M = { l: 70, r: 20, t: 30, b: 30 };
/** Points per line; longer series are thinned (min and max of each slice kept, so GC dips show). */
const MAX_POINTS = 1_500;

function thin(pts: Array<[number, number]>): Array<[number, number]> {
  if (pts.length <= MAX_POINTS) return pts;
  const per = Math.ceil(pts.length / (MAX_POINTS / 2));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < pts.length; i += per) {
    const slice = pts.slice(i, i + per);
    const lo = slice.reduce((a, b) => (b[1] < a[1] ? b : a));
    const hi = slice.reduce((a, b) => (b[1] > a[1] ? b : a));
    out.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]));
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An SVG of the four series per process, warm-up shaded, time in minutes from the start. */
export function renderSvg(series: ChartSeries[], t0: number, t1: number, warmupEnd: number, title: string): string {
  const H = PANELS.length * PH + 40;
  const spanMin = Math.max(1e-9, (t1 - t0) / 60_000);
  const x = (t: number) => M.l + ((t - t0) / 60_000 / spanMin) * (W - M.l - M.r);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${M.l}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  series.forEach((s, i) => {
    parts.push(
      `<rect x="${W - 260 + 0}" y="${8 + i * 14}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`,
    );
    parts.push(`<text x="${W - 245}" y="${17 + i * 14}">${esc(s.name)}</text>`);
  });
  PANELS.forEach((panel, p) => {
    const top = 40 + p * PH;
    const y0 = top + M.t;
    const y1 = top + PH - M.b;
    const lines = series.map((s) =>
      s.samples.flatMap((smp): Array<[number, number]> => {
        const v = panel.pick(smp);
        return v === null ? [] : [[smp.t, v]];
      }),
    );
    const all = lines.flat().map((pt) => pt[1]);
    let lo = all.length ? Math.min(...all) : 0;
    let hi = all.length ? Math.max(...all) : 1;
    if (hi - lo < 1e-9) {
      hi += 1;
      lo = Math.max(0, lo - 1);
    }
    const y = (v: number) => y1 - ((v - lo) / (hi - lo)) * (y1 - y0);
    parts.push(`<text x="${M.l}" y="${top + 18}" font-weight="bold">${esc(panel.title)}</text>`);
    parts.push(
      `<rect x="${M.l}" y="${y0}" width="${Math.max(0, x(Math.min(warmupEnd, t1)) - M.l)}" height="${y1 - y0}" fill="#eee"/>`,
    );
    parts.push(
      `<line x1="${M.l}" y1="${y1}" x2="${W - M.r}" y2="${y1}" stroke="#999"/><line x1="${M.l}" y1="${y0}" x2="${M.l}" y2="${y1}" stroke="#999"/>`,
    );
    for (let k = 0; k <= 4; k++) {
      const v = lo + ((hi - lo) * k) / 4;
      parts.push(`<text x="${M.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(hi - lo < 10 ? 1 : 0)}</text>`);
      parts.push(`<line x1="${M.l}" y1="${y(v)}" x2="${W - M.r}" y2="${y(v)}" stroke="#f2f2f2"/>`);
      const tm = (spanMin * k) / 4;
      const label = spanMin < 3 ? `${Math.round(tm * 60)} s` : `${tm.toFixed(tm < 10 ? 1 : 0)} min`;
      parts.push(`<text x="${x(t0 + tm * 60_000)}" y="${y1 + 16}" text-anchor="middle">${label}</text>`);
    }
    lines.forEach((pts, i) => {
      if (pts.length < 2) return;
      const d = thin(pts)
        .map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`)
        .join(' ');
      parts.push(`<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.3" points="${d}"/>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Writes `<base>.svg` and `<base>.html`, then `<base>.png` through headless Chromium
 * (playwright-core) when both are available. Returns what was written and why the PNG was not.
 */
export async function writeChart(
  svg: string,
  base: string,
  chromium: string,
): Promise<{ files: string[]; pngSkipped?: string }> {
  const files = [`${base}.svg`, `${base}.html`];
  await writeFile(files[0]!, svg);
  const html = `<!doctype html><html><body style="margin:0">${svg}</body></html>`;
  await writeFile(files[1]!, html);
  if (!existsSync(chromium)) return { files, pngSkipped: `no Chromium at ${chromium} (apt-get install -y chromium)` };
  let pw: typeof PlaywrightCore;
  try {
    pw = await import('playwright-core');
  } catch {
    return { files, pngSkipped: 'playwright-core is not installed' };
  }
  const browser = await pw.chromium.launch({
    executablePath: chromium,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: PANELS.length * PH + 40 } });
    await page.setContent(html, { timeout: 30_000 });
    await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 30_000 });
    files.push(`${base}.png`);
  } finally {
    await browser.close();
  }
  return { files };
}
