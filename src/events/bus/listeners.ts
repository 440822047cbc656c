/** A listener set that keeps one throwing listener from starving the others. */
import type { Logger } from '../../log';

export class ListenerSet<A extends unknown[]> {
  private readonly listeners = new Set<(...args: A) => void>();

  constructor(private readonly log: Logger) {}

  add(listener: (...args: A) => void): () => void {
    // Wrapped so the same function can subscribe twice and unsubscribe each independently.
    const entry = (...args: A) => listener(...args);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(...args: A): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (err) {
        this.log.error({ error: err instanceof Error ? err.message : String(err) }, 'bus listener threw');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }

  get size(): number {
    return this.listeners.size;
  }
}
