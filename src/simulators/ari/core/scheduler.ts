/** Timers for far-end behaviour; all tracked so close() leaves nothing behind and jest can exit. */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  after(ms: number, fn: () => void, owner?: { timers: Set<NodeJS.Timeout> }): void {
    if (this.closed) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        owner?.timers.delete(t);
        fn();
      },
      Math.max(0, ms),
    );
    t.unref?.();
    this.timers.add(t);
    owner?.timers.add(t);
  }

  cancelOwned(owner: { timers: Set<NodeJS.Timeout> }): void {
    for (const t of owner.timers) {
      clearTimeout(t);
      this.timers.delete(t);
    }
    owner.timers.clear();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
