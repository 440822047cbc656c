/**
 * f. start-up and footprint: `npm start` (demo mode) launched as a child, timed from spawn to its
 * first answers (GET /healthz, then a `channels` query with the demo key), then left idle and its
 * RSS read. Phases come from the gateway's own log lines (time since spawn). Sides alternate in
 * rounds: a fresh data dir with npm start's loader (scripts/register.js), the same with
 * @swc-node/register (the loader A/B), and a restart on an existing data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchConfig } from '../lib/cli';
import { progress, type SuiteResult } from '../lib/report';
import { ms } from '../lib/stats';

const ROOT = resolve(__dirname, '..', '..');
const FIRST_ANSWER_GOAL_MS = 3000;
const IDLE_RSS_GOAL_MB = 250;

interface Side {
  name: string;
  loader: string;
  /** Reuse the data dir of the previous fresh start of this round. */
  restart: boolean;
}

const SIDES: Side[] = [
  { name: 'fresh data dir (npm start)', loader: './scripts/register.js', restart: false },
  { name: 'restart, existing data dir (npm start)', loader: './scripts/register.js', restart: true },
  { name: 'fresh data dir (@swc-node/register loader)', loader: '@swc-node/register', restart: false },
];

interface StartMeasure {
  healthzMs: number;
  queryMs: number;
  cpuMsAtAnswer: number;
  idleRssMb: number;
  /** Log message → ms since spawn (first occurrence). */
  phases: Map<string, number>;
  seedMs?: number;
  pgliteOpenMs?: number;
}

const PHASES: Array<[label: string, msg: string]> = [
  ['modules + simulators', 'ARI simulator listening'],
  ['database ready', 'database ready'],
  ['listening', 'patchbay listening'],
];

export async function startup(c: BenchConfig): Promise<SuiteResult> {
  const rounds = c.quick ? 1 : Math.max(2, Math.min(c.rounds, 3));
  const idleMs = c.quick ? 3000 : 10_000;
  const results = new Map<string, StartMeasure[]>(SIDES.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    let dataDir: string | undefined;
    for (const side of SIDES) {
      if (!side.restart) {
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        dataDir = mkdtempSync(join(tmpdir(), 'patchbay-bench-start-'));
      }
      const m = await measureStart(side.loader, dataDir!, idleMs);
      results.get(side.name)!.push(m);
      progress(
        `f: round ${round + 1}/${rounds} ${side.name}: first answer ${ms(m.healthzMs)}, query ${ms(m.queryMs)}, idle RSS ${m.idleRssMb} MB`,
      );
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  return report(results, rounds, idleMs);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function report(results: Map<string, StartMeasure[]>, rounds: number, idleMs: number): SuiteResult {
  const rows = SIDES.map((side) => {
    const ms_ = results.get(side.name)!;
    const med = (f: (m: StartMeasure) => number | undefined) => {
      const xs = ms_.map(f).filter((x): x is number => x !== undefined);
      return xs.length ? median(xs) : undefined;
    };
    const show = (x: number | undefined) => (x === undefined ? '-' : ms(x));
    return [
      side.name,
      show(med((m) => m.healthzMs)),
      show(med((m) => m.queryMs)),
      show(med((m) => m.cpuMsAtAnswer)),
      ...PHASES.map(([, msg]) => show(med((m) => m.phases.get(msg)))),
      `${show(med((m) => m.seedMs))} / ${show(med((m) => m.pgliteOpenMs))}`,
      `${med((m) => m.idleRssMb)} MB`,
    ];
  });
  const fresh = results.get(SIDES[0].name)!;
  const firstAnswer = median(fresh.map((m) => m.healthzMs));
  const rss = median(results.get(SIDES[1].name)!.map((m) => m.idleRssMb));
  return {
    id: 'f',
    title: `start-up and footprint: npm start (demo mode), median of ${rounds} rounds`,
    headers: [
      'side',
      'first answer (/healthz)',
      'first channels query',
      'CPU by first answer',
      ...PHASES.map(([label]) => label),
      'template copy / PGlite open',
      `RSS idle ${idleMs / 1000} s`,
    ],
    rows,
    goals: [
      {
        text: `first answer of npm start on a fresh data dir within ${FIRST_ANSWER_GOAL_MS / 1000} s`,
        met: firstAnswer <= FIRST_ANSWER_GOAL_MS,
        measured: ms(firstAnswer),
      },
      { text: `demo mode idles under ${IDLE_RSS_GOAL_MB} MB RSS`, met: rss < IDLE_RSS_GOAL_MB, measured: `${rss} MB` },
    ],
    notes: [
      'Times from spawn of `node --enable-source-maps -r <loader> src/main.ts` (what npm start runs, without npm itself) with PORT=0 and PATCHBAY_DATA_DIR a new temp dir; "restart" reopens the data dir the fresh start of the same round made.',
      'Phase columns: ms since spawn when the gateway logged it. "CPU by first answer": the child\'s user+system CPU when /healthz first answered — on a loaded machine it moves less than wall time.',
      "A fresh data dir is a copy of the migrated template made at npm install (src/store/template.ts); the @swc-node/register row is the A/B for npm start's cached loader (scripts/register.js).",
    ],
  };
}

async function measureStart(loader: string, dataDir: string, idleMs: number): Promise<StartMeasure> {
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', '-r', loader, 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PATCHBAY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const out = watchOutput(child);
    const url = await out.waitFor(() => out.url);
    const base = url.replace(/\/graphql$/, '');
    await pollUntil(async () => (await fetch(`${base}/healthz`)).ok);
    const healthzMs = performance.now() - t0;
    const cpuMsAtAnswer = cpuMs(child.pid!);
    const key = await out.waitFor(() => out.demoKey);
    await pollUntil(async () => channelsAnswer(url, key));
    const queryMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, idleMs));
    const idleRssMb = rssMb(child.pid!);
    const phases = new Map([...out.logTimes].map(([msg, at]) => [msg, at - spawnedAt]));
    return {
      healthzMs,
      queryMs,
      cpuMsAtAnswer,
      idleRssMb,
      phases,
      seedMs: out.seed?.seedMs,
      pgliteOpenMs: out.seed?.openMs,
    };
  } finally {
    await stop(child);
  }
}

