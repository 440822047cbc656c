/**
 * Starts the longest test files first. Jest orders files by the durations in its own cache, and
 * without one (a fresh clone) by file size, which put 40-second files last and left one worker
 * running alone for the final minute. Files without a cached duration are weighted here.
 */
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds each file took in a fresh clone's `npm test` (the median of three, 2026-12-08, 4 workers
 * on 2 cores; only the order matters). Files under 8 s count as 0.
 * test/unit/heavy-first-sequencer.test.ts checks that every path still exists.
 */
const KNOWN_SECONDS = new Map([
  ['test/integration/access/access-graph.test.ts', 37],
  ['test/integration/fuzz/fuzz.test.ts', 35],
  ['test/browser/console.test.ts', 31],
  ['test/integration/cluster/workers.test.ts', 23],
  ['test/integration/events/live-view-property.test.ts', 22],
  ['test/integration/store/pglite.test.ts', 21],
  ['test/integration/auth-store/keys-cli.test.ts', 19],
  ['test/integration/multi-instance/exit-on-time.test.ts', 18],
  ['test/integration/chaos/lifecycle.chaos.test.ts', 18],
  ['test/integration/gateway-kazoo/kazoo-graph.test.ts', 14],
  ['test/integration/gateway/graphiql-browser.test.ts', 13],
  ['test/integration/multi-instance/failover.test.ts', 13],
  ['test/integration/cluster/workers-postgres.test.ts', 11],
  ['test/integration/gateway/queries.test.ts', 11],
  ['test/integration/cli/start.test.ts', 11],
  ['test/integration/events/backend-reconnect.test.ts', 9],
  ['test/integration/quality/channel-quality.test.ts', 9],
]);

class HeavyFirstSequencer extends Sequencer {
  sort(tests) {
    // super.sort sets test.duration from jest's cache where it has one.
    const sorted = super.sort(tests);
    const weight = (test) =>
      test.duration ?? 1000 * (KNOWN_SECONDS.get(relative(test.context.config.rootDir, test.path)) ?? 0);
    // Array sort is stable: ties keep jest's order (failed first, then larger files).
    return sorted.sort((a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || weight(b) - weight(a));
  }
}

module.exports = HeavyFirstSequencer;
module.exports.KNOWN_SECONDS = KNOWN_SECONDS;
