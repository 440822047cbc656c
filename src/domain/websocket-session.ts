/** KAZOO Blackhole websocket sessions as the tracking API reports them, backend-neutral. */

export interface WebsocketSession {
  backend: string;
  /** The account the session was listed for. */
  accountId: string;
  /** Blackhole session id, "<client ip>:<port>". The global id is `<backend>:<nativeId>`. */
  nativeId: string;
  /** The client's bindings, e.g. "call.CHANNEL_CREATE.*". */
  bindings: string[];
  connectedAt: Date | null;
  /** Client IP. */
  source: string | null;
  /** Blackhole server the client is connected to. */
  destination: string | null;
  /** Name/metadata the client gave when subscribing, if any. */
  name: string | null;
  metadata: unknown;
}

/** One group of the binding catalogue (GET /v2/websockets), e.g. "call" → templates. */
export interface WebsocketBindingGroup {
  category: string;
  /** Templates such as "call.CHANNEL_CREATE.{CALL_ID}". */
  bindings: string[];
}
