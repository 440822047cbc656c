/**
 * The floor under d's fan-out on this machine: the same number of sockets, each written one
 * ready-made frame per event with a plain net.Socket write, no WebSocket, no GraphQL, no
 * gateway. The gateway's delivery loop writes exactly this way (one prepared frame per socket),
 * so this is what its loop would cost if everything above the write took no time at all.
 * Messages are newline-delimited JSON, padded to the gateway frame's size; `t` is the send
 * loop's start (ms since the epoch, the clock the clients time against).
 */
import { createServer, type Socket } from 'node:net';
import type { FloorCommands } from './protocol';

const sockets = new Set<Socket>();
const server = createServer((s) => {
  s.setNoDelay(true);
  sockets.add(s);
  s.on('error', () => undefined);
  s.on('close', () => sockets.delete(s));
});

let seq = 0;

const handlers: { [K in keyof FloorCommands]: (a: FloorCommands[K][0]) => FloorCommands[K][1] | Promise<FloorCommands[K][1]> } = {
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

process.on('message', (m: { id: number; cmd: keyof FloorCommands; args: never }) => {
  Promise.resolve()
    .then(() => (handlers[m.cmd] as (a: unknown) => unknown)(m.args))
    .then(
      (result) => process.send!({ id: m.id, ok: true, result }),
      (e: Error) => process.send!({ id: m.id, ok: false, error: e.stack ?? String(e) }),
    );
});
process.on('disconnect', () => process.exit(0));
