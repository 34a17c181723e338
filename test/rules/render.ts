/**
 * The readable text of a rule snapshot: what a user of the CLI or the editor reads for one fixture. Per finding:
 * rule, severity, range with the source text of the span, model and layer, message, related locations, and each
 * fix with its title, safety, a unified diff of its edits and what a re-check of the fixed text says. Then the
 * analysis problems and notes. Positions are 1-based line:column, as the CLI prints them.
 */
import type { Finding } from '../../src/core/findings';
import { computeLineStarts, lineColAt, type Span } from '../../src/core/model';
import type { FileReport } from '../../src/core/report';
import { applyEdits } from '../robustness/shared';

/** What re-checking the text after one fix found: whether it parses and which findings of the rule are left. */
export interface FixOutcome {
  syntaxErrors: number;
  /** The fixed finding is still reported (same rule, model and layer; for model findings, same message start). */
  stillThere: boolean;
}

export class SourceText {
  private readonly starts: number[];
  private readonly lines: string[];
  constructor(readonly text: string) {
    this.starts = computeLineStarts(text);
    this.lines = text.split(/\r\n|\r|\n/);
  }

  pos(offset: number): string {
    const lc = lineColAt(this.text, offset, this.starts);
    return `${lc.line}:${lc.column}`;
  }

  line(offset: number): number {
    return lineColAt(this.text, offset, this.starts).line;
  }

  /** `12:5-12:30 `text``: a span and its source text (one line; a longer span shows its first line and an ellipsis). */
  span(span: Span): string {
    const raw = this.text.slice(span.start, span.end);
    const first = raw.split(/\r\n|\r|\n/)[0];
    const shown = first.length > 100 ? `${first.slice(0, 97)}...` : first;
    const more = shown !== raw ? ' …' : '';
    return `${this.pos(span.start)}-${this.pos(span.end)} \`${shown}\`${more}`;
  }

  /** The source line (trimmed) at an offset, with its number. */
  lineAt(offset: number): string {
    const n = this.line(offset);
    return `line ${n}: \`${this.lines[n - 1].trim()}\``;
  }
}

/**
 * A unified diff of two texts with `context` lines around the one changed region (the lines between the common
 * prefix and the common suffix). Fix edits are local, so one hunk shows them; far-apart edits share one hunk.
 */
export function unifiedDiff(before: string, after: string, name: string, context = 1): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  if (pre === a.length && pre === b.length) return '(no change)';
  const lo = Math.max(0, pre - context);
  const aHi = Math.min(a.length, a.length - suf + context);
  const bHi = Math.min(b.length, b.length - suf + context);
  const out = [`--- a/${name}`, `+++ b/${name}`, `@@ -${lo + 1},${aHi - lo} +${lo + 1},${bHi - lo} @@`];
  for (let i = lo; i < pre; i++) out.push(` ${a[i]}`);
  for (let i = pre; i < a.length - suf; i++) out.push(`-${a[i]}`);
  for (let i = pre; i < b.length - suf; i++) out.push(`+${b[i]}`);
  for (let i = a.length - suf; i < aHi; i++) out.push(` ${a[i]}`);
  return out.join('\n');
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

export function renderFinding(f: Finding, src: SourceText, name: string, outcomes: FixOutcome[]): string {
  const out = [`${f.ruleId} ${f.severity} ${src.span(f.span)}`];
  out.push(`  model ${f.model}${f.layer !== undefined ? `, layer index ${f.layer}` : ''}`);
  out.push(`  message: ${f.message}`);
  for (const r of f.related) out.push(`  related ${src.span(r.span)}: ${r.message}`);
  f.fixes.forEach((fix, i) => {
    out.push(`  fix "${fix.title}" (${fix.safe ? 'safe' : 'unsafe'})`);
    out.push(indent(unifiedDiff(src.text, applyEdits(src.text, fix.edits ?? []), name), '    '));
    const o = outcomes[i];
    out.push(`    after the fix: ${o.syntaxErrors ? `${o.syntaxErrors} syntax error(s)` : 'parses'}; ${o.stillThere ? 'the finding is STILL reported' : 'the finding is gone'}`);
  });
  if (!f.fixes.length) out.push('  no fix');
  return out.join('\n');
}

export function renderReport(report: FileReport, src: SourceText, name: string, outcomes: (f: Finding) => FixOutcome[], header: string): string {
  const parts = [header];
  parts.push(`models: ${report.models.map((m) => `${m.model.name} (${m.model.layers.length} layers)`).join(', ') || 'none'}`);
  parts.push(`findings: ${report.findings.length}`);
  for (const f of report.findings) parts.push(renderFinding(f, src, name, outcomes(f)));
  for (const p of report.problems) parts.push(`problem${p.span ? ` ${src.pos(p.span.start)}` : ''}: ${p.message}`);
  return parts.join('\n\n') + '\n';
}
