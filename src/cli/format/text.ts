/**
 * The human format, after ESLint's "stylish": each file with its findings as aligned rows
 * (`line:col  severity  message  rule-id`), each followed by its related locations (`↳ line:col  message`, as
 * the editor, JSON and SARIF show them), one summary line per model, and a total.
 */
import type { Severity } from '../../core/findings';
import type { Span } from '../../core/model';
import type { ModelReport } from '../../core/report';
import { factor } from '../../core/format';
import { layerCount } from '../../engine/summary';
import { type CheckedFile, countFindings, rangeOf, type RunResult } from '../results';

export interface TextOptions {
  color: boolean;
  /** Errors only: no model summaries either. */
  quiet?: boolean;
}

interface Style {
  path(s: string): string;
  dim(s: string): string;
  severity(s: string, severity: Severity | 'problem'): string;
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

const PLAIN: Style = {
  path: (s) => s,
  dim: (s) => s,
  severity: (s) => s,
  bold: (s) => s,
  red: (s) => s,
  yellow: (s) => s,
  green: (s) => s,
};

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const COLOR: Style = {
  path: sgr(4, 24),
  dim: sgr(2, 22),
  severity: (s, severity) =>
    (severity === 'error' ? sgr(31, 39) : severity === 'warning' ? sgr(33, 39) : severity === 'info' ? sgr(34, 39) : sgr(35, 39))(s),
  bold: sgr(1, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
};

const MAX_ALIGNED_MESSAGE = 100;

interface Row {
  position: string;
  severity: Severity | 'problem';
  message: string;
  ruleId: string;
  /** The finding's related locations: `line:col` and message. */
  related: { position: string; message: string }[];
}

export function formatText(result: RunResult, options: TextOptions): string {
  const style = options.color ? COLOR : PLAIN;
  const out: string[] = [];
  let checked = 0;
  let models = 0;

  for (const file of result.files) {
    const report = file.report;
    if (!report) continue; // paths that could not be checked are said on stderr
    checked++;
    models += report.models.length;
    const rows = rowsOf(file);
    const summaries = options.quiet ? [] : report.models.map(modelSummary);
    if (rows.length === 0 && summaries.length === 0) continue;

    out.push(style.path(file.path));
    const longest = Math.max(...rows.map((r) => r.message.length), 0);
    const widths = {
      position: Math.max(...rows.map((r) => r.position.length), 0),
      severity: Math.max(...rows.map((r) => r.severity.length), 0),
      // Rule ids are aligned as ESLint does, unless a long message would push them far to the right.
      message: longest <= MAX_ALIGNED_MESSAGE ? longest : 0,
    };
    for (const row of rows) {
      const cells = [
        `  ${style.dim(row.position.padStart(widths.position))}`,
        style.severity(row.severity.padEnd(widths.severity), row.severity),
        row.ruleId ? row.message.padEnd(widths.message) : row.message,
      ];
      if (row.ruleId) cells.push(style.dim(row.ruleId));
      out.push(cells.join('  ').trimEnd());
      const indent = ' '.repeat(2 + widths.position + 2);
      for (const r of row.related) out.push(`${indent}${style.dim(`↳ ${r.position}`)}  ${r.message}`);
    }
    for (const summary of summaries) out.push(`  ${summary}`);
    out.push('');
  }

  const counts = countFindings(result.files);
  const total = counts.errors + counts.warnings + counts.infos;
  const unchecked = result.files.filter((f) => !f.report && f.notices.some((n) => n.fatal)).length;
  if (total > 0) {
    const line =
      `✖ ${plural(total, 'problem')} (${plural(counts.errors, 'error')}, ` +
      `${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')})`;
    const paint = counts.errors > 0 ? style.red : style.yellow;
    out.push(style.bold(paint(line)));
  } else {
    const what = `${plural(checked, 'file')} checked, ${plural(models, 'model')}`;
    out.push(checked > 0 ? style.green(`✔ no problems (${what})`) : `no files checked`);
  }
  if (unchecked > 0) {
    out.push(style.red(`✖ ${plural(unchecked, 'path')} could not be checked (see standard error)`));
  }
  return `${out.join('\n')}\n`;
}

function rowsOf(file: CheckedFile): Row[] {
  const report = file.report!;
  const rows: { row: Row; offset: number }[] = [];
  for (const problem of report.problems) {
    const range = problem.span ? rangeOf(file, problem.span) : undefined;
    rows.push({
      row: { position: range ? `${range.line}:${range.column}` : '', severity: 'problem', message: oneLine(problem.message), ruleId: '', related: [] },
      offset: problem.span?.start ?? -1,
    });
  }
  for (const finding of report.findings) {
    const related = finding.related.map((r) => ({ position: position(file, r.span), message: oneLine(r.message) }));
    rows.push({
      row: { position: position(file, finding.span), severity: finding.severity, message: oneLine(finding.message), ruleId: finding.ruleId, related },
      offset: finding.span.start,
    });
  }
  // Sorted by position, as ESLint does; a stable sort keeps the engine's order on ties.
  return rows.sort((a, b) => a.offset - b.offset).map((r) => r.row);
}

/** `model 'mlp' (8 layers): signal ×0.0015 at the read-out` */
export function modelSummary({ model, prediction }: ModelReport): string {
  const head = `model '${model.name}' (${plural(layerCount(model.layers), 'layer')})`;
  if (prediction.readout === undefined) return `${head}: no weighted layer`;
  const ratio = prediction.readoutRatio;
  if (!ratio) return `${head}: signal at the read-out not predicted`;
  const exact = ratio.estimate !== undefined && ratio.lo === ratio.hi;
  if (exact) return `${head}: signal ${factor(ratio.estimate!)} at the read-out`;
  const bounded = Number.isFinite(ratio.hi) || ratio.lo > 0;
  const range = bounded ? `between ${factor(ratio.lo)} and ${factor(ratio.hi)}` : '';
  if (ratio.estimate !== undefined) {
    return `${head}: signal ${factor(ratio.estimate)} at the read-out${range ? ` (${range} for what is not known exactly)` : ''}`;
  }
  if (range) return `${head}: signal ${range} at the read-out`;
  const stop = prediction.stoppedAt;
  const why = stop ? ` (prediction stops at layer ${stop.index}: ${stop.reason})` : '';
  return `${head}: signal at the read-out unknown${why}`;
}

function position(file: CheckedFile, span: Span): string {
  const range = rangeOf(file, span);
  return `${range.line}:${range.column}`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
