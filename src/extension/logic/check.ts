/**
 * One check of one text, as the extension runs it: the file name the engine analyzes the document as, the reasons
 * not to check it (the analyzer is off, no model here), the engine's report, and its diagnostics with line and
 * character positions already computed (so the extension host's thread only wraps them in vscode objects).
 *
 * The same function runs in the check worker (Node: src/extension/check-worker.ts) and on the extension host's
 * thread (the web build, and the fallback when the worker cannot run), so both give the same result.
 *
 * Pure: no vscode import; the engine comes in as a parameter.
 */
import { computeLineStarts, lineColAt, type Span } from '../../core/model';
import type { FileReport } from '../../core/report';
import type { CheckOptions } from '../../engine/check';
import { DEFAULT_THRESHOLDS } from '../../core/rules/types';
import { modelLenses, type ModelLens } from './codelens';
import { diagnosticsOf, type DiagnosticData } from './diagnostics';
import { engineFileName } from './languages';

/** What runCheck needs of the engine (src/extension/engine.ts). */
export interface CheckEngine {
  checkText(text: string, fileName: string, options?: CheckOptions): FileReport;
  isCheckable(fileName: string): boolean;
  analyzerIdFor(fileName: string): string | undefined;
  mayContainModels(text: string, fileName: string): boolean;
  readonly CLAIMED_EXTENSIONS: readonly string[];
}

/** A check session of one document (the engine's incremental re-check); see src/engine/check.ts. */
export interface CheckSessionLike {
  check(text: string, fileName: string, options?: CheckOptions): FileReport;
}

export interface CheckInput {
  text: string;
  /** The document's path (`uri.path`, or the file name). */
  path: string;
  /**
   * VS Code's language id of the document: a path without an extension an analyzer claims is analyzed with the
   * language's (untitled buffers). Undefined for a file read from disk: its path as it is.
   */
  languageId?: string;
  /** Analyzers to run (`initlens.frameworks`); undefined: every analyzer. */
  frameworks?: readonly string[];
  options: CheckOptions;
  /** The manifest's `repository`, for the rules' documentation links. */
  repository?: unknown;
  /**
   * Check with whatever analyzer the file name selects, even when it is off or the text does not mention its
   * framework (the preview shows what it is asked to).
   */
  force?: boolean;
  /** Key of the document's check session (its URI): re-checks after an edit reuse the parse and unchanged models. */
  session?: string;
}

export type SkipCode = 'not-checkable' | 'analyzer-off' | 'no-model';

export interface PositionData {
  line: number;
  character: number;
}

export interface RangeData {
  start: PositionData;
  end: PositionData;
}

/** A diagnostic as `diagnosticsOf` makes it, with ranges instead of offsets. */
export interface PositionedDiagnostic extends Omit<DiagnosticData, 'span' | 'related'> {
  range: RangeData;
  related: { range: RangeData; message: string }[];
}

export type CheckOutcome =
  | { kind: 'skipped'; code: SkipCode; reason: string }
  | {
      kind: 'checked';
      report: FileReport;
      diagnostics: PositionedDiagnostic[];
      /** Time of the engine's check (ms). */
      durationMs: number;
      /** The thread that checked (worker_threads' threadId; 0 is Node's main thread), where known. */
      threadId?: number;
      /** The CodeLens of each model, for the thresholds of the check's options. */
      lenses?: ModelLens[];
      /**
       * Where each model lies and its name, when the models are read only on demand (from the worker: a hover
       * reads the models around the cursor, not all of them).
       */
      modelIndex?: { extents: [number, number][]; names: string[] };
    };

/**
 * `offset → {line, character}` as VS Code's `TextDocument.positionAt` computes it: lines end at `\r\n`, `\n` or
 * `\r`; an offset is clamped into the text, and into its line (never inside the line break).
 */
export function positionMapper(text: string): (offset: number) => PositionData {
  const starts = computeLineStarts(text);
  const lineEnd = (i: number): number => {
    if (i + 1 >= starts.length) return text.length;
    const next = starts[i + 1];
    return text.charCodeAt(next - 1) === 10 && text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  };
  return (offset) => {
    const o = Math.max(0, Math.min(Math.floor(offset), text.length));
    const line = lineColAt(text, o, starts).line - 1;
    return { line, character: Math.min(o, lineEnd(line)) - starts[line] };
  };
}

const sameRange = (a: RangeData, b: RangeData) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Whether two lists of diagnostics show the same thing (ranges, severities, messages, codes, links, related
 * information, tags), whatever findings they point to. Typing within a line leaves the diagnostics of every other
 * line where they were: republishing 1,000 equal diagnostics would only cost the extension host's thread.
 */
export function samePositionedDiagnostics(a: readonly PositionedDiagnostic[], b: readonly PositionedDiagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.message !== y.message || x.severity !== y.severity || x.ruleId !== y.ruleId || x.href !== y.href || !sameRange(x.range, y.range)) return false;
    if (x.related.length !== y.related.length || x.tags.length !== y.tags.length) return false;
    for (let j = 0; j < x.related.length; j++) if (x.related[j].message !== y.related[j].message || !sameRange(x.related[j].range, y.related[j].range)) return false;
    for (let j = 0; j < x.tags.length; j++) if (x.tags[j] !== y.tags[j]) return false;
  }
  return true;
}

/** The diagnostics of a report, positioned in its text. */
export function positionedDiagnostics(data: readonly DiagnosticData[], text: string): PositionedDiagnostic[] {
  const at = positionMapper(text);
  const range = (s: Span): RangeData => ({ start: at(s.start), end: at(s.end) });
  return data.map(({ span, related, ...rest }) => ({ ...rest, range: range(span), related: related.map((r) => ({ range: range(r.span), message: r.message })) }));
}

/** Whether the analyzer runs under `initlens.frameworks`. */
function analyzerOn(frameworks: readonly string[] | undefined, id: string | undefined): boolean {
  return !!id && (frameworks === undefined || frameworks.includes(id));
}

/**
 * Checks one text: the skip reasons first (cheap), then the engine (through the document's session when one is
 * given), then the diagnostics. Never throws for what the engine reports; the engine itself never throws.
 */
export function runCheck(engine: CheckEngine, input: CheckInput, session?: CheckSessionLike): CheckOutcome {
  const fileName = input.languageId === undefined ? input.path : engineFileName(input.path, input.languageId, engine.CLAIMED_EXTENSIONS);
  if (!engine.isCheckable(fileName)) return { kind: 'skipped', code: 'not-checkable', reason: 'not a file InitLens analyzes (declaration file or unknown extension)' };
  const analyzer = engine.analyzerIdFor(fileName);
  if (!input.force) {
    if (!analyzerOn(input.frameworks, analyzer)) return { kind: 'skipped', code: 'analyzer-off', reason: `the ${analyzer} analyzer is off in "initlens.frameworks"` };
    if (!engine.mayContainModels(input.text, fileName)) {
      return { kind: 'skipped', code: 'no-model', reason: `no ${analyzer} model here (the file does not import or mention ${analyzer})` };
    }
  }
  const t0 = performance.now();
  const report = session ? session.check(input.text, fileName, input.options) : engine.checkText(input.text, fileName, input.options);
  const durationMs = performance.now() - t0;
  const diagnostics = positionedDiagnostics(diagnosticsOf(report, input.repository), input.text);
  const lenses = modelLenses(report, { ...DEFAULT_THRESHOLDS, ...input.options.thresholds });
  return { kind: 'checked', report, diagnostics, durationMs, lenses };
}
