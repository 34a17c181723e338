/**
 * The language status item's text: what was checked in the active editor, models and findings found, the time
 * it took against the time budget (`initlens.timeBudget.onValidation`, as ESLint's), and what limited it.
 *
 * Pure: no vscode import.
 */
import type { FileReport } from '../../core/report';
import { formatDuration } from '../../core/format';

export type StatusSeverity = 'information' | 'warning' | 'error';

export interface StatusInput {
  /** Why the document is not checked (disabled, framework off, not a model file...), if it is not. */
  skipped?: string;
  report?: FileReport;
  durationMs?: number;
  budget: { warn: number; error: number };
  /** A check is scheduled or running. */
  busy?: boolean;
  /** Messages of internal errors (an analyzer or a rule crashed: said, never thrown). */
  errors?: string[];
}

export interface StatusView {
  text: string;
  detail: string;
  severity: StatusSeverity;
  busy: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function statusView(input: StatusInput): StatusView {
  const busy = !!input.busy;
  if (input.skipped) return { text: 'InitLens', detail: input.skipped, severity: 'information', busy };
  const report = input.report;
  if (!report) return { text: 'InitLens', detail: busy ? 'checking…' : 'not checked yet', severity: 'information', busy };
  const findings = report.findings.length;
  const models = report.models.length;
  const internal = [...(input.errors ?? []), ...report.problems.filter((p) => p.message.startsWith('internal error')).map((p) => p.message)];
  const limited = report.problems.length - internal.filter((m) => report.problems.some((p) => p.message === m)).length;
  const text = models === 0 ? 'InitLens: no model' : `InitLens: ${plural(models, 'model')}, ${plural(findings, 'finding')}`;
  const parts: string[] = [];
  if (report.language) parts.push(report.language);
  if (input.durationMs !== undefined) parts.push(`checked in ${formatDuration(input.durationMs)}`);
  if (limited > 0) parts.push(`analysis limited (${plural(limited, 'problem')})`);
  let severity: StatusSeverity = 'information';
  if (internal.length) {
    severity = 'error';
    parts.push(`${plural(internal.length, 'internal error')}: see the output`);
  }
  const ms = input.durationMs ?? 0;
  if (ms > input.budget.error) {
    severity = 'error';
    parts.push(`over the ${formatDuration(input.budget.error)} budget: consider "initlens.run": "onSave"`);
  } else if (ms > input.budget.warn) {
    if (severity === 'information') severity = 'warning';
    parts.push(`over the ${formatDuration(input.budget.warn)} budget`);
  }
  return { text, detail: parts.join(' · '), severity, busy };
}
