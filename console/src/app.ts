/**
 * The signed-in page: a header with who you are, four screens (calls, agents, events, charts)
 * and the live streams feeding them.
 */
import { Banners } from './banners';
import { ChannelStore } from './channel-store';
import type { Gql } from './client';
import type { Features } from './features';
import { h } from './dom';
import { AgentsView } from './views/agents';
import { CallsView } from './views/calls';
import { ChartsView } from './views/charts';
import { EventsView } from './views/events';
import { startStreams } from './streams';
import type { Me } from './types';
import { permissionsOf } from './types';

const SCREENS = ['calls', 'agents', 'events', 'charts'] as const;

/** What tests and the bench read from the page (window.patchbayConsole). */
export interface ConsoleProbe {
  store: ChannelStore;
  events: EventsView;
  /** Event receivedAt to DOM commit, ms, one per channel event. */
  latencies: number[];
  /** Event receivedAt to its arrival in the page, ms: the gateway's share of `latencies`. */
  arrivals: number[];
  /** Arrival in the page to DOM commit, ms: the console's own share. */
  inPage: number[];
  socketUp: boolean;
  streams: Array<{ lastCursor: string | null }>;
}

function header(me: Me, onSignOut: () => void): HTMLElement {
  const scope = me.allScope ? 'all backends' : [...me.backends, ...me.accountIds].join(', ') || 'nothing';
  const shown = SCREENS.filter((s) => s !== 'calls' || me.role !== 'AGENT');
  const nav = h(
    'nav',
    { 'aria-label': 'Screens' },
    ...shown.map((s) => h('a', { href: `#${s}`, id: `nav-${s}`, text: s[0].toUpperCase() + s.slice(1) })),
  );
  return h(
    'header',
    {},
    h('h1', { text: 'patchbay console' }),
    nav,
    h(
      'p',
      { class: 'who' },
      `${me.name} · ${me.role} · ${scope} `,
      h('span', { id: 'socket', class: 'socket', role: 'status', text: 'connecting…' }),
      ' ',
      h('button', { type: 'button', class: 'secondary', onclick: onSignOut }, 'Sign out'),
    ),
  );
}

/** One screen at a time, chosen by the URL's hash; the first one the key may see by default. */
function showScreen(): void {
  const present = SCREENS.filter((s) => document.getElementById(s));
  const asked = location.hash.slice(1);
  const want = present.find((s) => s === asked) ?? present[0];
  for (const s of SCREENS) {
    const el = document.getElementById(s);
    if (el) el.hidden = s !== want;
    document.getElementById(`nav-${s}`)?.setAttribute('aria-current', s === want ? 'page' : 'false');
  }
}

export async function startApp(
  root: HTMLElement,
  gql: Gql,
  me: Me,
  features: Features,
  onSignOut: () => void,
): Promise<ConsoleProbe> {
  const perms = permissionsOf(me);
  const store = new ChannelStore();
  const banners = new Banners();
  const agents = new AgentsView(gql, perms);
  const events = new EventsView();
  const hasQuality = features.quality !== null || features.qualityStream;
  const charts = new ChartsView(store, () => agents.recipients.values(), hasQuality);
  agents.onChange(() => charts.redraw());
  const screens: HTMLElement[] = [];
  if (perms.readCalls) screens.push(new CallsView(store, gql, perms, hasQuality, (id) => charts.select(id)).el);
  screens.push(agents.el, events.el, charts.el);
  root.replaceChildren(
    header(me, onSignOut),
    banners.el,
    h('p', { id: 'status', role: 'status', class: 'muted' }),
    h('main', {}, ...screens),
  );
  window.addEventListener('hashchange', showScreen);
  showScreen();
  const probe: ConsoleProbe = { store, events, latencies: [], arrivals: [], inPage: [], socketUp: false, streams: [] };
  gql.onSocket((up) => {
    probe.socketUp = up;
    const el = document.getElementById('socket');
    if (el) el.textContent = up ? 'live' : 'reconnecting…';
    if (!up) events.disconnected();
  });
  // With the stream, rows get quality from it: selecting Channel.quality too would cost one
  // backend read per channel on every channels load and resync.
  const quality = features.qualityStream ? null : features.quality;
  await startStreams({
    gql,
    me,
    perms,
    quality,
    qualityStream: features.qualityStream,
    store,
    agents,
    events,
    banners,
    probe,
  });
  if (perms.readCalls) void charts.backfill(gql).catch(() => undefined);
  return probe;
}
