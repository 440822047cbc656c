/** What the fuzz saw: counts for the summary line and RESULTS.md, and each finding with its input. */

export interface Finding {
  what: string;
  input: string;
  answer: string;
}

const MAX_FINDINGS_KEPT = 50;
const cut = (s: string, n = 600): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

export class Tally {
  httpRequests = 0;
  readonly byStatus = new Map<string, number>();
  readonly byKind = new Map<string, number>();
  http5xx = 0;
  transportErrors = 0;
  graphqlErrors = 0;
  readonly errorCodes = new Map<string, number>();
  wsSockets = 0;
  wsFramesSent = 0;
  wsFramesReceived = 0;
  readonly wsCloseCodes = new Map<string, number>();
  healthChecks = 0;
  healthFailures = 0;
  readonly findings: Finding[] = [];
  findingCount = 0;
  /**
   * Errors answered with INTERNAL_SERVER_ERROR: they do carry a code (the criterion), so
   * they are reported and counted, not failed on; each is a bug to look at.
   */
  readonly internal: Finding[] = [];
  internalCount = 0;

  count(map: Map<string, number>, key: string | number): void {
    map.set(String(key), (map.get(String(key)) ?? 0) + 1);
  }

  find(what: string, input: string, answer: string): void {
    this.findingCount++;
    if (this.findings.length < MAX_FINDINGS_KEPT) this.findings.push({ what, input: cut(input), answer: cut(answer) });
  }

  /**
   * Every GraphQL error object must carry a string `extensions.code` and no stack trace.
   * Returns the codes seen.
   */
  checkErrors(errors: unknown, input: string, where: string): void {
    if (errors === undefined) return;
    if (!Array.isArray(errors)) return this.find(`${where}: "errors" is not a list`, input, JSON.stringify(errors));
    for (const e of errors) {
      this.graphqlErrors++;
      const code = (e as { extensions?: { code?: unknown } } | null)?.extensions?.code;
      if (typeof code !== 'string') this.find(`${where}: error without extensions.code`, input, JSON.stringify(e));
      else this.count(this.errorCodes, code);
      // An unexpected error must not show its own message (database errors name files and queries).
      if (code === 'INTERNAL_SERVER_ERROR' && (e as { message?: unknown }).message !== 'Internal server error')
        this.find(`${where}: INTERNAL_SERVER_ERROR shows its internal message`, input, JSON.stringify(e));
      if (code === 'INTERNAL_SERVER_ERROR') {
        this.internalCount++;
        if (this.internal.length < MAX_FINDINGS_KEPT)
          this.internal.push({
            what: `${where}: INTERNAL_SERVER_ERROR`,
            input: cut(input),
            answer: cut(JSON.stringify(e)),
          });
      }
      if (JSON.stringify(e).includes('stacktrace'))
        this.find(`${where}: error carries a stack trace`, input, JSON.stringify(e));
    }
  }

  private static oneLine(s: string): string {
    return s.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 300);
  }

  private static list(map: Map<string, number>): string {
    return [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}:${n}`)
      .join(' ');
  }

  summaryLine(seed: number, seconds: number, crashes: number): string {
    return (
      `fuzz seed=${seed} requests=${this.httpRequests} by-status[${Tally.list(this.byStatus)}] 5xx=${this.http5xx} transport-errors=${this.transportErrors} ` +
      `graphql-errors=${this.graphqlErrors} ws-sockets=${this.wsSockets} ws-frames-sent=${this.wsFramesSent} ws-frames-received=${this.wsFramesReceived} ` +
      `ws-close[${Tally.list(this.wsCloseCodes)}] healthz=${this.healthChecks - this.healthFailures}/${this.healthChecks} crashes=${crashes} findings=${this.findingCount} internal-errors=${this.internalCount} in ${seconds.toFixed(1)} s`
    );
  }

  markdown(o: {
    seed: number;
    seconds: number;
    crashes: number;
    machine: string;
    protectedCall: string;
    gatewayErrorLines: string[];
  }): string {
    const codes = Tally.list(this.errorCodes);
    return [
      `## Fuzz run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
      '',
      `Machine: ${o.machine}.  `,
      `Command: \`FUZZ_WRITE_RESULTS=1 FUZZ_SEED=${o.seed} npx jest test/integration/fuzz\` (test/integration/fuzz/fuzz.test.ts). Took ${o.seconds.toFixed(1)} s.`,
      '',
      '| | count |',
      '| --- | --- |',
      `| HTTP requests | ${this.httpRequests} |`,
      `| by status | ${Tally.list(this.byStatus)} |`,
      `| HTTP 5xx | ${this.http5xx} |`,
      `| connections cut by the server (bodies over 16 MB, request lines over 16 KB) | ${this.transportErrors} |`,
      `| GraphQL error objects (all with extensions.code) | ${this.graphqlErrors} |`,
      `| error codes | ${codes} |`,
      `| graphql-ws sockets / frames sent / frames received | ${this.wsSockets} / ${this.wsFramesSent} / ${this.wsFramesReceived} |`,
      `| graphql-ws close codes | ${Tally.list(this.wsCloseCodes)} |`,
      `| /healthz 200 during and after | ${this.healthChecks - this.healthFailures}/${this.healthChecks} |`,
      `| gateway crashes | ${o.crashes} |`,
      `| gateway log lines at level error | ${o.gatewayErrorLines.length} |`,
      `| findings (5xx, errors without a code, stack traces, unparseable answers) | ${this.findingCount} |`,
      `| errors answered INTERNAL_SERVER_ERROR (they have a code; each one a bug) | ${this.internalCount} |`,
      '',
      `- Inputs by kind: ${Tally.list(this.byKind)}.`,
      `- ${o.protectedCall}`,
      '- graphql-ws 4500 closes come only from the scenarios where the client sends a server-only message type (next, error, connection_ack): graphql-ws 6.4 throws on those and use/ws closes with 4500 where the protocol asks for 4400 (library behaviour, expected per scenario in ws-fuzz.ts); any other 4500/1011 fails the test.',
      ...o.gatewayErrorLines.slice(0, 3).map((l) => `- Gateway error log: \`${Tally.oneLine(l)}\``),
      ...[...this.findings, ...this.internal]
        .slice(0, 10)
        .map((f) => `- ${f.what}: input \`${Tally.oneLine(f.input)}\`; answer \`${Tally.oneLine(f.answer)}\``),
      '',
    ].join('\n');
  }
}
