/**
 * The floor under d's fan-out on this machine: the same number of sockets, each written one
 * ready-made frame per event with a plain net.Socket write, no WebSocket, no GraphQL, no
 * gateway. The gateway's delivery loop writes exactly this way (one prepared frame per socket),
 * so this is what its loop would cost if everything above the write took no time at all.
 * Messages are newline-delimited JSON, padded to the gateway frame's size; `t` is the send
 * loop's start (ms since the epoch, the clock the clients time against).
 */
import { createServer, type Socket } from 'node:net';
import { serveCommands, type CommandHandlers } from '../lib/child-rpc';
import type { FloorCommands } from './protocol';

const sockets = new Set<Socket>();
const server = createServer((s) => {
  s.setNoDelay(true);
  sockets.add(s);
  s.on('error', () => undefined);
  s.on('close', () => sockets.delete(s));
});

let seq = 0;

const handlers: CommandHandlers<FloorCommands> = {
  listen: () =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port }));
    }),
  connected: () => sockets.size,
  send: ({ bytes }) => {
    seq++;
    const t = Date.now();
    const head = `{"seq":${seq},"t":${t},"pad":"`;
    const frame = Buffer.from(`${head}${'x'.repeat(Math.max(0, bytes - head.length - 3))}"}\n`);
    for (const s of sockets) s.write(frame);
    return { seq, loopMs: Date.now() - t };
  },
  stop: async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
};

serveCommands(handlers);
