/**
 * The engine: one call from source text to everything InitLens reports for a file. The CLI, the extension, the
 * preview and the tests all go through here. It never throws: internal failures become `problems`.
 */
import type { Finding, SeveritySetting } from '../core/findings';
import { computeLineStarts, lineColAt, type Model, type Span } from '../core/model';
import { propagate, UNIT_GAUSSIAN, type InputAssumption } from '../core/propagate';
import type { Prediction } from '../core/report';
import type { FileReport, ModelReport } from '../core/report';
import { DEFAULT_THRESHOLDS, RULE_LIST, type Rule, type RuleFinding, type SignalThresholds } from '../core/rules';
import { isSuppressed, parseSuppressions } from '../core/suppress';
import { distrustInvalidSizes } from '../core/sizes';
import { distrustSyntaxDamage, errorIndex } from '../core/syntax-damage';
import { analyzerFor, type AnalyzerSession, type LanguageAnalyzer } from './languages';

export { RULES, type RuleMeta } from '../core/rules';

export interface CheckOptions {
  /** Per-rule severity overrides. */
  rules?: Record<string, SeveritySetting>;
  /** Input distribution assumed by the prediction (default unit Gaussian). */
  input?: InputAssumption;
  thresholds?: Partial<SignalThresholds>;
  /**
   * Texts longer than this many characters are not analyzed: the report holds one problem saying so (default
   * DEFAULT_MAX_CHARS). A 10 MB file is generated code or data, and analyzing it would hold the editor for seconds.
   */
  maxChars?: number;
}

/** About 2 MB of source, some 50,000 lines: far above any hand-written model file (the analyzers take ~20 ms per 1,000 lines). */
export const DEFAULT_MAX_CHARS = 2_000_000;

function sizeText(chars: number): string {
  return `${chars.toLocaleString('en-US')} characters`;
}