interface Output {
  url?: string;
  demoKey?: string;
  seed?: { seedMs: number; openMs: number };
  logTimes: Map<string, number>;
  waitFor<T>(get: () => T | undefined): Promise<T>;
}

/** Reads the child's log lines (pino JSON) and the demo key it prints for the console. */
function watchOutput(child: ChildProcess): Output {
  const out: Output = {
    logTimes: new Map(),
    waitFor: (get) => pollUntil(async () => get(), 30, 120_000) as Promise<NonNullable<ReturnType<typeof get>>>,
  };
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) readLine(out, line.trim());
  });
  child.stderr!.resume();
  return out;
}

function readLine(out: Output, line: string): void {
  if (line.startsWith('pbk_')) out.demoKey = line;
  if (!line.startsWith('{')) return;
  try {
    const entry = JSON.parse(line) as { msg?: string; time?: string; url?: string; seedMs?: number; openMs?: number };
    if (!entry.msg || !entry.time) return;
    if (!out.logTimes.has(entry.msg)) out.logTimes.set(entry.msg, Date.parse(entry.time));
    if (entry.msg === 'patchbay listening') out.url = entry.url;
    if (entry.msg === 'embedded database started') out.seed = { seedMs: entry.seedMs ?? 0, openMs: entry.openMs ?? 0 };
  } catch {
    // Not a log line.
  }
}

async function channelsAnswer(url: string, key: string): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ channels { id state } }' }),
  });
  const body = (await res.json()) as { data?: { channels?: unknown[] }; errors?: unknown[] };
  return res.ok && !body.errors && Array.isArray(body.data?.channels);
}

/** Polls `check` until it gives a truthy value (errors count as not yet). */
async function pollUntil<T>(check: () => Promise<T>, everyMs = 20, timeoutMs = 120_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`start-up: no answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function cpuMs(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 per second here).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
