/**
 * Calls: every backend's live channels in one keyed table. Store changes mark rows dirty and one
 * animation frame applies them (frame.ts); durations tick once a second on the same path. The
 * table is ARIA roles over CSS grid rows rather than <table>: each row can then be skipped by
 * layout and paint while off screen (content-visibility), which a table row cannot.
 */
import { actionsFor, afterAction, forgetChannel, type ChannelAction } from '../channel-actions';
import { errorCode, type Gql } from '../client';
import type { ChannelStore } from '../channel-store';
import { formatDuration, h, party, setText } from '../dom';
import { frame } from '../frame';
import type { Channel, Permissions } from '../types';
import { CallFilters } from './call-filters';
import { originateDialog } from './originate';
import { sparkline, type Sparkline } from './sparkline';

interface Row {
  tr: HTMLElement;
  state: HTMLElement;
  caller: HTMLElement;
  connected: HTMLElement;
  duration: HTMLElement;
  quality: HTMLElement;
  /** Badge and sparkline, made with the row's first quality sample. */
  qualityLink: { a: HTMLAnchorElement; badge: HTMLElement; spark: Sparkline } | null;
  actions: HTMLElement;
  problem: HTMLElement;
  createdAt: number;
  actionKeys: string;
}

export class CallsView {
  readonly el: HTMLElement;
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<string>();
  private readonly tbody = h('div', { role: 'rowgroup', class: 'rows' });
  private readonly count = h('p', { class: 'count', 'aria-live': 'polite' });
  private readonly filters: CallFilters;
  /** Rows on screen: only their durations tick, so a 1,000-row table relays out a screenful a second. */
  private readonly onScreen = new Set<Row>();
  private readonly byTr = new WeakMap<Element, Row>();
  private readonly visibility = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const row = this.byTr.get(e.target);
      if (!row) continue;
      if (e.isIntersecting) this.onScreen.add(row);
      else this.onScreen.delete(row);
    }
  });

  constructor(
    private readonly store: ChannelStore,
    private readonly gql: Gql,
    private readonly perms: Permissions,
    private readonly hasQuality: boolean,
    /** Shows a call's quality chart (the link on its badge). */
    private readonly showQuality: (id: string) => void = () => undefined,
  ) {
    this.filters = new CallFilters(() => this.refilter());
    const head = h(
      'div',
      { role: 'row', class: 'row head' },
      ...['Backend', 'State', 'Caller', 'Connected', 'Duration', 'Quality', 'Actions'].map((t) =>
        h('div', { role: 'columnheader', text: t }),
      ),
    );
    const tools = h('div', { class: 'toolbar' }, this.filters.el, this.count);
    if (perms.controlCalls)
      tools.append(
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              void originateDialog(gql, [...new Set([...store.channels.values()].map((c) => c.backend.name))]),
          },
          'Originate…',
        ),
      );
    this.el = h(
      'section',
      { id: 'calls', 'aria-labelledby': 'calls-h' },
      h('h2', { id: 'calls-h', text: 'Calls' }),
      tools,
      h(
        'div',
        { role: 'table', class: 'calls', 'aria-labelledby': 'calls-h' },
        h('div', { role: 'rowgroup' }, head),
        this.tbody,
      ),
    );
    store.onChange((c) => {
      if (c.kind === 'reset') for (const id of new Set([...this.rows.keys(), ...store.channels.keys()])) this.mark(id);
      else this.mark(c.kind === 'upsert' ? c.channel.id : c.id);
    });
    setInterval(() => frame.schedule('calls:durations', () => this.tick()), 1000);
  }

  private mark(id: string): void {
    this.dirty.add(id);
    frame.schedule('calls:rows', () => this.flush());
  }

  private flush(): void {
    for (const id of this.dirty) {
      const ch = this.store.channels.get(id);
      if (ch) this.render(ch);
      else this.removeRow(id);
    }
    this.dirty.clear();
    this.filters.offer(this.store.channels.values());
    this.updateCount();
  }

  private removeRow(id: string): void {
    const row = this.rows.get(id);
    if (row) {
      this.visibility.unobserve(row.tr);
      this.onScreen.delete(row);
      row.tr.remove();
    }
    this.rows.delete(id);
    forgetChannel(id);
  }

  private render(ch: Channel): void {
    let row = this.rows.get(ch.id);
    if (!row) {
      row = this.createRow(ch);
      this.rows.set(ch.id, row);
      this.byTr.set(row.tr, row);
      this.tbody.append(row.tr);
      this.visibility.observe(row.tr);
    }
    row.state.className = `state state-${ch.state}`;
    setText(row.state, ch.state === 'UNKNOWN' ? ch.rawState : ch.state);
    setText(row.caller, party(ch.caller));
    setText(row.connected, party(ch.connected));
    this.renderQuality(row, ch);
    this.renderActions(row, ch);
    row.tr.hidden = !this.filters.matches(ch);
  }

  private createRow(ch: Channel): Row {
    const cell = (cls: string) => h('div', { role: 'cell', class: cls });
    const row: Row = {
      tr: h('div', { role: 'row', class: 'row', 'data-id': ch.id }),
      state: h('span'),
      caller: cell('caller'),
      connected: cell('connected'),
      duration: cell('duration'),
      quality: cell('quality'),
      qualityLink: null,
      actions: h('span', { class: 'actions' }),
      problem: h('span', { class: 'problem', role: 'status' }),
      createdAt: Date.parse(ch.createdAt),
      actionKeys: '',
    };
    const backend = h(
      'div',
      { role: 'cell', class: 'backend' },
      h('span', { class: `kind kind-${ch.backend.kind}`, text: ch.backend.kind }),
      ` ${ch.backend.name}`,
    );
    row.tr.append(
      backend,
      h('div', { role: 'cell' }, row.state),
      row.caller,
      row.connected,
      row.duration,
      row.quality,
      h('div', { role: 'cell' }, row.actions, row.problem),
    );
    setText(row.duration, formatDuration((Date.now() - row.createdAt) / 1000));
    return row;
  }

  /** MOS badge and jitter/loss sparkline from the store's samples (the quality stream's, or Channel.quality's). */
  private renderQuality(row: Row, ch: Channel): void {
    const samples = this.store.quality.get(ch.id) ?? [];
    const latest = samples.at(-1)?.values;
    const mos = this.hasQuality ? mosOf(latest ?? ch.quality) : null;
    if (mos === null) {
      row.qualityLink = null;
      row.quality.className = 'quality';
      return setText(row.quality, '—');
    }
    const link = row.qualityLink ?? this.qualityLink(row, ch.id);
    row.quality.className = `quality mos-${mos >= 4 ? 'good' : mos >= 3.6 ? 'fair' : 'poor'}`;
    setText(link.badge, `MOS ${mos.toFixed(1)}`);
    link.spark.el.style.display = latest && 'jitterMs' in latest ? '' : 'none';
    link.spark.update(samples);
    const jitter = latest?.jitterMs;
    const loss = latest?.lossPercent;
    const detail = jitter === undefined ? '' : `, jitter ${jitter.toFixed(0)} ms, loss ${(loss ?? 0).toFixed(1)} %`;
    link.a.setAttribute('aria-label', `Quality of ${ch.name}: MOS ${mos.toFixed(1)}${detail}. Open its chart`);
  }

  private qualityLink(row: Row, id: string): NonNullable<Row['qualityLink']> {
    const badge = h('span', { class: 'mos' });
    const spark = sparkline();
    const a = h('a', { href: '#charts', class: 'quality-link', onclick: () => this.showQuality(id) }, badge);
    a.append(spark.el);
    row.quality.replaceChildren(a);
    row.qualityLink = { a, badge, spark };
    return row.qualityLink;
  }

  private renderActions(row: Row, ch: Channel): void {
    if (!this.perms.controlCalls) return;
    const actions = actionsFor(ch);
    const keys = actions.map((a) => a.key).join(',');
    if (keys === row.actionKeys) return;
    row.actionKeys = keys;
    row.actions.replaceChildren(
      ...actions.map((a) =>
        h(
          'button',
          {
            type: 'button',
            class: `act act-${a.key}`,
            'aria-label': `${a.label} ${ch.name}`,
            onclick: () => void this.run(a, ch.id),
          },
          a.label,
        ),
      ),
    );
  }

  private async run(action: ChannelAction, id: string): Promise<void> {
    const ch = this.store.channels.get(id);
    const row = this.rows.get(id);
    if (!ch || !row) return;
    const prepared = await action.prepare(ch);
    if (!prepared) return;
    setText(row.problem, '');
    const r = await this.gql.mutate(prepared.doc, prepared.vars);
    const code = errorCode(r.error);
    if (code) {
      setText(row.problem, `${action.label} refused: ${code}`);
      return;
    }
    afterAction(ch, action.key);
    row.actionKeys = '';
    this.mark(id);
  }

  private tick(): void {
    const now = Date.now();
    for (const row of this.onScreen) setText(row.duration, formatDuration((now - row.createdAt) / 1000));
  }

  private refilter(): void {
    for (const [id, row] of this.rows) {
      const ch = this.store.channels.get(id);
      if (ch) row.tr.hidden = !this.filters.matches(ch);
    }
    this.updateCount();
  }

  private updateCount(): void {
    let shown = 0;
    for (const row of this.rows.values()) if (!row.tr.hidden) shown++;
    setText(this.count, `${this.rows.size} live channels, ${shown} shown`);
  }
}

/** The MOS among a quality snapshot's numbers: the field named like "mos" (1 to 5). */
export function mosOf(quality: Channel['quality']): number | null {
  if (!quality) return null;
  const key = Object.keys(quality).find((k) => /mos/i.test(k));
  const value = key ? quality[key] : null;
  return typeof value === 'number' ? value : null;
}
