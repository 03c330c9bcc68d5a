// The heap of a process started with `--inspect=127.0.0.1:<port>`, read after a full garbage
// collection forced through the inspector protocol (HeapProfiler.collectGarbage), so two readings
// compare what is retained rather than where the collector happened to be. The inspector listens on
// loopback only, for the life of the test's process.
import { WebSocket } from 'undici';

export interface HeapReading {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A minimal Chrome DevTools Protocol client over the inspector's websocket. */
class InspectorSession {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, Pending>();
  #next = 1;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(`inspector: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    ws.addEventListener('close', () => {
      for (const p of this.#pending.values()) p.reject(new Error('inspector connection closed'));
      this.#pending.clear();
    });
  }

  static async open(url: string, timeoutMs: number): Promise<InspectorSession> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`inspector at ${url}: no connection in ${timeoutMs} ms`)),
        timeoutMs,
      );
      ws.addEventListener('open', () => (clearTimeout(timer), resolve()));
      ws.addEventListener(
        'error',
        () => (clearTimeout(timer), reject(new Error(`inspector at ${url}: connection failed`))),
      );
    });
    return new InspectorSession(ws);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** Forces full collections in the process whose inspector listens on `port`, then reads process.memoryUsage(). */
export async function collectedHeap(port: number, timeoutMs = 30_000): Promise<HeapReading> {
  const list = (await (
    await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(timeoutMs) })
  ).json()) as Array<{ webSocketDebuggerUrl?: string }>;
  const url = list[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const session = await InspectorSession.open(url, timeoutMs);
  try {
    // Twice: the first pass can leave garbage that only finalizers released.
    await session.call('HeapProfiler.collectGarbage');
    await session.call('HeapProfiler.collectGarbage');
    const r = (await session.call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    return JSON.parse(r.result.value) as HeapReading;
  } finally {
    session.close();
  }
}
