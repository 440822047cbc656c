/** Commands of a fan-out client process (many graphql-ws subscribers). */

export interface ClientReport {
  /** Client receive time minus the event's occurredAt (plain TCP: minus the send loop's start), ms, one per delivered payload, by event cursor (plain TCP: `floor-<seq>`). */
  byCursor: Record<string, number[]>;
  errors: number;
  firstError?: string;
  open: number;
  /** Bytes of the last graphql-ws `next` message received (0: none yet). */
  nextBytes: number;
}

export interface ClientCommands {
  /** `apiKey` goes in connection_init's payload as `authorization: Bearer <key>`. */
  connect: [{ url: string; apiKey: string; n: number; query: string; parallel: number }, { open: number }];
  reset: [Record<string, never>, void];
  count: [Record<string, never>, number];
  report: [Record<string, never>, ClientReport];
  stop: [Record<string, never>, void];
  /** `n` plain TCP connections to the floor process; its messages are timed like `next` payloads. */
  connectPlain: [{ port: number; n: number; parallel: number }, { open: number }];
  /** Closes the plain connections. */
  closePlain: [Record<string, never>, void];
}

/** Commands of the TCP floor process (plain sockets, one frame each per event). */
export interface FloorCommands {
  listen: [Record<string, never>, { port: number }];
  connected: [Record<string, never>, number];
  /** One frame of about `bytes` bytes to every socket; loopMs is the write loop's own time. */
  send: [{ bytes: number }, { seq: number; loopMs: number }];
  stop: [Record<string, never>, void];
}
