/**
 * The messages between the extension host and its check worker (src/extension/check-worker.ts), and how a large
 * outcome travels in parts.
 *
 * A report is plain data and survives structured cloning, but deserializing a big one at once would block the
 * extension host as long as checking it in place: a 10,000-line file with 130 models and 1,100 findings is
 * 2.7 MB of V8 serialization, 40-70 ms to deserialize in one go, three quarters of it the models. So:
 * - the models travel serialized (PackedModels: one transferred buffer) and the host deserializes a model only
 *   when something reads it (a hover, the preview); what the host needs of every model on every check, the
 *   CodeLens texts and where each model lies, comes computed;
 * - the "done" message carries the small part (file, problems, times, lenses, packed models) and the diagnostics
 *   and findings come as parts of bounded size on a MessageChannel of the request, which the host reads one part
 *   at a time (`receiveMessageOnPort`), yielding between slices of a few milliseconds, and closes unread when the
 *   document changed meanwhile.
 *
 * Pure: no vscode or worker_threads import.
 */
import type { Finding } from '../../core/findings';
import type { FileReport, ModelReport } from '../../core/report';
import type { CheckInput, CheckOutcome, PositionedDiagnostic } from './check';

export interface AnalyzerInfo {
  id: string;
  extensions: readonly string[];
}

/** Host → worker. `port` (check) receives the outcome's parts. */
export type HostMessage =
  | { type: 'check'; id: number; input: CheckInput; port: unknown }
  /** The document is closed: drop its check session (every session without one). */
  | { type: 'forget'; session?: string };

/** Worker → host. */
export type WorkerMessage =
  | { type: 'ready'; threadId: number; startupMs: number; analyzers: AnalyzerInfo[] }
  | { type: 'done'; id: number; header: OutcomeHeader; parts: number }
  | { type: 'failed'; id: number; error: string };

/** The models of a report, V8-serialized one after the other, with what the host needs without reading them. */
export interface PackedModels {
  bytes: Uint8Array;
  /** Model i is bytes[offsets[i] .. offsets[i + 1]). */
  offsets: number[];
  /** Where each model lies: the smallest start and largest end of any span in it (layers, initializers, ...). */
  extents: [number, number][];
  names: string[];
}

/** The smallest start and largest end of the spans ({start, end} of numbers) reachable from a value. */
export function spanExtent(value: unknown): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const walk = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || depth > 64) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number') {
      lo = Math.min(lo, o.start);
      hi = Math.max(hi, o.end);
    }
    for (const k in o) walk(o[k], depth + 1);
  };
  walk(value, 0);
  return Number.isFinite(lo) ? [lo, hi] : [0, 0];
}

/** What a part carries: slices of the lists, in order. */
export interface OutcomePart {
  diagnostics?: PositionedDiagnostic[];
  findings?: Finding[];
  models?: ModelReport[];
}

export type OutcomeHeader =
  | Extract<CheckOutcome, { kind: 'skipped' }>
  | {
      kind: 'checked';
      report: Omit<FileReport, 'models' | 'findings'>;
      durationMs: number;
      threadId?: number;
      lenses?: CheckedOutcome['lenses'];
      /** The models, when packed (then no part carries models). */
      packed?: PackedModels;
      /** Everything, when the outcome is small (one message, no parts). */
      inline?: OutcomePart;
    };

type CheckedOutcome = Extract<CheckOutcome, { kind: 'checked' }>;

/**
 * Cost units of a part: about 10 µs of deserialization each here (a model layer with its prediction is ~4 units
 * of data, a finding ~1, a diagnostic ~1). A part of PART_BUDGET units deserializes in a couple of milliseconds.
 */
export const PART_BUDGET = 250;
const modelCost = (m: ModelReport) => 2 + 4 * m.model.layers.length;
const findingCost = (f: Finding) => 1 + f.fixes.length;
const diagnosticCost = (d: PositionedDiagnostic) => 1 + d.related.length / 2;

/**
 * Splits a checked outcome into a header and parts of at most `budget` units (a single item may exceed it). With
 * `pack`, the models go packed in the header instead of in parts.
 */
export function splitOutcome(
  outcome: CheckOutcome,
  budget = PART_BUDGET,
  pack?: (models: ModelReport[]) => PackedModels,
): { header: OutcomeHeader; parts: OutcomePart[] } {
  if (outcome.kind === 'skipped') return { header: outcome, parts: [] };
  const { models, findings, ...rest } = outcome.report;
  const header: OutcomeHeader = { kind: 'checked', report: rest, durationMs: outcome.durationMs };
  if (outcome.threadId !== undefined) header.threadId = outcome.threadId;
  if (outcome.lenses) header.lenses = outcome.lenses;
  if (pack) header.packed = pack(models);
  const parts: OutcomePart[] = [];
  let part: OutcomePart = {};
  let used = 0;
  const add = <K extends keyof OutcomePart>(key: K, items: NonNullable<OutcomePart[K]>, cost: (x: NonNullable<OutcomePart[K]>[number]) => number) => {
    for (const item of items as NonNullable<OutcomePart[K]>[number][]) {
      const c = cost(item);
      if (used > 0 && used + c > budget) {
        parts.push(part);
        part = {};
        used = 0;
      }
      ((part[key] ??= [] as never) as unknown[]).push(item);
      used += c;
    }
  };
  add('diagnostics', outcome.diagnostics, diagnosticCost);
  add('findings', findings, findingCost);
  if (!pack) add('models', models, modelCost);
  if (used > 0) parts.push(part);
  if (parts.length <= 1) {
    header.inline = parts[0] ?? {};
    return { header, parts: [] };
  }
  return { header, parts };
}

/**
 * The outcome again, from its header and parts (in the order they were sent); packed models are turned into the
 * report's models by `unpack` (which may defer reading them).
 */
export function joinOutcome(header: OutcomeHeader, parts: readonly OutcomePart[], unpack?: (packed: PackedModels) => ModelReport[]): CheckOutcome {
  if (header.kind === 'skipped') return header;
  const all = header.inline ? [header.inline, ...parts] : parts;
  const diagnostics: PositionedDiagnostic[] = [];
  const findings: Finding[] = [];
  let models: ModelReport[] = [];
  for (const p of all) {
    if (p.diagnostics) for (const d of p.diagnostics) diagnostics.push(d);
    if (p.findings) for (const f of p.findings) findings.push(f);
    if (p.models) for (const m of p.models) models.push(m);
  }
  if (header.packed) {
    if (!unpack) throw new Error('packed models and nothing to unpack them');
    models = unpack(header.packed);
  }
  const report: FileReport = { ...header.report, models, findings };
  const outcome: CheckedOutcome = { kind: 'checked', report, diagnostics, durationMs: header.durationMs };
  if (header.threadId !== undefined) outcome.threadId = header.threadId;
  if (header.lenses) outcome.lenses = header.lenses;
  if (header.packed) outcome.modelIndex = { extents: header.packed.extents, names: header.packed.names };
  return outcome;
}
