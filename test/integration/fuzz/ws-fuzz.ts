/**
 * graphql-ws side of the fuzz over raw `ws` sockets: protocol violations (each on a fresh
 * socket, since the protocol closes it: invalid JSON, unknown types, subscribe before
 * connection_init, duplicate ids, binary and huge frames, bad or missing keys, wrong
 * subprotocols) and long sessions that send generated documents as `subscribe` messages.
 * Every close code is counted; every error payload must carry extensions.code.
 */
import WebSocket from 'ws';
import type { DocumentGenerator } from './documents';
import type { Keys } from './http-fuzz';
import type { Prng } from './prng';
import type { Tally } from './tally';
import { randomString } from './values';

const PROTOCOL = 'graphql-transport-ws';
/** graphql-ws's "internal server error" and the WebSocket "unexpected condition": the fuzz's 5xx. */
export const SERVER_FAILURE_CLOSE_CODES = new Set([4500, 1011]);

/**
 * graphql-ws 6.4 (server makeServer, `Unexpected message of type ... received`) throws on a
 * client message of a server-only type, and use/ws turns the throw into 4500 Internal server
 * error; the protocol asks for 4400. Known and reported, outside patchbay's code: these
 * scenarios expect what the library does today, so a change there shows up here.
 */
const LIBRARY_4500 = [4500];

type Frame = string | Buffer;

interface SocketRun {
  /** Frames sent after `open`; when the first is connection_init, the rest wait for connection_ack. */
  frames: Frame[];
  protocol?: string | null;
  initKey?: string | null;
}

export interface WsScenario {
  name: string;
  run: SocketRun;
  /** Close codes the protocol prescribes for this misuse (null: the socket may stay open). */
  expectClose: number[] | null;
}

const init = (key: string | null): string =>
  JSON.stringify({ type: 'connection_init', payload: key === null ? {} : { authorization: `Bearer ${key}` } });
const sub = (id: string, query: string): string => JSON.stringify({ id, type: 'subscribe', payload: { query } });
const LIVE = 'subscription { channelEvents { __typename cursor } }';

/** One socket per scenario: protocol misuse the server must answer with the right close code. */
export function violationScenarios(rng: Prng, keys: Keys): WsScenario[] {
  const k = keys.admin;
  const acked = (frames: Frame[]): Frame[] => [init(k), ...frames];
  const list: Array<[string, Frame[], number[] | null, Partial<SocketRun>?]> = [
    ['invalid JSON before init', [rng.pick(['{', 'not json', '{"type":', '\u0000', '[]'])], [4400]],
    ['invalid JSON after ack', acked(['{"id":"1","type":"subscribe","payload":']), [4400]],
    [
      'unknown message type',
      acked([
        JSON.stringify({ type: rng.pick(['start', 'connection_terminate', 'stop', 'data', 'nope', '', 'SUBSCRIBE']) }),
      ]),
      [4400],
    ],
    ['message without type', acked([JSON.stringify({ id: '1', payload: { query: '{ me { id } }' } })]), [4400]],
    ['subscribe before connection_init', [sub('1', '{ me { id } }')], [4401]],
    ['duplicate subscription id', acked([sub('dup', LIVE), sub('dup', LIVE)]), [4409]],
    [
      'subscribe without id',
      acked([JSON.stringify({ type: 'subscribe', payload: { query: '{ me { id } }' } })]),
      [4400],
    ],
    [
      'subscribe with a non-string query',
      acked([
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: rng.pick<unknown>([1, null, {}, ['x']]) } }),
      ]),
      [4400],
    ],
    ['client sends next', acked([JSON.stringify({ id: '1', type: 'next', payload: { data: {} } })]), LIBRARY_4500],
    [
      'client sends error',
      acked([JSON.stringify({ id: '1', type: 'error', payload: [{ message: 'x' }] })]),
      LIBRARY_4500,
    ],
    ['client sends connection_ack', acked([JSON.stringify({ type: 'connection_ack' })]), LIBRARY_4500],
    ['second connection_init', acked([init(k)]), [4429]],
    ['connection_init without a key', [init(null)], [4403]],
    ['connection_init with a wrong key', [init(`pb_${randomString(rng).replace(/[^\w]/g, '')}x`)], [4403]],
    [
      'connection_init with a payload that is not an object',
      [JSON.stringify({ type: 'connection_init', payload: rng.pick<unknown>(['x', 5, [1]]) })],
      [4400],
    ],
    ['binary frame before init', [Buffer.from(Array.from({ length: rng.int(1, 64) }, () => rng.int(0, 255)))], [4400]],
    ['binary JSON frame after ack', acked([Buffer.from(sub('1', '{ me { id } }'))]), null],
    ['binary garbage after ack', acked([Buffer.from([0xff, 0xfe, 0x00, 0x01])]), [4400]],
    ['huge frame (over 1 MB)', [`${' '.repeat(1_100_000)}`], [1009]],
    ['huge subscribe after ack (over 1 MB)', acked([sub('1', `{ me { id } } #${'x'.repeat(1_100_000)}`)]), [1009]],
    ['large valid subscribe (900 KB)', acked([sub('1', `{ me { id } } #${'x'.repeat(900_000)}`)]), null],
    ['complete for an unknown id', acked([JSON.stringify({ id: 'nope', type: 'complete' })]), null],
    [
      'ping and pong',
      acked([JSON.stringify({ type: 'ping' }), JSON.stringify({ type: 'pong', payload: { x: 1 } })]),
      null,
    ],
  ];
  const scenarios: WsScenario[] = list.map(([name, frames, expectClose]) => ({ name, run: { frames }, expectClose }));
  scenarios.push({ name: 'no subprotocol', run: { frames: [init(k)], protocol: null }, expectClose: [4406, 1002] });
  // The server picks no subprotocol, so the client's own handshake check fails ("Server sent no
  // subprotocol") and the socket ends without a close frame: 1006 on this side.
  scenarios.push({
    name: 'legacy subprotocol graphql-ws',
    run: { frames: [init(k)], protocol: 'graphql-ws' },
    expectClose: [4406, 1006],
  });
  return scenarios;
}

