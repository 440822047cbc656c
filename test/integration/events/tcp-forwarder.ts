/**
 * A TCP forwarder the gateway talks to instead of the simulator: it can cut every connection and
 * refuse new ones (the backend is "down") and then forward to another simulator, so a test can
 * prepare the new simulator's channels before the gateway's event socket comes back.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpForwarder {
  readonly port: number;
  /** The ARI base URL through the forwarder. */
  readonly ariUrl: string;
  /** Drops every open connection and resets new ones until `up`. */
  down(): void;
  /** Forwards new connections to `targetPort`. */
  up(targetPort: number): void;
  close(): Promise<void>;
}

export async function startTcpForwarder(targetPort: number): Promise<TcpForwarder> {
  let target: number | null = targetPort;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (target === null) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dropAll = () => {
    for (const s of open) s.destroy();
  };
  return {
    port,
    ariUrl: `http://127.0.0.1:${port}/ari`,
    down() {
      target = null;
      dropAll();
    },
    up(p) {
      target = p;
    },
    async close() {
      target = null;
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
