/**
 * Starts the longest test files first. Jest orders files by the durations in its own cache, and
 * without one (a fresh clone) by file size, which put 40-second files last and left one worker
 * running alone for the final minute. Files without a cached duration are weighted here.
 */
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds each file took in a full run (2026-12-07, 4 workers on 2 cores at load ~12; only the
 * order matters). Files under 20 s count as 0. test/unit/heavy-first-sequencer.test.ts checks
 * that every path still exists.
 */
const KNOWN_SECONDS = new Map([
  ['test/integration/fuzz/fuzz.test.ts', 167],
  ['test/integration/access/access-graph.test.ts', 114],
  ['test/browser/console.test.ts', 106],
  ['test/integration/auth-store/keys-cli.test.ts', 100],
  ['test/integration/chaos/lifecycle.chaos.test.ts', 79],
  ['test/integration/gateway/queries.test.ts', 68],
  ['test/integration/store/pglite.test.ts', 67],
  ['test/integration/gateway/graphiql-browser.test.ts', 66],
  ['test/integration/multi-instance/exit-on-time.test.ts', 61],
  ['test/integration/gateway-kazoo/kazoo-graph.test.ts', 58],
  ['test/integration/events/live-view-property.test.ts', 56],
  ['test/integration/observability/sigterm.test.ts', 50],
  ['test/integration/events/subscription-resume.test.ts', 48],
  ['test/integration/access/limits.test.ts', 48],
  ['test/integration/auth-store/auth-store.postgresql.test.ts', 48],
  ['test/integration/gateway/http-conventions.test.ts', 47],
  ['test/integration/auth-store/auth-store.pglite.test.ts', 47],
  ['test/integration/multi-instance/cluster-guarantees.test.ts', 41],
  ['test/integration/gateway/control-mutations.test.ts', 38],
  ['test/integration/events/lifecycle-reconnect.test.ts', 38],
  ['test/integration/gateway/graphql-http-audit.test.ts', 37],
  ['test/integration/quality/channel-quality.test.ts', 33],
  ['test/integration/cli/start.test.ts', 33],
  ['test/integration/multi-instance/failover.test.ts', 30],
  ['test/integration/examples/clients.test.ts', 30],
  ['test/integration/examples/apollo-cache.test.ts', 29],
  ['test/integration/observability/gateway-observability.test.ts', 28],
  ['test/integration/events/gateway-restart.test.ts', 27],
  ['test/integration/events/retention-resync.test.ts', 27],
  ['test/integration/cli/usage.test.ts', 27],
  ['test/integration/gateway/shared-fanout.test.ts', 26],
  ['test/integration/events/normalised-cache.test.ts', 26],
  ['test/integration/gateway/response-cache.test.ts', 25],
  ['test/integration/gateway/lifecycle-mutations.test.ts', 24],
  ['test/integration/gateway/server.test.ts', 22],
  ['test/integration/events/backend-reconnect.test.ts', 21],
  ['test/integration/events-store/concurrent-append.postgresql.test.ts', 21],
  ['test/integration/gateway-kazoo/mixed-list.test.ts', 20],
  ['test/integration/gateway/media-mutations.test.ts', 20],
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
