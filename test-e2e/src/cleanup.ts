// Last-resort cleanup for what the two-node harness creates outside its own process (process
// groups, network namespaces): synchronous hooks run when the test process exits however it
// exits normally (afterAll already ran them; an exception or process.exit did not).
const hooks = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const hook of [...hooks].reverse()) {
    try {
      hook();
    } catch {
      // best effort at exit: one failing hook must not keep the others from running
    }
  }
  hooks.clear();
}

/** Registers a synchronous cleanup run at process exit; returns its removal. */
export function onExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runAll);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        runAll();
        process.kill(process.pid, sig);
      });
    }
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}
