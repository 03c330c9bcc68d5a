// The loopback fallback's A↔B "link": a TCP forwarder on 127.0.0.1 in front of one node's port,
// which the other node dials instead of the port itself. `cut()` behaves like a link taken down:
// open connections stay open but nothing moves (reads paused, so bytes wait in the kernel's
// buffers as they would in TCP retransmission), and new connections are accepted but not
// connected onward; `restore()` lets everything flow again. `close()` ends it all.
import net from 'node:net';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

export class TcpForwarder {
  readonly #targetPort: number;
  readonly #server: net.Server;
  readonly #pairs = new Set<Pair>();
  #cut = false;
  port = 0;

  private constructor(targetPort: number) {
    this.#targetPort = targetPort;
    this.#server = net.createServer({ pauseOnConnect: true }, (client) => this.#accept(client));
  }

  /** Listens on 127.0.0.1 (`port` 0: any free port) and forwards to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number, port = 0): Promise<TcpForwarder> {
    const f = new TcpForwarder(targetPort);
    await new Promise<void>((resolve, reject) => {
      f.#server.once('error', reject);
      f.#server.listen(port, '127.0.0.1', () => resolve());
    });
    f.port = (f.#server.address() as net.AddressInfo).port;
    return f;
  }

  get isCut(): boolean {
    return this.#cut;
  }

  #accept(client: net.Socket): void {
    const pair: Pair = { client, upstream: null };
    this.#pairs.add(pair);
    client.on('error', () => this.#drop(pair));
    client.on('close', () => this.#drop(pair));
    if (!this.#cut) this.#connect(pair);
  }

  #connect(pair: Pair): void {
    const upstream = net.connect({ host: '127.0.0.1', port: this.#targetPort });
    pair.upstream = upstream;
    upstream.on('error', () => this.#drop(pair));
    upstream.on('close', () => this.#drop(pair));
    upstream.once('connect', () => {
      this.#flow(pair.client, upstream);
      this.#flow(upstream, pair.client);
      if (!this.#cut) {
        pair.client.resume();
        upstream.resume();
      }
    });
    upstream.pause();
  }

  /** Copies src → dst with backpressure; while cut, nothing is read. */
  #flow(src: net.Socket, dst: net.Socket): void {
    src.on('data', (chunk) => {
      if (!dst.write(chunk)) src.pause();
    });
    dst.on('drain', () => {
      if (!this.#cut) src.resume();
    });
    src.on('end', () => dst.end());
  }

  #drop(pair: Pair): void {
    if (!this.#pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  cut(): void {
    this.#cut = true;
    for (const p of this.#pairs) {
      p.client.pause();
      p.upstream?.pause();
    }
  }

  restore(): void {
    this.#cut = false;
    for (const p of this.#pairs) {
      if (p.upstream === null) this.#connect(p);
      else {
        p.client.resume();
        p.upstream.resume();
      }
    }
  }

  async close(): Promise<void> {
    for (const p of [...this.#pairs]) this.#drop(p);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
