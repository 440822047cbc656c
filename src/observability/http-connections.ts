/**
 * The HTTP server's connections: counted for metrics, and drained at shutdown (no new
 * connections; requests in flight finish; keep-alive connections close after their current
 * response; what is left after the grace period is cut).
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayMetrics } from './metrics';

export class HttpConnections {
  private draining = false;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly server: Server,
    metrics: GatewayMetrics,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      metrics.httpConnections.inc();
      socket.once('close', () => {
        this.sockets.delete(socket);
        metrics.httpConnections.dec();
      });
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Every response: while draining, the client is told to reconnect elsewhere for its next request. */
  admit(res: ServerResponse): void {
    if (!this.draining) return;
    res.setHeader('connection', 'close');
    res.once('finish', () => this.server.closeIdleConnections());
  }

  /** Stops accepting connections at once (the listening socket closes). */
  stopAccepting(): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    return closed.then(() => undefined);
  }

  /**
   * Resolves once every connection has ended (`closed` is stopAccepting's promise), cutting
   * the remaining ones after graceMs. Upgraded (WebSocket) sockets must be closed by their owner.
   */
  async drain(closed: Promise<void>, graceMs: number): Promise<void> {
    this.server.closeIdleConnections();
    const force = setTimeout(() => {
      this.server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    try {
      await closed;
    } finally {
      clearTimeout(force);
    }
  }
}
