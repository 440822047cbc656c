/**
 * The lifecycle invariants of the journal, as a checker tests share: per channel, exactly one
 * ChannelCreated and it comes first, at most one ChannelDestroyed and it comes last.
 */
export interface LifecycleEvent {
  backend: string;
  type: string;
  category?: string;
  cursor?: string;
  ids: { channelId?: string };
}

/** One line per broken channel (empty when every channel tells one life). */
export function lifecycleViolations(events: readonly LifecycleEvent[]): string[] {
  const lives = new Map<string, string[]>();
  for (const e of events) {
    if ((e.category && e.category !== 'channel') || !e.ids.channelId) continue;
    const key = `${e.backend}:${e.ids.channelId}`;
    let life = lives.get(key);
    if (!life) lives.set(key, (life = []));
    life.push(e.type);
  }
  const out: string[] = [];
  for (const [key, life] of lives) {
    const created = life.filter((t) => t === 'ChannelCreated').length;
    const destroyed = life.filter((t) => t === 'ChannelDestroyed').length;
    const ok =
      life[0] === 'ChannelCreated' &&
      created === 1 &&
      destroyed <= 1 &&
      (destroyed === 0 || life[life.length - 1] === 'ChannelDestroyed');
    if (!ok) out.push(`${key}: ${life.join(' ')}`);
  }
  return out;
}
