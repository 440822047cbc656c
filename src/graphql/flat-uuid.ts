/**
 * crypto.randomUUID() builds its text by concatenation: V8 keeps it as a rope of about twenty
 * pieces (some 600 bytes) until something flattens it. Ids kept for a connection's lifetime
 * (request ids, session ids) are flattened once here, to the ~50 bytes of a plain string.
 */
import { randomUUID } from 'node:crypto';

export function flatRandomUUID(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