export function isCheckable(fileName: string): boolean {
  return analyzerFor(fileName) !== undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function checkText(text: string, fileName: string, options: CheckOptions = {}): FileReport {
  return checkWith(text, fileName, options, undefined);
}

/**
 * Checks one document as it is edited (the editor's re-check on each keystroke): the parse is incremental where
 * the analyzer offers it, and the prediction and findings of each model whose description and source text did
 * not change are reused, moved with the text around them. The report is the one `checkText` gives.
 */
export interface CheckSession {
  check(text: string, fileName: string, options?: CheckOptions): FileReport;
}

export function createCheckSession(): CheckSession {
  const state: SessionState = { analyzers: new Map(), models: new Map() };
  return { check: (text, fileName, options = {}) => checkWith(text, fileName, options, state) };
}

interface SessionState {
  analyzers: Map<string, AnalyzerSession>;
  /** Per model key (see modelKey), what the last check computed for the models found there. */
  models: Map<string, CachedModel[]>;
}

interface CachedModel {
  model: Model;
  prediction: Prediction;
  findings: Finding[];
  problems: FileReport['problems'];
  /** Offset of the model's first span when cached: findings move by the difference. */
  base: number;
}

function checkWith(text: string, fileName: string, options: CheckOptions, session: SessionState | undefined): FileReport {
  const analyzer = analyzerFor(fileName);
  const report: FileReport = { file: fileName, language: analyzer?.id, models: [], findings: [], problems: [] };
  if (!analyzer) return report;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (text.length > maxChars) {
    report.problems.push({
      message: `Not analyzed: the file has ${sizeText(text.length)}, over the limit of ${sizeText(maxChars)}; InitLens skips files this large (generated code or data).`,
    });
    return report;
  }
  if (!analyzer.mayContainModels(text)) return report;
  const starts = computeLineStarts(text);
  let models: Model[];
  try {
    const analysis = analyzerSession(analyzer, session).analyze(text, fileName);
    models = analysis.models;
    report.problems.push(...analysis.problems);
    for (const m of models) distrustInvalidSizes(m);
    if (analysis.syntaxErrors?.length) {
      const errors = errorIndex(analysis.syntaxErrors);
      for (const m of models) distrustSyntaxDamage(m, errors, (offset) => lineColAt(text, offset, starts).line);
    }
  } catch (e) {
    report.problems.push({ message: `internal error in the ${analyzer.id} analyzer: ${message(e)}` });
    return report;
  }
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const input = options.input ?? UNIT_GAUSSIAN;
  const optionsKey = session ? JSON.stringify([options.rules, thresholds, input, analyzer.id]) : '';
  const cached = new Map<string, CachedModel[]>();
  const keep = (key: string, entry: CachedModel) => {
    const list = cached.get(key);
    if (list) list.push(entry);
    else cached.set(key, [entry]);
  };
  for (const model of models) {
    const key = session ? modelKey(model, text, optionsKey) : undefined;
    const hit = key && session!.models.get(key.key)?.find((c) => sameModel(model, c.model, key.base - c.base));
    if (key && hit) {
      const delta = key.base - hit.base;
      report.models.push({ model, prediction: hit.prediction });
      report.findings.push(...hit.findings.map((f) => moveFinding(f, delta)));
      report.problems.push(...hit.problems.map((p) => (p.span ? { ...p, span: moveSpan(p.span, delta) } : p)));
      keep(key.key, hit);
      continue;
    }
    let modelReport: ModelReport;
    try {
      modelReport = { model, prediction: propagate(model, input) };
    } catch (e) {
      report.problems.push({ message: `internal error predicting model '${model.name}': ${message(e)}`, span: model.span });
      continue;
    }
    report.models.push(modelReport);
    const problemsBefore = report.problems.length;
    const findings = runRules(modelReport, thresholds, options, text, analyzer, report);
    report.findings.push(...findings);
    for (const note of model.notes) report.problems.push({ message: `${model.name}: ${note}`, span: model.span });
    // A model is reused only when everything its fixes edit lies in its own text, and no internal error occurred.
    const problems = report.problems.slice(problemsBefore);
    if (key && !problems.some((p) => p.message.startsWith('internal error')) && findings.every((f) => editsWithin(f, key))) {
      keep(key.key, { model, prediction: modelReport.prediction, findings, problems, base: key.base });
    }
  }
  if (session) session.models = cached;
  const suppressions = parseSuppressions(text);
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

function analyzerSession(analyzer: LanguageAnalyzer, session: SessionState | undefined): AnalyzerSession {
  if (!session || !analyzer.createSession) return analyzer;
  let s = session.analyzers.get(analyzer.id);
  if (!s) session.analyzers.set(analyzer.id, (s = analyzer.createSession()));
  return s;
}

/**
 * Where a model's check may be reused from: the source text from its first to its last span (and the options).
 * A cached model matches when, besides, its description equals the new one with every span moved by the
 * difference of the first spans (sameModel): then the prediction and findings are equal, moved the same way,
 * since the rules read nothing but the description and the fixes edit nothing outside that text (checked
 * before caching).
 */
function modelKey(model: Model, text: string, optionsKey: string): { key: string; base: number; lo: number; hi: number } {
  const range = { lo: Infinity, hi: -Infinity };
  spanRange(model, range, 0);
  const { lo, hi } = Number.isFinite(range.lo) ? range : { lo: 0, hi: 0 };
  return { key: `${optionsKey}\u0000${text.slice(lo, hi)}`, base: lo, lo, hi };
}

/** The smallest and largest offsets of the Span objects ({start, end} and nothing else) reachable from `v`. */
function spanRange(v: unknown, out: { lo: number; hi: number }, depth: number): void {
  if (typeof v !== 'object' || v === null || depth > 64) return;
  if (Array.isArray(v)) {
    for (const x of v) spanRange(x, out, depth + 1);
    return;
  }
  if (isSpan(v)) {
    if (v.start < out.lo) out.lo = v.start;
    if (v.end > out.hi) out.hi = v.end;
    return;
  }
  for (const k in v) spanRange((v as Record<string, unknown>)[k], out, depth + 1);
}

function isSpan(v: object): v is Span {
  const o = v as Record<string, unknown>;
  if (typeof o.start !== 'number' || typeof o.end !== 'number') return false;
  let n = 0;
  for (const _ in o) n++;
  return n === 2;
}

/** Deep equality of two model descriptions (plain data), where every span of `a` is that of `b` moved by `delta`. */
function sameModel(a: unknown, b: unknown, delta: number, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  if (depth > 64) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameModel(a[i], b[i], delta, depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (isSpan(a)) return isSpan(b) && a.start === b.start + delta && a.end === b.end + delta;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    n++;
    if (!sameModel(ao[k], bo[k], delta, depth + 1)) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

function editsWithin(f: Finding, range: { lo: number; hi: number }): boolean {
  return f.fixes.every((fix) => (fix.edits ?? []).every((e) => e.span.start >= range.lo && e.span.end <= range.hi));
}

function moveSpan(span: Span, delta: number): Span {
  return delta === 0 ? span : { start: span.start + delta, end: span.end + delta };
}

function moveFinding(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    span: moveSpan(f.span, delta),
    related: f.related.map((r) => ({ ...r, span: moveSpan(r.span, delta) })),
    fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits?.map((e) => ({ ...e, span: moveSpan(e.span, delta) })) })),
  };
}

