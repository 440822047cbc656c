/**
 * Events: a live tail of channel and agent events with filters. Rows carry their journal cursor;
 * after a dropped socket the streams resume behind their last cursor (resume.ts) and the tail
 * says how many events the gap held.
 */
import { h, setText } from '../dom';
import { frame } from '../frame';
import type { ResumeInfo } from '../resume';
import type { JournalEventBase } from '../types';

const KEEP = 200;

interface Tailed {
  event: JournalEventBase & { channelId?: string | null; recipientId?: string | null; action?: string };
  category: 'channel' | 'agent';
}

export class EventsView {
  readonly el: HTMLElement;
  /** Every cursor shown since the page opened, in arrival order (tests compare it with history). */
  readonly seen: string[] = [];
  private readonly pending: Tailed[] = [];
  private readonly list = h('ol', { class: 'tail', 'aria-label': 'Latest events, newest first' });
  private readonly notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly category = h(
    'select',
    { id: 'ev-cat', onchange: () => this.refilter() },
    ...['all', 'channel', 'agent'].map((v) => h('option', { value: v, text: v })),
  );
  private readonly text = h('input', {
    id: 'ev-text',
    type: 'search',
    placeholder: 'type, backend or id',
    oninput: () => this.refilter(),
  });

  constructor() {
    const filters = h(
      'div',
      { class: 'filters', role: 'group', 'aria-label': 'Filter events' },
      h('label', { for: 'ev-cat' }, 'Category ', this.category),
      h('label', { for: 'ev-text' }, 'Contains ', this.text),
    );
    this.el = h(
      'section',
      { id: 'events', 'aria-labelledby': 'events-h' },
      h('h2', { id: 'events-h', text: 'Events' }),
      filters,
      this.notice,
      this.list,
    );
  }

  add(category: Tailed['category'], event: Tailed['event']): void {
    this.seen.push(event.cursor);
    this.pending.push({ category, event });
    frame.schedule('events:tail', () => this.flush());
  }

  resumed(stream: string, info: ResumeInfo): void {
    const n = `${info.missed}${info.more ? '+' : ''}`;
    setText(this.notice, `${stream}: reconnected — ${n} missed event${info.missed === 1 ? '' : 's'} replayed`);
  }

  disconnected(): void {
    setText(this.notice, 'Connection lost — reconnecting; missed events will be replayed.');
  }

  private flush(): void {
    const rows = this.pending.splice(0).map((t) => this.row(t));
    this.list.prepend(...rows.reverse());
    while (this.list.childElementCount > KEEP) this.list.lastElementChild?.remove();
  }

  private row({ category, event: e }: Tailed): HTMLElement {
    const subject = e.channelId ?? e.recipientId ?? '';
    const time = new Date(e.receivedAt).toLocaleTimeString();
    const li = h(
      'li',
      { 'data-cursor': e.cursor, 'data-category': category },
      h('span', { class: 'cursor', text: `#${e.cursor}` }),
      h('time', { datetime: e.receivedAt, text: time }),
      h('span', { class: 'type', text: e.__typename + (e.action ? ` ${e.action}` : '') }),
      h('span', { class: 'backend', text: e.backend?.name ?? '' }),
      h('span', { class: 'subject', text: subject }),
      e.reconciled ? h('span', { class: 'reconciled', text: 'reconciled' }) : '',
    );
    li.hidden = !this.matches(li);
    return li;
  }

  private matches(li: HTMLElement): boolean {
    const cat = this.category.value;
    const q = this.text.value.trim().toLowerCase();
    return (cat === 'all' || li.dataset.category === cat) && (!q || (li.textContent ?? '').toLowerCase().includes(q));
  }

  private refilter(): void {
    for (const li of this.list.children) (li as HTMLElement).hidden = !this.matches(li as HTMLElement);
  }
}
