import { describe, expect, it } from 'vitest';
import { WireDrops } from '../../src/gun/wire-drops.js';

describe('WireDrops', () => {
  it('counts every drop but logs at most one line per interval, with the counts since the last line', async () => {
    const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const drops = new WireDrops({ warn: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) }, 50);
    for (let i = 0; i < 1000; i++) drops.record('reserved-name');
    drops.record('unauthenticated-write');
    expect(drops.counts).toEqual({ malformed: 0, 'reserved-name': 1000, 'unauthenticated-write': 1 });
    expect(drops.total).toBe(1001);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toMatchObject({ code: 'GUNPROXY_WS_MESSAGE_DROPPED', dropped: { 'reserved-name': 1 } });
    await new Promise((r) => setTimeout(r, 60));
    drops.record('malformed');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.obj.dropped).toEqual({ malformed: 1, 'reserved-name': 999, 'unauthenticated-write': 1 });
  });
});
