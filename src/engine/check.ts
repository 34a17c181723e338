/**
 * The engine: one call from source text to everything InitLens reports for a file. The CLI, the extension, the
 * preview and the tests all go through here. It never throws: internal failures become `problems`.
 */
import type { Finding, SeveritySetting } from '../core/findings';
import { computeLineStarts, type Model } from '../core/model';
import { propagate, UNIT_GAUSSIAN, type InputAssumption } from '../core/propagate';
import type { FileReport, ModelReport } from '../core/report';
import { DEFAULT_THRESHOLDS, RULE_LIST, type SignalThresholds } from '../core/rules';
import { isSuppressed, parseSuppressions } from '../core/suppress';
import { analyzerFor, type LanguageAnalyzer } from './languages';

export { RULES, type RuleMeta } from '../core/rules';

export interface CheckOptions {
  /** Per-rule severity overrides. */
  rules?: Record<string, SeveritySetting>;
  /** Input distribution assumed by the prediction (default unit Gaussian). */
  input?: InputAssumption;
  thresholds?: Partial<SignalThresholds>;
}

export function isCheckable(fileName: string): boolean {
  return analyzerFor(fileName) !== undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function checkText(text: string, fileName: string, options: CheckOptions = {}): FileReport {
  const analyzer = analyzerFor(fileName);
  const report: FileReport = { file: fileName, language: analyzer?.id, models: [], findings: [], problems: [] };
  if (!analyzer || !analyzer.mayContainModels(text)) return report;
  let models: Model[];
  try {
    const analysis = analyzer.analyze(text, fileName);
    models = analysis.models;
    report.problems.push(...analysis.problems);
  } catch (e) {
    report.problems.push({ message: `internal error in the ${analyzer.id} analyzer: ${message(e)}` });
    return report;
  }
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const input = options.input ?? UNIT_GAUSSIAN;
  for (const model of models) {
    let modelReport: ModelReport;
    try {
      modelReport = { model, prediction: propagate(model, input) };
    } catch (e) {
      report.problems.push({ message: `internal error predicting model '${model.name}': ${message(e)}`, span: model.span });
      continue;
    }
    report.models.push(modelReport);
    report.findings.push(...runRules(modelReport, thresholds, options, text, analyzer, report));
    for (const note of model.notes) report.problems.push({ message: `${model.name}: ${note}`, span: model.span });
  }
  const suppressions = parseSuppressions(text);
  const starts = computeLineStarts(text);
  const seen = new Set<string>();
  report.findings = report.findings
    .filter((f) => !isSuppressed(suppressions, f, text, starts))
    // A shared initializer variable is one place in the source: say a thing about it once.
    .filter((f) => {
      const key = `${f.ruleId}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return report;
}

function runRules(
  { model, prediction }: ModelReport,
  thresholds: SignalThresholds,
  options: CheckOptions,
  text: string,
  analyzer: LanguageAnalyzer,
  report: FileReport,
): Finding[] {
  const out: Finding[] = [];
  const ctx = { model, prediction, thresholds };
  for (const rule of RULE_LIST) {
    const setting = options.rules?.[rule.meta.id];
    if (setting === 'off') continue;
    try {
      for (const f of rule.check(ctx)) {
        const fixes = f.fixes
          .map((fix) => ({ ...fix, edits: safeEdits(analyzer, text, model, fix.intent, report) }))
          .filter((fix) => fix.edits !== undefined && fix.edits.length > 0);
        out.push({ ...f, ruleId: rule.meta.id, model: model.name, severity: setting ?? f.severity, fixes });
      }
    } catch (e) {
      report.problems.push({ message: `internal error in rule ${rule.meta.id} on model '${model.name}': ${message(e)}`, span: model.span });
    }
  }
  return out;
}

function safeEdits(analyzer: LanguageAnalyzer, text: string, model: Model, intent: Parameters<LanguageAnalyzer['fixEdits']>[2], report: FileReport) {
  try {
    return analyzer.fixEdits(text, model, intent);
  } catch (e) {
    report.problems.push({ message: `internal error building a fix: ${message(e)}` });
    return undefined;
  }
}
