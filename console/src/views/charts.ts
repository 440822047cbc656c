/**
 * Charts in inline SVG: active calls per backend over the last hour (from the journal, then
 * sampled every 10 s), agents by state, and one call's quality over its life.
 */
import type { ChannelStore } from '../channel-store';
import { h, svg } from '../dom';
import { frame } from '../frame';
import type { Recipient } from '../types';
import type { Gql } from '../client';
import { callsHistory, type CountSample as Sample } from './calls-history';

const W = 560;
const H = 160;
const HOUR_MS = 3_600_000;
const SAMPLE_MS = 10_000;
const COLOURS = ['#1f6feb', '#b35900', '#1a7f37', '#8250df', '#cf222e', '#0e7490'];

/** Counts as they are, measures (MOS 4.3954…) to two decimals. */
const round = (v: number): string => String(Math.round(v * 100) / 100);

/** A polyline chart of series over a time window, with a legend. */
export function lineChart(
  title: string,
  series: Map<string, Array<[number, number]>>,
  from: number,
  to: number,
): HTMLElement {
  const max = Math.max(1, ...[...series.values()].flatMap((s) => s.map(([, v]) => v)));
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H + 20}`,
    role: 'img',
    'aria-label': `${title}, up to ${round(max)}`,
  });
  chart.append(svg('line', { x1: 0, y1: H, x2: W, y2: H, stroke: '#57606a' }));
  const label = svg('text', { x: 4, y: 12, fill: '#24292f', 'font-size': 11 });
  label.textContent = round(max);
  chart.append(label);
  const legend = h('ul', { class: 'legend' });
  [...series].forEach(([name, points], i) => {
    const colour = COLOURS[i % COLOURS.length];
    const xy = points.map(
      ([t, v]) => `${(((t - from) / Math.max(1, to - from)) * W).toFixed(1)},${(H - (v / max) * (H - 16)).toFixed(1)}`,
    );
    chart.append(svg('polyline', { points: xy.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2 }));
    const last = points.at(-1)?.[1] ?? 0;
    legend.append(
      h('li', {}, h('span', { class: 'swatch', style: `background:${colour}` }), `${name}: ${round(last)}`),
    );
  });
  return h('figure', {}, h('figcaption', { text: title }), chart, legend);
}

function barChart(title: string, bars: Array<[string, number]>): HTMLElement {
  const max = Math.max(1, ...bars.map(([, v]) => v));
  const rowH = 22;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${Math.max(1, bars.length) * rowH}`,
    role: 'img',
    'aria-label': `${title}: ${bars.map(([k, v]) => `${k} ${v}`).join(', ')}`,
  });
  bars.forEach(([name, value], i) => {
    chart.append(
      svg('rect', {
        x: 150,
        y: i * rowH + 3,
        width: Math.max(2, (value / max) * (W - 200)),
        height: rowH - 6,
        fill: COLOURS[i % COLOURS.length],
      }),
    );
    const t = svg('text', { x: 0, y: i * rowH + 16, fill: '#24292f', 'font-size': 12 });
    t.textContent = `${name} (${value})`;
    chart.append(t);
  });
  return h('figure', {}, h('figcaption', { text: title }), chart);
}

export class ChartsView {
  readonly el: HTMLElement;
  private readonly samples: Sample[] = [];
  private readonly body = h('div', { class: 'charts' });
  private selected: string | null = null;

  constructor(
    private readonly store: ChannelStore,
    private readonly recipients: () => Iterable<Recipient>,
    private readonly hasQuality: boolean,
  ) {
    this.el = h(
      'section',
      { id: 'charts', 'aria-labelledby': 'charts-h' },
      h('h2', { id: 'charts-h', text: 'Charts' }),
      this.body,
    );
    this.sample();
    setInterval(() => this.sample(), SAMPLE_MS);
    // Live changes redraw at most once a second, and only while the charts are on screen.
    let changed = false;
    store.onChange(() => (changed = true));
    setInterval(() => {
      if (changed && !this.el.hidden) this.redraw();
      changed = false;
    }, 1000);
  }

  /** Fills the hour before the page opened from the journal (after the first channel snapshot). */
  async backfill(gql: Gql): Promise<void> {
    const now = Date.now();
    const past = await callsHistory(gql, this.store.countsByBackend(), now - HOUR_MS);
    this.samples.unshift(...past.filter((s) => s.at < now));
    this.samples.sort((a, b) => a.at - b.at);
    this.redraw();
  }

  /** Shows a call's quality chart (a row's id). */
  select(id: string): void {
    this.selected = id;
    this.redraw();
  }

  redraw(): void {
    frame.schedule('charts', () => this.render());
  }

  private sample(): void {
    const now = Date.now();
    this.samples.push({ at: now, counts: this.store.countsByBackend() });
    while (this.samples.length && this.samples[0].at < now - HOUR_MS) this.samples.shift();
    this.redraw();
  }

  private render(): void {
    const now = Date.now();
    // The line runs to the present: the stored samples plus the counts of now.
    const samples = [...this.samples, { at: now, counts: this.store.countsByBackend() }];
    const perBackend = new Map<string, Array<[number, number]>>();
    for (const s of samples) for (const name of s.counts.keys()) perBackend.set(name, []);
    for (const s of samples) for (const [name, points] of perBackend) points.push([s.at, s.counts.get(name) ?? 0]);
    const byState = new Map<string, number>();
    for (const r of this.recipients())
      byState.set(r.status.availabilityState, (byState.get(r.status.availabilityState) ?? 0) + 1);
    this.body.replaceChildren(
      lineChart('Active calls per backend, last hour', perBackend, now - HOUR_MS, now),
      barChart('Agents by state', [...byState].sort()),
      this.qualityChart(),
    );
  }

  /** The selected call's (or the latest sampled call's) MOS, jitter and loss, one chart each. */
  private qualityChart(): HTMLElement {
    if (!this.hasQuality)
      return h('p', { class: 'muted', text: 'Call quality: this gateway has no Channel.quality field.' });
    const id =
      this.selected && this.store.quality.has(this.selected) ? this.selected : [...this.store.quality.keys()].at(-1);
    const samples = id ? (this.store.quality.get(id) ?? []) : [];
    if (!id || samples.length === 0) return h('p', { class: 'muted', text: 'Call quality: no samples yet.' });
    const series = new Map<string, Array<[number, number]>>();
    for (const s of samples)
      for (const [k, v] of Object.entries(s.values)) series.set(k, [...(series.get(k) ?? []), [s.at, v]]);
    const from = samples[0].at;
    const to = Math.max(from + 1, samples.at(-1)!.at);
    const name = this.store.channels.get(id)?.name ?? id;
    // One chart per measure: MOS (1 to 4.5), jitter (ms) and loss (%) share no scale.
    const charts = [...series].map(([k, points]) =>
      lineChart(`${QUALITY_LABELS[k] ?? k} of ${name} over its life`, new Map([[k, points]]), from, to),
    );
    return h('div', { class: 'quality-charts', 'data-id': id }, ...charts);
  }
}

const QUALITY_LABELS: Record<string, string> = { mos: 'MOS', jitterMs: 'Jitter (ms)', lossPercent: 'Packet loss (%)' };