function runRules(
  { model, prediction }: ModelReport,
  thresholds: SignalThresholds,
  options: CheckOptions,
  text: string,
  analyzer: LanguageAnalyzer,
  report: FileReport,
): Finding[] {
  const ctx = { model, prediction, thresholds };
  const found: { rule: Rule; finding: RuleFinding }[] = [];
  for (const rule of RULE_LIST) {
    if (options.rules?.[rule.meta.id] === 'off') continue;
    try {
      for (const finding of rule.check(ctx)) found.push({ rule, finding });
    } catch (e) {
      report.problems.push({ message: `internal error in rule ${rule.meta.id} on model '${model.name}': ${message(e)}`, span: model.span });
    }
  }
  return withoutSuperseded(found).map(({ rule, finding }): Finding => {
    const setting = options.rules?.[rule.meta.id];
    const fixes = finding.fixes
      .map((fix) => ({ ...fix, edits: safeEdits(analyzer, text, model, fix.intent, report) }))
      .filter((fix) => fix.edits !== undefined && fix.edits.length > 0);
    return { ...finding, ruleId: rule.meta.id, model: model.name, severity: setting && setting !== 'off' ? setting : finding.severity, fixes };
  });
}

/** The initializers a finding's fixes replace, as `layer/slot` keys. */
function fixTargets(finding: RuleFinding): string[] {
  return finding.fixes.flatMap(({ intent }) => (intent.kind === 'setInitializer' ? [`${intent.layer}/${intent.slot}`] : []));
}

/**
 * One fix per initializer: a finding whose fix replaces the same initializer as a finding of a rule it yields to
 * (`RuleMeta.supersededBy`) is dropped. Only findings of rules that ran count, so a rule turned off never silences
 * another.
 */
function withoutSuperseded<T extends { rule: Rule; finding: RuleFinding }>(found: readonly T[]): T[] {
  const targetsByRule = new Map<string, Set<string>>();
  for (const { rule, finding } of found) {
    let targets = targetsByRule.get(rule.meta.id);
    if (!targets) targetsByRule.set(rule.meta.id, (targets = new Set()));
    for (const t of fixTargets(finding)) targets.add(t);
  }
  return found.filter(({ rule, finding }) => {
    const over = rule.meta.supersededBy ?? [];
    const targets = fixTargets(finding);
    return !targets.some((t) => over.some((id) => targetsByRule.get(id)?.has(t)));
  });
}

function safeEdits(analyzer: LanguageAnalyzer, text: string, model: Model, intent: Parameters<LanguageAnalyzer['fixEdits']>[2], report: FileReport) {
  try {
    return analyzer.fixEdits(text, model, intent);
  } catch (e) {
    report.problems.push({ message: `internal error building a fix: ${message(e)}` });
    return undefined;
  }
}
