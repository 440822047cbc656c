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
      if (code === 'INTERNAL_SERVER_ERROR') this.find(`${where}: INTERNAL_SERVER_ERROR`, input, JSON.stringify(e));
      if (JSON.stringify(e).includes('stacktrace')) this.find(`${where}: error carries a stack trace`, input, JSON.stringify(e));
    }
  }

  private static list(map: Map<string, number>): string {
    return [...map].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}:${n}`).join(' ');
  }

  summaryLine(seed: number, seconds: number, crashes: number): string {
    return (
      `fuzz seed=${seed} requests=${this.httpRequests} by-status[${Tally.list(this.byStatus)}] 5xx=${this.http5xx} transport-errors=${this.transportErrors} ` +
      `graphql-errors=${this.graphqlErrors} ws-sockets=${this.wsSockets} ws-frames-sent=${this.wsFramesSent} ws-frames-received=${this.wsFramesReceived} ` +
      `ws-close[${Tally.list(this.wsCloseCodes)}] healthz=${this.healthChecks - this.healthFailures}/${this.healthChecks} crashes=${crashes} findings=${this.findingCount} in ${seconds.toFixed(1)} s`
    );
  }

  markdown(o: { seed: number; seconds: number; crashes: number; machine: string; protectedCall: string }): string {
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
      `| connections reset by the server (bodies over 16 MB) | ${this.transportErrors} |`,
      `| GraphQL error objects (all with extensions.code) | ${this.graphqlErrors} |`,
      `| error codes | ${codes} |`,
      `| graphql-ws sockets / frames sent / frames received | ${this.wsSockets} / ${this.wsFramesSent} / ${this.wsFramesReceived} |`,
      `| graphql-ws close codes | ${Tally.list(this.wsCloseCodes)} |`,
      `| /healthz 200 during and after | ${this.healthChecks - this.healthFailures}/${this.healthChecks} |`,
      `| gateway crashes | ${o.crashes} |`,
      `| findings | ${this.findingCount} |`,
      '',
      `- Inputs by kind: ${Tally.list(this.byKind)}.`,
      `- ${o.protectedCall}`,
      ...this.findings.slice(0, 10).map((f) => `- Finding: ${f.what}; input \`${f.input.replace(/`/g, "'").replace(/\n/g, ' ')}\`; answer \`${f.answer.replace(/`/g, "'").replace(/\n/g, ' ')}\``),
      '',
    ].join('\n');
  }
}
