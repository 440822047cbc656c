/** The tallied counter and histogram render exactly what prom-client's would for the same observations. */
import { Counter, Histogram, Registry } from 'prom-client';
import { TalliedCounter, TalliedHistogram } from '../../../src/observability/tallied-metrics';

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SAMPLES: Array<[string, string, number]> = [
  ['Channels', 'http', 0.0004],
  ['Channels', 'http', 0.005],
  ['Channels', 'http', 0.0051],
  ['Orig', 'ws', 0.3],
  ['Channels', 'http', 12],
  ['Orig', 'ws', 0.1],
  ['Channels', 'ws', 2.5],
];

describe('tallied metrics', () => {
  it('a histogram renders as prom-client\'s Histogram: cumulative buckets, +Inf, sum, count per series', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const h = new Histogram({ name: 'x_seconds', help: 'help text', labelNames: ['operation', 'transport'], buckets: BOUNDS, registers: [theirs] });
    const t = new TalliedHistogram('x_seconds', 'help text', ours, BOUNDS);
    for (const [operation, transport, v] of SAMPLES) {
      h.observe({ operation, transport }, v);
      t.observe(`${operation}\u0000${transport}`, () => ({ operation, transport }), v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    t.reset();
    h.reset();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('a counter renders as prom-client\'s Counter, label objects made once per series', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const c = new Counter({ name: 'x_total', help: 'help text', labelNames: ['operation', 'transport'], registers: [theirs] });
    const t = new TalliedCounter('x_total', 'help text', ours);
    let made = 0;
    for (const [operation, transport] of SAMPLES) {
      c.inc({ operation, transport });
      t.inc(`${operation}\u0000${transport}`, () => (made++, { operation, transport }));
    }
    c.inc({ operation: 'Orig', transport: 'ws' }, 3);
    t.inc('Orig\u0000ws', () => ({ operation: 'Orig', transport: 'ws' }), 3);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(made).toBe(3);
  });

  it('a name already taken in the registry is refused, as prom-client refuses it', () => {
    const r = new Registry();
    new Counter({ name: 'x_total', help: 'h', registers: [r] });
    expect(() => new TalliedCounter('x_total', 'h', r)).toThrow(/already been registered/);
  });
});
