/**
 * Many graphql-ws subscribers in one process, speaking the graphql-transport-ws protocol over
 * `ws` directly (the graphql-ws client adds per-connection machinery we don't want to measure).
 * Every `next` payload is timed against the event's occurredAt: same host, same clock.
 */
import WebSocket from 'ws';
import type { ClientCommands, ClientReport } from './protocol';

const sockets: WebSocket[] = [];
/** Receive time minus occurredAt, ms, by event cursor. */
let byCursor = new Map<string, number[]>();
let count = 0;
let errors = 0;
let firstError: string | undefined;

function fail(msg: string): void {
  errors++;
  firstError ??= msg;
}

function open(url: string, apiKey: string, query: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no connection_ack within 30 s'));
    }, 30_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })));
    ws.on('message', (raw: Buffer) => {
      const now = Date.now();
      const msg = JSON.parse(raw.toString()) as { type: string; payload?: any };
      if (msg.type === 'next') {
        const ev = msg.payload?.data?.channelEvents;
        if (!ev) return fail(`payload without data: ${raw.toString().slice(0, 200)}`);
        let list = byCursor.get(ev.cursor);
        if (!list) byCursor.set(ev.cursor, (list = []));
        list.push(now - Date.parse(ev.occurredAt));
        count++;
      } else if (msg.type === 'connection_ack') {
        clearTimeout(timer);
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        sockets.push(ws);
        resolve();
      } else if (msg.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (msg.type === 'error') {
        fail(`subscription error: ${JSON.stringify(msg.payload).slice(0, 200)}`);
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      fail(e.message);
      reject(e);
    });
    ws.on('close', (code) => {
      if (code !== 1000 && code !== 1005) fail(`socket closed ${code}`);
    });
  });
}

async function connect(o: { url: string; apiKey: string; n: number; query: string; parallel: number }): Promise<{ open: number }> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.n) {
      next++;
      await open(o.url, o.apiKey, o.query);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.parallel, o.n) }, worker));
  return { open: sockets.length };
}

function report(): ClientReport {
  return { byCursor: Object.fromEntries(byCursor), errors, firstError, open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length };
}

async function stop(): Promise<void> {
  const closing = sockets.map((s) => new Promise<void>((resolve) => {
    if (s.readyState === WebSocket.CLOSED) return resolve();
    s.once('close', () => resolve());
    s.close(1000);
  }));
  await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 5000))]);
  for (const s of sockets) s.terminate();
  sockets.length = 0;
}

const handlers: { [K in keyof ClientCommands]: (a: ClientCommands[K][0]) => ClientCommands[K][1] | Promise<ClientCommands[K][1]> } = {
  connect,
  reset: () => {
    byCursor = new Map();
    count = 0;
    errors = 0;
    firstError = undefined;
  },
  report,
  count: () => count,
  stop,
};

process.on('message', (m: { id: number; cmd: keyof ClientCommands; args: never }) => {
  Promise.resolve()
    .then(() => (handlers[m.cmd] as (a: unknown) => unknown)(m.args))
    .then(
      (result) => process.send!({ id: m.id, ok: true, result }),
      (e: Error) => process.send!({ id: m.id, ok: false, error: e.stack ?? String(e) }),
    );
});
process.on('disconnect', () => {
  void stop().finally(() => process.exit(0));
});