export interface SocketResult {
  closeCode: number | null;
  /** The server's close reason, for reports. */
  reason?: string;
  received: Array<Record<string, any>>;
}

/**
 * Opens a socket, sends the frames (the first one right after open), collects what comes back
 * and waits for the server to close it, or for `settleMs` of silence after the last frame.
 */
export function runSocket(
  wsUrl: string,
  run: SocketRun,
  t: Tally,
  label: string,
  settleMs = 400,
): Promise<SocketResult> {
  const waitsForAck =
    run.frames.length > 1 && typeof run.frames[0] === 'string' && run.frames[0].includes('"connection_init"');
  return new Promise((resolve) => {
    t.wsSockets++;
    const protocols = run.protocol === null ? [] : [run.protocol ?? PROTOCOL];
    const ws = new WebSocket(wsUrl, protocols, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    const received: Array<Record<string, any>> = [];
    // The subscribe frame behind each id, so a bad answer is reported with its input.
    const sentById = new Map<string, string>();
    for (const f of run.frames) {
      const id = typeof f === 'string' ? /^\{"id":"([^"]+)","type":"subscribe"/.exec(f)?.[1] : undefined;
      if (id) sentById.set(id, f as string);
    }
    const inputOf = (id: unknown): string =>
      typeof id === 'string' && sentById.has(id) ? `${label}: ${sentById.get(id)}` : label;
    let quiet: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (closeCode: number | null, reason?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(quiet);
      clearTimeout(hard);
      if (closeCode !== null) t.count(t.wsCloseCodes, closeCode);
      else t.count(t.wsCloseCodes, 'open');
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      resolve({ closeCode, reason, received });
    };
    const settle = (): void => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(null), settleMs);
    };
    const hard = setTimeout(() => finish(null), 15_000);
    const sendAll = (frames: Frame[]): void => {
      for (const f of frames) {
        t.wsFramesSent++;
        ws.send(f, { binary: Buffer.isBuffer(f) });
      }
      settle();
    };
    ws.on('open', () => sendAll(waitsForAck ? run.frames.slice(0, 1) : run.frames));
    ws.on('message', (data: Buffer) => {
      t.wsFramesReceived++;
      const text = data.toString();
      try {
        const m = JSON.parse(text) as Record<string, any>;
        received.push(m);
        if (m.type === 'next') t.checkErrors(m.payload?.errors, inputOf(m.id), 'graphql-ws next');
        if (m.type === 'error') t.checkErrors(m.payload, inputOf(m.id), 'graphql-ws error');
        if (m.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
        if (m.type === 'connection_ack' && waitsForAck) sendAll(run.frames.slice(1));
      } catch {
        t.find('graphql-ws frame that is not JSON', label, text);
      }
      settle();
    });
    ws.on('close', (code, reason) => finish(code, reason.toString()));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      t.count(t.wsCloseCodes, `http-${res.statusCode}`);
      if ((res.statusCode ?? 0) >= 500) t.find(`WebSocket upgrade answered ${res.statusCode}`, label, '');
      finished = true;
      clearTimeout(hard);
      resolve({ closeCode: null, received });
    });
  });
}

/**
 * A long session: after the ack, `count` subscribe messages with generated documents (queries,
 * mutations, subscriptions), ids sometimes reused after completion; live subscriptions are
 * completed again so the connection's limit is not the only thing answering.
 */
/** Below the gateway's WebSocket message limit (MAX_BODY_BYTES in src/server.ts, 1 MB). */
const SESSION_FRAME_LIMIT = 1_000_000;

export function sessionFrames(rng: Prng, key: string, gen: DocumentGenerator, count: number): Frame[] {
  const frames: Frame[] = [init(key)];
  for (let i = 0; i < count; i++) {
    const g = gen.next();
    const id = `s${i}`;
    // graphql-ws closes the socket (4400) for variables that are not an object: kept for the
    // violation scenarios, not here, so the session lives on.
    const variables =
      g.variables && typeof g.variables === 'object' && !Array.isArray(g.variables) ? g.variables : null;
    const subscribe = (vars: unknown): string =>
      JSON.stringify({
        id,
        type: 'subscribe',
        payload: { query: g.query, variables: vars, operationName: g.operationName ?? null },
      });
    // A generated document or its variables can pass the gateway's 1 MB message limit (which
    // closes with 1009, as the huge-frame scenarios check): here the variables are dropped, and
    // when the document alone is too big the subscribe is left out, so the session lives on.
    const fitting = [subscribe(variables), subscribe(null)].find((f) => Buffer.byteLength(f) < SESSION_FRAME_LIMIT);
    if (fitting) frames.push(fitting);
    if (rng.chance(0.5)) frames.push(JSON.stringify({ id, type: 'complete' }));
  }
  return frames;
}
