/**
 * ARI simulator: a real HTTP + WebSocket server that answers like Asterisk 22's ARI
 * (see docs/wire/ari.md, whose §7 covers the recorded Asterisk 22; README.md here).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AriEngine } from './core/engine';
import { handleRequest, sendResult, SESSION_KEEP_ALIVE_MS } from './http/server';
import { loadRouteTree } from './http/swagger-ops';
import { err } from './http/respond';
import { EventsWebSocketServer } from './ws/events-ws';
import { randomEid } from './util/ids';
import * as farEnd from './far-end';
import { componentLogger } from '../../log';

export interface AriSimulatorOptions {
  port?: number;
  host?: string;
  users?: Array<{ username: string; password: string; readOnly?: boolean }>;
  asteriskId?: string;
  pjsipEndpoints?: string[];
  /** Dialplan context of the PJSIP endpoints (their `context=`); default 'from-internal'. */
  pjsipContext?: string;
  /** Far-end delays. ringMs 0 = the far end answers without a 180 Ringing. */
  timing?: { ringMs?: number; answerMs?: number; playbackMs?: number; recordingMs?: number };
  /** Off by default: list a channel twice (superseded + current snapshot) for windowMs after a change. */
  doubledListing?: { windowMs: number };
}

export interface InboundCall {
  endpoint: string;
  exten: string;
  context?: string;
  app: string;
  appArgs?: string[];
  callerId?: { name: string; number: string };
  answered?: boolean;
}

export interface AriSimulator {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  readonly requests: ReadonlyArray<{ method: string; path: string; query: string }>;
  resetRequestLog(): void;
  inboundCall(o: InboundCall): string;
  farEndRinging(id: string): void;
  farEndAnswer(id: string): void;
  farEndHangup(id: string, cause?: number): void;
  farEndDtmf(id: string, digit: string, durationMs?: number): void;
  farEndHold(id: string, musicClass?: string): void;
  farEndUnhold(id: string): void;
  channelIds(): string[];
}

export const DEFAULT_TIMING = { ringMs: 20, answerMs: 50, playbackMs: 100, recordingMs: 200 };

export async function startAriSimulator(opts: AriSimulatorOptions = {}): Promise<AriSimulator> {
  const log = componentLogger('ari-simulator');
  const host = opts.host ?? '127.0.0.1';
  const users = opts.users ?? [{ username: 'asterisk', password: 'asterisk' }];
  const engine = new AriEngine({
    eid: opts.asteriskId ?? randomEid(),
    pjsipEndpoints: opts.pjsipEndpoints ?? ['alice', 'bob', 'carol', 'dave'],
    pjsipContext: opts.pjsipContext ?? 'from-internal',
    timing: { ...DEFAULT_TIMING, ...(opts.timing ?? {}) },
    doubledListing: opts.doubledListing,
  });
  const routes = loadRouteTree();
  const requests: Array<{ method: string; path: string; query: string }> = [];
  const deps = { engine, routes, users, log: (e: { method: string; path: string; query: string }) => requests.push(e) };
  const events = new EventsWebSocketServer(engine, users);

  const server: Server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((e: unknown) => {
      log.error({ err: e }, 'unhandled error in ARI request');
      if (!res.headersSent) sendResult(res, err(500, 'Internal Server Error'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = SESSION_KEEP_ALIVE_MS;
  server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    requests.push({
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
    });
    events.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, host }, 'ARI simulator listening');

  return {
    url: `http://${host}:${port}/ari`,
    port,
    requests,
    resetRequestLog: () => {
      requests.length = 0;
    },
    close: async () => {
      engine.close();
      events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    inboundCall: (o) => farEnd.inboundCall(engine, o),
    farEndRinging: (id) => farEnd.farEndRingingHook(engine, id),
    farEndAnswer: (id) => farEnd.farEndAnswerHook(engine, id),
    farEndHangup: (id, cause) => farEnd.farEndHangupHook(engine, id, cause),
    farEndDtmf: (id, digit, durationMs) => farEnd.farEndDtmfHook(engine, id, digit, durationMs),
    farEndHold: (id, musicClass) => farEnd.farEndHoldHook(engine, id, musicClass),
    farEndUnhold: (id) => farEnd.farEndUnholdHook(engine, id),
    channelIds: () => [...engine.channels.keys()],
  };
}
