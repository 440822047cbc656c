/**
 * A minimal HTTP/1.1 keep-alive client for the load generator. node:http's client costs about as
 * much CPU per response as the servers being measured, so at a few thousand requests per second
 * the generator, not the server, set the ceiling and squeezed every ratio toward 1. This one
 * writes a pre-encoded request and reads the answer by Content-Length (or chunked framing),
 * keeping the body only when asked.
 */
import { connect, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RawRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawAnswer {
  status: number;
  /** Body bytes on the wire (compressed when the server compressed). */
  bodyBytes: number;
  /** Decoded body (gunzipped when gzip), only when kept. */
  body: string;
}

/** The request as bytes, once: every send on every connection reuses it. */
export function encodeRequest(r: RawRequest): { host: string; port: number; bytes: Buffer } {
  const u = new URL(r.url);
  const body = r.body === undefined ? null : Buffer.from(r.body, 'utf8');
  const lines = [`${r.method} ${u.pathname}${u.search} HTTP/1.1`, `host: ${u.host}`, 'connection: keep-alive'];
  for (const [k, v] of Object.entries(r.headers ?? {})) lines.push(`${k}: ${v}`);
  if (body) lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return { host: u.hostname, port: Number(u.port || 80), bytes: body ? Buffer.concat([head, body]) : head };
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

interface Pending {
  keepBody: boolean;
  resolve(a: RawAnswer): void;
  reject(e: Error): void;
}

/** One keep-alive connection sending one request at a time; reconnects when the server closes. */
export class RawConnection {
  private socket: Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly target: { host: string; port: number; bytes: Buffer },
    private readonly timeoutMs = 10_000,
  ) {}

  send(keepBody: boolean): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      this.pending = { keepBody, resolve, reject };
      this.timer = setTimeout(
        () => this.fail(new Error(`request timed out after ${this.timeoutMs / 1000} s`)),
        this.timeoutMs,
      );
      this.ensureSocket().write(this.target.bytes);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private ensureSocket(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const s = connect(this.target.port, this.target.host);
    s.setNoDelay(true);
    this.buffer = Buffer.alloc(0);
    // A socket given up on (Connection: close, failure) may still report; only the current one counts.
    s.on('data', (chunk: Buffer) => {
      if (this.socket !== s) return;
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse();
    });
    s.on('error', (e) => {
      if (this.socket === s) this.fail(e);
    });
    s.on('close', () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.fail(new Error('connection closed before the answer was complete'));
    });
    this.socket = s;
    return s;
  }

  private fail(e: Error): void {
    const p = this.pending;
    if (!p) return;
    this.finish();
    this.close();
    p.reject(e);
  }

  private finish(): void {
    this.pending = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private parse(): void {
    const p = this.pending;
    if (!p) return;
    const headEnd = this.buffer.indexOf(CRLFCRLF);
    if (headEnd < 0) return;
    // Only framing headers are read, and their values compare lower-case.
    const head = this.buffer.toString('latin1', 0, headEnd).toLowerCase();
    const status = Number(head.slice(9, 12));
    const length = headerValue(head, 'content-length');
    let bodyStart = headEnd + 4;
    let body: Buffer;
    let end: number;
    if (length !== null) {
      end = bodyStart + Number(length);
      if (this.buffer.length < end) return;
      body = this.buffer.subarray(bodyStart, end);
    } else if (headerValue(head, 'transfer-encoding')?.includes('chunked')) {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', bodyStart);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffer.toString('latin1', bodyStart, lineEnd), 16);
        const dataEnd = lineEnd + 2 + size;
        if (this.buffer.length < dataEnd + 2) return;
        if (size === 0) {
          end = dataEnd + 2;
          break;
        }
        chunks.push(this.buffer.subarray(lineEnd + 2, dataEnd));
        bodyStart = dataEnd + 2;
      }
      body = Buffer.concat(chunks);
    } else {
      this.fail(new Error('answer without Content-Length or chunked framing'));
      return;
    }
    const rest = this.buffer.subarray(end);
    this.buffer = rest.length ? Buffer.from(rest) : Buffer.alloc(0);
    let text = '';
    if (p.keepBody)
      text = (headerValue(head, 'content-encoding') === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    const closing = headerValue(head, 'connection') === 'close';
    this.finish();
    if (closing) this.close();
    p.resolve({ status, bodyBytes: end - headEnd - 4, body: text });
  }
}

/** A header's value in a lower-cased raw head, or null. */
function headerValue(head: string, name: string): string | null {
  const at = head.indexOf(`\r\n${name}:`);
  if (at < 0) return null;
  const from = at + name.length + 3;
  const to = head.indexOf('\r\n', from);
  return head.slice(from, to < 0 ? undefined : to).trim();
}
