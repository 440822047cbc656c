/** The calls table's filters: backend, account and state, with the values seen so far. */
import { h } from '../dom';
import type { Channel } from '../types';

const ALL = '';

class Choice {
  readonly select: HTMLSelectElement;
  readonly el: HTMLElement;
  private readonly known = new Set<string>();

  constructor(id: string, label: string, onChange: () => void) {
    this.select = h('select', { id, onchange: onChange }, h('option', { value: ALL, text: 'all' }));
    this.el = h('label', { for: id, class: 'filter' }, `${label} `, this.select);
  }

  offer(value: string | null): void {
    if (!value || this.known.has(value)) return;
    this.known.add(value);
    this.select.append(h('option', { value, text: value }));
  }

  accepts(value: string | null): boolean {
    return this.select.value === ALL || this.select.value === value;
  }
}

export class CallFilters {
  readonly el: HTMLElement;
  private readonly backend: Choice;
  private readonly account: Choice;
  private readonly state: Choice;

  constructor(onChange: () => void) {
    this.backend = new Choice('f-backend', 'Backend', onChange);
    this.account = new Choice('f-account', 'Account', onChange);
    this.state = new Choice('f-state', 'State', onChange);
    this.el = h(
      'div',
      { class: 'filters', role: 'group', 'aria-label': 'Filter calls' },
      this.backend.el,
      this.account.el,
      this.state.el,
    );
  }

  offer(channels: Iterable<Channel>): void {
    for (const ch of channels) {
      this.backend.offer(ch.backend.name);
      this.account.offer(ch.accountId);
      this.state.offer(ch.state);
    }
  }

  matches(ch: Channel): boolean {
    return this.backend.accepts(ch.backend.name) && this.account.accepts(ch.accountId) && this.state.accepts(ch.state);
  }
}
