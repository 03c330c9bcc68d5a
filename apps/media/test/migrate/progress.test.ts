// The migration's progress: a bar redrawn in place on a terminal, plain lines elsewhere, both with
// done/total and an ETA, throttled.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/migrate/progress.js';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, sink: { write: (t: string) => writes.push(t), isTTY } };
}

describe('Progress', () => {
  it('on a terminal redraws one line with a bar, and ends it with a newline', () => {
    const s = sink(true);
    const p = new Progress(s.sink, 'media', 4, { intervalMs: 0 });
    p.tick();
    p.tick();
    p.end();
    expect(s.writes[0]).toMatch(/^\rmedia \[#{6}\.{18}\] 1\/4 \(25%\), ETA \d+s\x1b\[K$/);
    expect(s.writes[1]).toMatch(/^\rmedia \[#{12}\.{12}\] 2\/4 \(50%\), ETA \d+s\x1b\[K$/);
    expect(s.writes.at(-1)).toBe('\n');
  });

  it('elsewhere writes plain lines, at most one an interval', () => {
    const s = sink(false);
    const p = new Progress(s.sink, 'web oip-arweave-indexer', 1000, { intervalMs: 60_000 });
    for (let i = 0; i < 1000; i++) p.tick();
    p.end();
    // The first tick draws, the next 999 fall inside the interval, end() draws the final state.
    expect(s.writes).toHaveLength(2);
    expect(s.writes[0]).toMatch(/^web oip-arweave-indexer: 1\/1000 \(0%\), ETA \d+s\n$/);
    expect(s.writes[1]).toMatch(/^web oip-arweave-indexer: 1000\/1000 \(100%\), ETA 0s\n$/);
  });
});
