/**
 * `npm run bench`: runs the selected benchmarks one after another (each starts and stops its own
 * gateway child), prints a summary table and appends a dated section to bench/RESULTS.md.
 */
import { appendFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type BenchConfig, type SuiteId } from './lib/cli';
import { consoleSummary, machine, markdownSection, progress, type SuiteResult } from './lib/report';
import { readPath } from './suites/read-path';
import { frameworkOverhead } from './suites/framework';
import { requestsPerQuery } from './suites/requests';
import { fanout } from './suites/fanout';
import { mutationOverhead } from './suites/mutations';
import { startup } from './suites/startup';
import { GATEWAY_LOG } from './server/handle';

const RUNNERS: Record<SuiteId, (c: BenchConfig) => Promise<SuiteResult>> = {
  a: readPath,
  b: frameworkOverhead,
  c: requestsPerQuery,
  d: fanout,
  e: mutationOverhead,
  f: startup,
};

const RESULTS_HEADER = `# patchbay benchmark results

Appended by \`npm run bench\` (see README.md here): one dated section per run, newest last.
Numbers are from the machine named in each section; compare sides within one run, not across runs.

`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = parseArgs(args);
  // Gateway children read it from the environment they inherit.
  if (config.databaseUrl) process.env.BENCH_DATABASE_URL = config.databaseUrl;
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  progress(
    `patchbay bench on ${machine()}; running ${config.only.join(', ')}${config.ari ? ` against ${config.ari.url}` : ' against the simulators'}, database ${config.databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)'}`,
  );
  const results: SuiteResult[] = [];
  const failures: Array<{ id: string; error: string }> = [];
  for (const id of config.only) {
    const began = Date.now();
    try {
      const r = await RUNNERS[id](config);
      results.push(r);
      progress(`${id}: done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    } catch (e) {
      const error = (e as Error).stack ?? String(e);
      failures.push({ id, error });
      progress(`${id}: FAILED after ${((Date.now() - began) / 1000).toFixed(1)} s: ${(e as Error).message}`);
    }
  }
  const took = ((Date.now() - startedAt.getTime()) / 1000).toFixed(0);
  const extra = [
    `Took ${took} s. Machine load (1-minute average) at start ${loadAtStart.toFixed(1)}, at end ${loadavg()[0].toFixed(1)}: other work on the box shares the cores, which is why sides are interleaved.`,
  ];
  process.stdout.write(consoleSummary(results, failures));
  process.stdout.write(`${extra[0]}\n`);
  if (config.results) {
    const file = resolve(config.results);
    if (!existsSync(file)) writeFileSync(file, RESULTS_HEADER);
    appendFileSync(file, `\n${markdownSection(results, failures, args, startedAt, extra)}`);
    progress(`results appended to ${file}`);
  }
  if (failures.length) progress(`gateway logs kept in ${GATEWAY_LOG}`);
  else rmSync(GATEWAY_LOG, { force: true });
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
});
