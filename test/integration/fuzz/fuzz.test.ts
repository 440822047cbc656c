/**
 * Issue 5: thousands of generated documents and variables (valid-shape but wrong, and garbage),
 * malformed JSON, oversized bodies, bad GET parameters, invalid graphql-ws messages and binary
 * frames, against the real CLI in a process of its own: zero 5xx, zero crashes, every error has
 * `extensions.code`, and a call in progress on another socket is untouched.
 *
 * Seeded: the seed is printed; FUZZ_SEED=<n> replays a run. FUZZ_WRITE_RESULTS=1 appends a
 * "Fuzz run" section to bench/RESULTS.md (off by default so CI leaves the tree clean).
 * FUZZ_HTTP_REQUESTS / FUZZ_WS_REPEATS size the run (defaults 3000 / 6).
 */
import { appendFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { getSchema } from '../../../src/graphql/schema';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { DocumentGenerator } from './documents';
import { startFuzzGateway, type FuzzGateway } from './gateway-process';
import { httpCase, judge, oversized, send, type Keys, type RawRequest } from './http-fuzz';
import { Prng, seedFromEnv } from './prng';
import { startProtectedCall, type ProtectedCall } from './protected-call';
import { Tally } from './tally';
import { SERVER_FAILURE_CLOSE_CODES, runSocket, sessionFrames, violationScenarios } from './ws-fuzz';

const HTTP_REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 3000);
const WS_REPEATS = Number(process.env.FUZZ_WS_REPEATS ?? 6);
const HTTP_CONCURRENCY = 6;
const WS_CONCURRENCY = 4;
const SESSION_SUBSCRIBES = 40;
const SACRIFICIAL_CHANNELS = 4;

jest.setTimeout(180_000);

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

