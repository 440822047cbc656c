/**
 * Many graphql-ws subscribers in one process, speaking the graphql-transport-ws protocol over
 * `ws` directly (the graphql-ws client adds per-connection machinery we don't want to measure).
 * Every `next` payload is timed against the event's occurredAt: same host, same clock.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { serveCommands, type CommandHandlers } from '../lib/child-rpc';
import type { ClientCommands, ClientReport } from './protocol';

const sockets: WebSocket[] = [];
/** Plain TCP connections to the floor process. */
const plain: Socket[] = [];
/** Receive time minus occurredAt, ms, by event cursor. */
let byCursor = new Map<string, number[]>();
let count = 0;
/** Size of the last `next` message, so the floor sends frames of the same size. */
let nextBytes = 0;
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
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })),
    );
    ws.on('message', (raw: Buffer) => {
      const now = Date.now();
      const msg = JSON.parse(raw.toString()) as { type: string; payload?: any };
      if (msg.type === 'next') {
        const ev = msg.payload?.data?.channelEvents;
        if (!ev) return fail(`payload without data: ${raw.toString().slice(0, 200)}`);
        nextBytes = raw.length;
        record(ev.cursor, now - Date.parse(ev.occurredAt));
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

async function connect(o: {
  url: string;
  apiKey: string;
  n: number;
  query: string;
  parallel: number;
}): Promise<{ open: number }> {
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

function record(cursor: string, latencyMs: number): void {
  let list = byCursor.get(cursor);
  if (!list) byCursor.set(cursor, (list = []));
  list.push(latencyMs);
  count++;
}

/** One plain connection: newline-delimited `{"seq":n,"t":ms,...}` messages, timed on arrival. */
function openPlain(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(port, '127.0.0.1', () => {
      plain.push(s);
      resolve();
    });
    let pending = '';
    s.setEncoding('latin1');
    s.on('data', (chunk: string) => {
      const now = Date.now();
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = /^\{"seq":(\d+),"t":(\d+)/.exec(line);
        if (!m) fail(`plain message not understood: ${line.slice(0, 80)}`);
        else record(`floor-${m[1]}`, now - Number(m[2]));
      }
    });
    s.on('error', (e) => {
      fail(e.message);
      reject(e);
    });
  });
}

async function connectPlain(o: { port: number; n: number; parallel: number }): Promise<{ open: number }> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.n) {
      next++;
      await openPlain(o.port);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.parallel, o.n) }, worker));
  return { open: plain.length };
}

function closePlain(): void {
  for (const s of plain) s.destroy();
  plain.length = 0;
}

function report(): ClientReport {
  return {
    byCursor: Object.fromEntries(byCursor),
    errors,
    firstError,
    nextBytes,
    open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
  };
}

async function stop(): Promise<void> {
  closePlain();
  const closing = sockets.map(
    (s) =>
      new Promise<void>((resolve) => {
        if (s.readyState === WebSocket.CLOSED) return resolve();
        s.once('close', () => resolve());
        s.close(1000);
      }),
  );
  await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 5000))]);
  for (const s of sockets) s.terminate();
  sockets.length = 0;
}

const handlers: CommandHandlers<ClientCommands> = {
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
  connectPlain,
  closePlain,
};

serveCommands(handlers, stop);
