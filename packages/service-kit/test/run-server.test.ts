import net from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/index.js';
import { runServer } from '../src/fastify.js';

describe('runServer', () => {
  it('builds the app from the config and listens on its port and host', async () => {
    const app = await runServer({
      name: 'svc',
      loadConfig: () => ({ port: 0, host: '127.0.0.1', greeting: 'hi' }),
      buildApp: (config) => Fastify({ logger: false }).get('/', async () => ({ greeting: config.greeting })),
    });
    try {
      const address = app!.server.address();
      expect(address).toMatchObject({ address: '127.0.0.1' });
      const port = (address as { port: number }).port;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).json()).toEqual({ greeting: 'hi' });
    } finally {
      await app?.close();
    }
  });

  it('never builds or listens on an invalid config', async () => {
    let built = false;
    const codes: number[] = [];
    const app = await runServer<{ port: number; host: string }>({
      name: 'svc',
      loadConfig: () => {
        throw new ConfigError('invalid SVC_PORT: not an integer', { variable: 'SVC_PORT' });
      },
      buildApp: () => {
        built = true;
        return Fastify();
      },
      printError: () => {},
      exit: (c) => codes.push(c),
    });
    expect([app, built, codes]).toEqual([undefined, false, [1]]);
  });
});

describe('runServer on a port in use', () => {
  it('prints one line naming the port variable, exits 2 and closes what the app opened', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    const lines: string[] = [];
    const codes: number[] = [];
    let closed = false;
    try {
      const app = await runServer({
        name: 'svc',
        loadConfig: () => ({ port, host: '127.0.0.1' }),
        buildApp: () =>
          Fastify({ logger: false }).addHook('onClose', async () => {
            closed = true;
          }),
        portVariable: 'SVC_PORT',
        printError: (l) => lines.push(l),
        exit: (c) => codes.push(c),
      });
      expect({ app, lines, codes, closed }).toEqual({
        app: undefined,
        lines: [`svc: SVC_PORT ${port} is in use: set SVC_PORT to a free port`],
        codes: [2],
        closed: true,
      });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
