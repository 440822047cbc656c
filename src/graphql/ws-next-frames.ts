/**
 * graphql-ws `next` messages of a shared subscription event, serialised once for every socket.
 * graphql-ws would JSON.stringify `{ id, type: 'next', payload }` per socket, and `ws` would then
 * encode and frame the text per socket; the payload is identical for every subscriber, only the
 * operation id differs. So the payload is serialised once, and each socket gets one ready-made
 * WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked, as servers send), byte for byte
 * what graphql-ws and ws would have sent.
 */
import type { Outcome } from '../observability/metrics';

/** The frame header's length for a payload of this many bytes. */
function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

function writeHeader(frame: Buffer, length: number): number {
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
    return 2;
  }
  if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
    return 4;
  }
  frame[1] = 127;
  frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  frame.writeUInt32BE(length >>> 0, 6);
  return 10;
}

export class PreparedNext {
  private readonly body: Buffer;
  /** Sockets of one client tend to use the same ids ("1"): the last frame built is kept. */
  private lastId: string | null = null;
  private lastFrame: Buffer | null = null;

  /**
   * @param payloadJson the `payload` of the message, already serialised
   * @param outcome what the payload's errors make of the operation (null: no errors)
   */
  constructor(
    payloadJson: string,
    readonly outcome: Exclude<Outcome, 'success'> | null,
  ) {
    this.body = Buffer.from(payloadJson);
  }

  /** The whole WebSocket frame of `{"id":<id>,"type":"next","payload":<payload>}`. */
  frame(id: string): Buffer {
    if (id === this.lastId) return this.lastFrame!;
    const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    const headBytes = Buffer.byteLength(head);
    const length = headBytes + this.body.length + 1;
    const frame = Buffer.allocUnsafe(headerLength(length) + length);
    const at = writeHeader(frame, length);
    frame.write(head, at, 'utf8');
    this.body.copy(frame, at + headBytes);
    frame[frame.length - 1] = 0x7d; // '}'
    this.lastId = id;
    this.lastFrame = frame;
    return frame;
  }

  /** The message text of a frame (for a socket that cannot take raw frames). */
  static text(frame: Buffer): Buffer {
    const len = frame[1] & 0x7f;
    return frame.subarray(len < 126 ? 2 : len === 126 ? 4 : 10);
  }
}
