// The local stack's supervisor (`oip up`): runs each app as `node <entry>` in a process group of its
// own, so a Ctrl-C at the terminal reaches this process only and each app is asked to stop exactly
// once (SIGTERM: it logs its close, closes its stores, exits). A second Ctrl-C (or SIGTERM) while
// stopping kills what is left (SIGKILL to each group). An app that exits on its own stops the
// others: the stack runs whole or not at all, and the exit code is that app's. A SIGHUP (the
// terminal closed) stops them as a Ctrl-C does.
import { spawn } from 'node:child_process';

/** How long the apps get to close after the stop before their groups are killed. */
const STOP_GRACE_MS = 40_000;

/** Sends `signal` to the process group led by `pid`; false when the group is gone. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `apps` ({ name, entry, cwd }) until they stop. `relay(name, stream)` passes each app's
 * output on; `log(line)` is the supervisor's own voice. Resolves with the exit code for `up`: 0
 * after a requested stop in which every app closed cleanly, else the first failing app's code.
 */
export function superviseApps({ apps, env, log, relay }) {
  const live = new Map();
  let stopping = false;
  let forced = false;
  let exitCode = 0;
  let killTimer = null;

  const killAll = () => {
    for (const child of live.values()) signalGroup(child.pid, 'SIGKILL');
  };
  // However this process ends, no app group outlives it.
  const onExit = () => killAll();
  process.on('exit', onExit);

  const stop = (why) => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping ${[...live.keys()].join(', ')} (Ctrl-C again to force)`);
    for (const child of live.values()) signalGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => {
      log(`still running after ${STOP_GRACE_MS / 1000} s: killing ${[...live.keys()].join(', ')}`);
      forced = true;
      killAll();
    }, STOP_GRACE_MS);
  };
  const onSignal = (signal) => {
    if (!stopping) return stop(`${signal} received`);
    if (forced) return;
    forced = true;
    log(`${signal} again: killing ${[...live.keys()].join(', ')}`);
    killAll();
  };
  // SIGHUP: the terminal closed. The apps are in groups of their own, so nothing else would stop them.
  const handlers = new Map(['SIGINT', 'SIGTERM', 'SIGHUP'].map((signal) => [signal, () => onSignal(signal)]));
  for (const [signal, handler] of handlers) process.on(signal, handler);

  return new Promise((resolve) => {
    for (const app of apps) {
      const child = spawn(process.execPath, [app.entry], {
        cwd: app.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      live.set(app.name, child);
      relay(app.name, child.stdout);
      relay(app.name, child.stderr);
      child.on('error', (err) => log(`${app.name} could not be started: ${err.message}`));
      child.on('close', (code, signal) => {
        live.delete(app.name);
        // Whatever the app left in its group (a helper process) goes with it.
        signalGroup(child.pid, 'SIGKILL');
        const clean = code === 0;
        if (!stopping || !clean) {
          log(`${app.name} exited ${signal ? `on ${signal}` : `with code ${code}`}`);
          if (exitCode === 0) exitCode = code || 1;
        }
        if (!stopping) stop(`${app.name} stopped`);
        if (live.size === 0) {
          clearTimeout(killTimer);
          for (const [signal, handler] of handlers) process.off(signal, handler);
          process.off('exit', onExit);
          resolve(forced && exitCode === 0 ? 1 : exitCode);
        }
      });
    }
  });
}

/**
 * Runs `redis-server` in the foreground as a child in its own group (so a Ctrl-C reaches it only
 * through us), for `up` to stop once the apps have closed. Returns `{ stop(): Promise<void> }`.
 */
export function spawnRedis(args) {
  const child = spawn('redis-server', args, { stdio: 'ignore', detached: true });
  const exited = new Promise((r) => child.once('close', r));
  const onExit = () => signalGroup(child.pid, 'SIGKILL');
  process.on('exit', onExit);
  return {
    exited,
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
