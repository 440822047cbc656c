/**
 * One graphql-ws socket as the protocol server sees it (also its `extra`): what is kept of the
 * upgrade request, the principal, keep-alive state, and writing prepared frames straight to
 * the TCP socket (src/graphql/ws-next-frames.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, type WebSocket as ProtocolSocket } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import { componentLogger } from '../log';
import { clientRequestId } from '../observability/request-id';
import { flatRandomUUID } from './flat-uuid';
import { PreparedNext } from './ws-next-frames';

const log = componentLogger('server');
export const INTERNAL_ERROR = 'Internal server error';

/** graphql-ws's close reason limit (a close frame's reason must fit 123 bytes). */
export function closeReason(reason: string, whenTooLong: string): string {
  return reason.length < 124 ? reason : whenTooLong;
}

/**
 * One socket, as graphql-ws's protocol server sees it (also its `extra`). From the upgrade request
 * only what is used later is kept: the request itself (headers, socket wrappers) is not.
 */
export class Connection implements ProtocolSocket {
  principal: Principal | null = null;
  /** Answered the last keep-alive ping (or none was sent yet). */
  alive = true;
  readonly remoteAddress: string | null;
  readonly userAgent: string | null;
  /** The Authorization header of the upgrade, until connection_init has been answered. */
  headerAuthorization: string | undefined;
  private givenRequestId: string | null;
  /** Its slice of the keep-alive rounds. */
  readonly slice: number;
  /** Until connection_init arrives. */
  initWait: NodeJS.Timeout | undefined = undefined;
  /** Prepared frames can go to the TCP socket as they are (see sendFrame). */
  private readonly rawFrames: boolean;

  constructor(
    readonly socket: WebSocket,
    /** The TCP socket under `socket`: shared events are written to it as whole frames. */
    private readonly raw: Duplex,
    req: IncomingMessage,
    slice: number,
    private readonly isProd: boolean,
  ) {
    this.remoteAddress = req.socket.remoteAddress ?? null;
    const ua = req.headers['user-agent'];
    this.userAgent = typeof ua === 'string' ? ua : null;
    this.headerAuthorization = req.headers.authorization;
    this.givenRequestId = clientRequestId(req);
    this.slice = slice;
    // Negotiated in the handshake, never after. With an extension (none is offered today) ws
    // may queue its own sends, and a frame written beside them could overtake one.
    this.rawFrames = socket.extensions === '';
  }

  /** The client's X-Request-Id, or one made up when first needed. */
  get requestId(): string {
    return (this.givenRequestId ??= flatRandomUUID());
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) return resolve();
      this.socket.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(cb: (data: string) => Promise<void>): void {
    this.socket.on('message', (data: Buffer) => {
      cb(String(data)).catch((err: unknown) => this.failInternally(err, 'graphql-ws message handling failed'));
    });
  }

  /** connection_init arrived (or the socket closed): the wait is over. */
  stopInitWait(): void {
    clearTimeout(this.initWait);
    this.initWait = undefined;
  }

  /** As graphql-ws/use/ws does: 4500, with the message unless in production. */
  failInternally(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
    log.warn({ err: message }, what);
    this.socket.close(
      CloseCode.InternalServerError,
      this.isProd ? INTERNAL_ERROR : closeReason(message, INTERNAL_ERROR),
    );
  }

  /**
   * A prepared frame, written to the TCP socket as it is: ws would frame the same bytes again
   * for every socket. ws writes its own frames (pong, complete, close) synchronously too, so
   * the order on the wire is the order of the calls. Returns the socket's backlog in frames of
   * this size.
   */
  sendFrame(frame: Buffer): number {
    const s = this.socket;
    if (s.readyState !== WebSocket.OPEN) return 0;
    if (this.rawFrames) this.raw.write(frame);
    else s.send(PreparedNext.text(frame));
    return s.bufferedAmount / frame.length;
  }
}
