/**
 * A worker's side of the IPC channel to the primary: calls that expect an answer (rpc) and
 * listeners for what the primary relays. One per worker process.
 */
import { componentLogger } from '../log';
import type { PrimaryMessage, RpcRequest, WorkerMessage } from './messages';

const log = componentLogger('cluster.link');

type Handler<T extends PrimaryMessage['t']> = (m: Extract<PrimaryMessage, { t: T }>) => void;

export class PrimaryLink {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly handlers = new Map<string, Set<(m: PrimaryMessage) => void>>();
  private readonly onMessage = (m: PrimaryMessage): void => this.receive(m);

  constructor(private readonly proc: NodeJS.Process = process) {
    if (!proc.send) throw new Error('not a cluster worker: no IPC channel to the primary');
    proc.on('message', this.onMessage);
    proc.once('disconnect', () => this.failAll(new Error('the cluster primary is gone')));
  }

  call<R>(req: RpcRequest): Promise<R> {
    // Nothing would ever answer: a worker stopping after its primary died must not wait on it.
    if (!this.proc.connected) return Promise.reject(new Error('the cluster primary is gone'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ t: 'rpc', id, req });
    });
  }

  /** Fire and forget; a message sent while the channel is gone is dropped (the primary is stopping). */
  send(m: WorkerMessage): void {
    if (!this.proc.connected) return;
    this.proc.send!(m, undefined, {}, (err) => {
      if (err) log.warn({ err: err.message, t: m.t }, 'message to the primary not sent');
    });
  }

  on<T extends PrimaryMessage['t']>(t: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(t);
    if (!set) this.handlers.set(t, (set = new Set()));
    const entry = handler as (m: PrimaryMessage) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  close(): void {
    this.proc.off('message', this.onMessage);
    this.failAll(new Error('cluster link closed'));
  }

  private receive(m: PrimaryMessage): void {
    if (m.t === 'rpc') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name, cause: m.error.cause }));
      return;
    }
    for (const h of this.handlers.get(m.t) ?? []) {
      try {
        h(m);
      } catch (err) {
        log.error({ err: (err as Error).message, t: m.t }, 'cluster message handler threw');
      }
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
