/** Progress lines while running; the summary table and the markdown section at the end. */
import { cpus, totalmem } from 'node:os';

export interface Goal {
  text: string;
  /** null: not decidable in this run (e.g. skipped part). */
  met: boolean | null;
  measured: string;
}

export interface SuiteResult {
  id: string;
  title: string;
  headers: string[];
  rows: string[][];
  goals: Goal[];
  notes: string[];
}

const t0 = Date.now();

export function progress(msg: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${msg}\n`);
}

export function machine(): string {
  const c = cpus();
  const model = c[0]?.model.trim() ?? 'unknown CPU';
  return `${c.length} cores, ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function verdict(g: Goal): string {
  return g.met === null ? 'n/a' : g.met ? 'MET' : 'MISSED';
}

function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function mdTable(headers: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function consoleSummary(results: SuiteResult[], failures: Array<{ id: string; error: string }>): string {
  const parts: string[] = ['', '='.repeat(72), `patchbay bench — ${machine()}`, '='.repeat(72)];
  for (const r of results) {
    parts.push('', `${r.id}. ${r.title}`, textTable(r.headers, r.rows));
    for (const n of r.notes) parts.push(`   note: ${n}`);
  }
  const goals = results.flatMap((r) => r.goals.map((g) => [r.id, g.text, g.measured, verdict(g)]));
  if (goals.length) parts.push('', 'Goals', textTable(['', 'goal', 'measured', ''], goals));
  for (const f of failures) parts.push('', `${f.id}. FAILED: ${f.error}`);
  return parts.join('\n') + '\n';
}

export function markdownSection(
  results: SuiteResult[],
  failures: Array<{ id: string; error: string }>,
  args: string[],
  startedAt: Date,
  extra: string[] = [],
): string {
  const parts: string[] = [
    `## ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `Machine: ${machine()}.  `,
    `Command: \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\`${extra.length ? '  ' : ''}`,
    ...extra,
  ];
  const goals = results.flatMap((r) => r.goals.map((g) => [r.id, g.text, g.measured, verdict(g)]));
  if (goals.length) parts.push('', '### Goals', '', mdTable(['', 'goal', 'measured', 'verdict'], goals));
  for (const r of results) {
    parts.push('', `### ${r.id}. ${r.title}`, '', mdTable(r.headers, r.rows));
    if (r.notes.length) parts.push('', ...r.notes.map((n) => `- ${n}`));
  }
  for (const f of failures) parts.push('', `### ${f.id}. FAILED`, '', '```', f.error, '```');
  return parts.join('\n') + '\n';
}
