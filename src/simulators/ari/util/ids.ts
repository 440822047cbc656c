import { randomBytes, randomUUID } from 'node:crypto';

/** Channel uniqueids are `<epoch seconds at creation>.<process-wide counter>`. */
export class UniqueIdSource {
  private counter = 0;
  next(): string {
    return `${Math.floor(Date.now() / 1000)}.${this.counter++}`;
  }
}

/** Per-technology 8-hex-digit name suffixes (`PJSIP/alice-0000000a`): each driver counts on its own. */
export class NameSuffixSource {
  private readonly counters = new Map<string, number>();
  next(tech: string): string {
    const n = this.counters.get(tech) ?? 0;
    this.counters.set(tech, n + 1);
    return n.toString(16).padStart(8, '0');
  }
}

export function uuidV4(): string {
  return randomUUID();
}

/** chan_rtp names its channels after a pointer value, e.g. `0x7f2e78003c20`. */
export function fakePointer(): string {
  return `0x7f${randomBytes(5).toString('hex')}`;
}

export function randomEid(): string {
  const b = randomBytes(6);
  b[0] = (b[0] & 0xfc) | 0x02; // locally administered, unicast: never a real vendor MAC
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function randomSsrc(): number {
  return randomBytes(4).readUInt32BE(0) >>> 1;
}