describe('fuzz: generated and malformed input against a running gateway', () => {
  const seed = seedFromEnv();
  let sim: AriSimulator;
  let gw: FuzzGateway;
  let call: ProtectedCall | undefined;
  /** Background loops (health, probes) run while this is true; afterAll clears it if the test threw. */
  let fuzzing = false;

  beforeAll(async () => {
    // Printed first, so a run that dies halfway can still be replayed.
    process.stdout.write(`fuzz seed=${seed} (replay with FUZZ_SEED=${seed})\n`);
    sim = await startAriSimulator({ port: 0 });
    gw = await startFuzzGateway(sim.url);
  });

  afterAll(async () => {
    fuzzing = false;
    await call?.close();
    await gw?.stop();
    await sim?.close();
  });

  it('answers everything without a 5xx, a crash or an error without a code, and leaves a call in progress untouched', async () => {
    const started = performance.now();
    const rng = new Prng(seed);
    const keys: Keys = { admin: gw.adminKey, viewer: gw.viewerKey };
    const t = new Tally();
    const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY + 2 });
    const wsUrl = gw.url.replace(/^http/, 'ws');

    call = await startProtectedCall(gw.url, gw.adminKey);
    // Channels the fuzz may aim its mutations at (hang up, hold, ...), all but the protected one.
    const real: string[] = [];
    for (let i = 0; i < SACRIFICIAL_CHANNELS; i++) {
      const r = await send(agent, gw.origin, {
        kind: 'setup',
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.adminKey}` },
        body: JSON.stringify({
          query:
            'mutation { originate(input: { backend: "pbx1", endpoint: "PJSIP/alice", app: "patchbay" }) { channel { id } } }',
        }),
      });
      real.push(JSON.parse(r.body).data.originate.channel.id);
    }
    const gen = new DocumentGenerator(rng, await getSchema(), { real, protectedNative: call.nativeId });

    fuzzing = true;
    const health = (async () => {
      const check = async (): Promise<void> => {
        t.healthChecks++;
        const ok = await send(agent, gw.origin, { kind: 'health', method: 'GET', path: '/healthz', headers: {} }).then(
          (a) => a.status === 200,
          () => false,
        );
        if (!ok) t.healthFailures++;
      };
      while (fuzzing) {
        await check();
        await new Promise((r) => setTimeout(r, 250));
      }
      await check();
    })();
    let probes = 0;
    const probeFailures: string[] = [];
    const probing = (async () => {
      while (fuzzing) {
        await call!.probe().then(
          () => probes++,
          (e: Error) => probeFailures.push(e.message),
        );
        await new Promise((r) => setTimeout(r, 500));
      }
    })();

    const transportErrors: string[] = [];
    const sendOne = async (r: RawRequest): Promise<void> => {
      t.httpRequests++;
      t.count(t.byKind, r.kind.replace(/^GET /, ''));
      try {
        judge(t, r, await send(agent, gw.origin, r));
      } catch (e) {
        t.transportErrors++;
        t.count(t.byStatus, 'reset');
        // Past 16 MB of body the server stops reading and cuts the connection; past Node's 16 KB
        // of request line and headers it answers 431 and closes, and a client still writing may
        // see the reset before the 431. Those are the only allowed resets.
        const cut = r.kind.startsWith('oversized 17') || r.path.length > 16_000;
        if (!cut) transportErrors.push(`${r.kind} (${r.path.length} chars of path): ${(e as Error).message}`);
      }
    };
    const http = (async () => {
      await pool(oversized(keys), 2, sendOne);
      let sent = 0;
      await pool(
        Array.from({ length: HTTP_REQUESTS }, () => null),
        HTTP_CONCURRENCY,
        async () => {
          // Generated when sent, in one sequence: the same seed gives the same inputs.
          const r = httpCase(rng, keys, gen);
          sent++;
          await sendOne(r);
        },
      );
      return sent;
    })();

    const protocolMismatches: string[] = [];
    /** 4500/1011 closes the protocol does not explain (the known graphql-ws ones are expected per scenario). */
    const serverFailureCloses: string[] = [];
    const ws = (async () => {
      const scenarios = Array.from({ length: WS_REPEATS }, () => violationScenarios(rng, keys)).flat();
      await pool(scenarios, WS_CONCURRENCY, async (s) => {
        // A close that is expected ends the wait when it comes; waiting longer for it only costs when it never does (a loaded machine may take more than 400 ms).
        const r = await runSocket(wsUrl, s.run, t, `ws: ${s.name}`, s.expectClose ? 5000 : 400);
        if (
          r.closeCode !== null &&
          SERVER_FAILURE_CLOSE_CODES.has(r.closeCode) &&
          !s.expectClose?.includes(r.closeCode)
        )
          serverFailureCloses.push(`${s.name}: ${r.closeCode} ${r.reason}`);
        if (s.expectClose && (r.closeCode === null || !s.expectClose.includes(r.closeCode)))
          protocolMismatches.push(
            `${s.name}: expected close ${s.expectClose.join('/')}, got ${r.closeCode ?? 'still open'} ${r.reason ?? ''}`,
          );
        if (!s.expectClose && r.closeCode !== null)
          protocolMismatches.push(`${s.name}: expected the socket to stay open, got close ${r.closeCode}`);
      });
      const sessions = [keys.admin, keys.viewer, keys.admin, keys.viewer].map((key, i) => ({
        key,
        frames: sessionFrames(rng, key, gen, SESSION_SUBSCRIBES),
        i,
      }));
      await pool(sessions, WS_CONCURRENCY, async (s) => {
        const r = await runSocket(wsUrl, { frames: s.frames }, t, `ws session ${s.i}`, 1500);
        if (r.closeCode !== null)
          protocolMismatches.push(
            `session ${s.i}: closed ${r.closeCode} ${r.reason} after ${r.received.length} messages`,
          );
        if (r.closeCode !== null && SERVER_FAILURE_CLOSE_CODES.has(r.closeCode))
          serverFailureCloses.push(`session ${s.i}: ${r.closeCode} ${r.reason}`);
      });
    })();

    await Promise.all([http, ws]);
    fuzzing = false;
    await Promise.all([health, probing]);
    // After the fuzz: the call is still up and its subscriber still gets its events.
    await call.probe();
    const finalState = await call.state();
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();

    const crashes = gw.exit ? 1 : 0;
    const untouched = call.events.filter((e) => !(e.__typename === 'VariableSet' && e.name === 'FUZZ_PROBE'));
    const line = t.summaryLine(seed, seconds, crashes);
    process.stdout.write(
      `${line}\nprotected call ${call.id}: ${probes + 1} probes during and after the fuzz delivered, ${call.events.length} events in all, state ${finalState}\n`,
    );
    for (const f of [...t.findings, ...t.internal])
      process.stdout.write(`${f.what}\n  input: ${f.input}\n  answer: ${f.answer}\n`);
    for (const m of protocolMismatches) process.stdout.write(`graphql-ws: ${m}\n`);
    if (gw.errorLines.length)
      process.stdout.write(`gateway logged ${gw.errorLines.length} error lines, first: ${gw.errorLines[0]}\n`);
    if (process.env.FUZZ_WRITE_RESULTS === '1') {
      const machine = `${cpus().length} cores, ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`;
      const protectedCall = `Call in progress (${call.id}, originated and answered, channelEvents subscriber on its own socket): ${probes + 1} variable probes during and after the fuzz, each delivered to its subscriber; ${untouched.length} other events for it (no HangupRequested); state ${finalState} afterwards.`;
      appendFileSync(
        join(__dirname, '..', '..', '..', 'bench', 'RESULTS.md'),
        `\n${t.markdown({ seed, seconds, crashes, machine, protectedCall, gatewayErrorLines: gw.errorLines })}`,
      );
    }

    expect({ exit: gw.exit, tail: gw.exit ? gw.tail() : '' }).toEqual({ exit: null, tail: '' });
    expect(t.http5xx).toBe(0);
    expect(serverFailureCloses).toEqual([]);
    expect(t.findings).toEqual([]);
    expect(transportErrors).toEqual([]);
    expect(protocolMismatches).toEqual([]);
    expect(t.healthFailures).toBe(0);
    expect(probeFailures).toEqual([]);
    expect(t.httpRequests).toBe(HTTP_REQUESTS + oversized(keys).length);
    expect(finalState).toBe('UP');
    expect(call.errors).toEqual([]);
    expect(call.completed).toBe(false);
    expect(untouched).toEqual([]);
  });
});
