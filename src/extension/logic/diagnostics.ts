/**
 * Findings → what a diagnostic shows: severity, message, the rule id with its documentation link, the related
 * locations as the rule stated them (passed through, so the editor shows what JSON, SARIF and the text format
 * show), tags; and the file's analysis problems (syntax errors, caps hit) folded into one information
 * diagnostic. Offsets stay offsets: the vscode adapter turns them into positions with `document.positionAt`.
 *
 * Pure: no vscode import.
 */
import type { Finding, RelatedLocation, Severity } from '../../core/findings';
import type { Span } from '../../core/model';
import type { FileReport, ModelReport } from '../../core/report';

export type DiagnosticTagName = 'unnecessary' | 'deprecated';

/** A related location, as the rule that made the finding states it (the same in JSON and SARIF). */
export type RelatedData = RelatedLocation;

export interface DiagnosticData {
  span: Span;
  severity: Severity;
  message: string;
  /** Rule id (the diagnostic's code); undefined for the analysis-problems diagnostic. */
  ruleId?: string;
  /** The rule's documentation page (the code's target). */
  href?: string;
  related: RelatedData[];
  tags: DiagnosticTagName[];
  /** Index of the finding in `report.findings` (undefined for the analysis-problems diagnostic). */
  finding?: number;
}

export const SOURCE = 'initlens';

/** Code of the diagnostic that reports analysis problems (not a rule: no documentation link). */
export const ANALYSIS_CODE = 'analysis';

/**
 * Tags by rule. None of the current rules marks code that is unused or deprecated: the closest, a `minval: 0`
 * that tfjs replaces by its default (tfjs-falsy-arg), is a bug to fix, not dead code to fade out.
 */
export const RULE_TAGS: Readonly<Record<string, DiagnosticTagName[]>> = {};

/**
 * `https://github.com/o/r` + `/blob/main/docs/rules/<id>.md`, from the manifest's `repository` (a string or
 * `{url}`; `git+…`, `.git` and `github:o/r` shorthand accepted).
 */
export function docsUrl(repository: unknown, ruleId: string): string | undefined {
  const raw: unknown = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof raw !== 'string' || !raw) return undefined;
  let url = raw.trim().replace(/^git\+/, '');
  const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url);
  if (shorthand) url = `https://github.com/${shorthand[1]}/${shorthand[2]}`;
  url = url.replace(/^git:\/\//, 'https://').replace(/^ssh:\/\/git@/, 'https://').replace(/\.git$/, '').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) return undefined;
  return `${url}/blob/main/docs/rules/${ruleId}.md`;
}

function inside(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

function modelOf(report: FileReport, finding: Finding): ModelReport | undefined {
  return (
    report.models.find((m) => m.model.name === finding.model && inside(finding.span, spanOfModel(m))) ??
    report.models.find((m) => m.model.name === finding.model)
  );
}

/** The findings about one model (by name, and by place when several models of the file share the name). */
export function findingsOfModel(report: FileReport, model: ModelReport): Finding[] {
  return report.findings.filter((f) => modelOf(report, f) === model);
}

/** How many findings each model of the report has (by model index), as findingsOfModel counts them, in one pass. */
export function findingCounts(report: FileReport): number[] {
  const counts = report.models.map(() => 0);
  const index = new Map(report.models.map((m, i) => [m, i]));
  for (const f of report.findings) {
    const m = modelOf(report, f);
    if (m) counts[index.get(m)!]++;
  }
  return counts;
}

/** The whole extent of a model in the text: its construction and every layer. */
export function spanOfModel(m: ModelReport): Span {
  let start = m.model.span.start;
  let end = m.model.span.end;
  for (const l of m.model.layers) {
    start = Math.min(start, l.span.start);
    end = Math.max(end, l.span.end);
  }
  return { start, end };
}

/** One diagnostic per finding, in the engine's order. */
export function diagnosticsOf(report: FileReport, repository: unknown): DiagnosticData[] {
  const out: DiagnosticData[] = report.findings.map((f, i) => ({
    span: f.span,
    severity: f.severity,
    message: f.message,
    ruleId: f.ruleId,
    href: docsUrl(repository, f.ruleId),
    related: f.related,
    tags: RULE_TAGS[f.ruleId] ?? [],
    finding: i,
  }));
  const problem = problemDiagnostic(report);
  if (problem) out.push(problem);
  return out;
}

/**
 * The file's analysis problems as one information diagnostic at the first located problem (or the file's start):
 * "InitLens analyzed this file only in part: Syntax error: ',' expected. (and 2 more)". Undefined when there are
 * none. The problems are not findings: they say where InitLens could not look.
 */
export function problemDiagnostic(report: FileReport): DiagnosticData | undefined {
  if (!report.problems.length) return undefined;
  const located = report.problems.find((p) => p.span);
  const first = located ?? report.problems[0];
  const more = report.problems.length - 1;
  const message =
    `InitLens analyzed this file only in part: ${first.message.replace(/\s*\n\s*/g, ' ')}` +
    (more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'}: see the InitLens output)` : '');
  const span = first.span ?? { start: 0, end: 0 };
  return { span, severity: 'info', message, ruleId: undefined, related: [], tags: [] };
}
