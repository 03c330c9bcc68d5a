import { describe, expect, it } from 'vitest';
import { startProcess } from '../src/index.js';

const env = { PATH: process.env['PATH'] ?? '' };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startProcess', () => {
  it('resolves with the ready match once the output says so, and stop() ends the whole group', async () => {
    // The process starts a grandchild of its own, which stop() must end too.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      setTimeout(() => console.log('ready at http://127.0.0.1:1234 grandchild ' + g.pid), 100);
      setInterval(() => {}, 1000);`;
    const p = await startProcess({
      what: 'a test process',
      args: ['-e', script],
      cwd: process.cwd(),
      env,
      ready: /ready at (\S+)/,
      timeoutMs: 20_000,
    });
    expect(p.ready).toBe('http://127.0.0.1:1234');
    const grandchild = Number(/grandchild (\d+)/.exec(p.output())?.[1]);
    expect(alive(grandchild)).toBe(true);
    await p.stop();
    expect(p.child.signalCode).toBe('SIGKILL');
    await expect.poll(() => alive(grandchild), { timeout: 5000 }).toBe(false);
    await p.stop();
  }, 30_000);

  it('throws at once, with the output, when the process exits before it is ready', async () => {
    const started = Date.now();
    const err = await startProcess({
      what: 'a failing process',
      args: ['-e', 'console.error("bad config: X"); process.exit(3)'],
      cwd: process.cwd(),
      env,
      ready: /ready at (\S+)/,
      timeoutMs: 20_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/a failing process ready: exited \(3\)/);
    expect((err as Error).message).toContain('bad config: X');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('throws when the output never matches, and leaves no process behind', async () => {
    let pid = 0;
    const err = await startProcess({
      what: 'a silent process',
      args: ['-e', 'console.log("pid " + process.pid); setInterval(() => {}, 1000)'],
      cwd: process.cwd(),
      env,
      ready: /ready at (\S+)/,
      timeoutMs: 1500,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/a silent process ready: not reached within 1500 ms/);
    pid = Number(/pid (\d+)/.exec((err as Error).message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  }, 30_000);
});
