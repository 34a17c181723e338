/**
 * The JSON format: an array with one entry per path, holding its diagnostics (1-based positions, end
 * column exclusive, as ESLint), its models with the per-layer prediction, and its problems. Unknown values
 * are `null`, never left out, so every entry has the same keys.
 */
import type { WeightSlot } from '../../core/initializers';
import type { Framework, InitializerRef, LayerNode } from '../../core/model';
import { WEIGHTED_KINDS } from '../../core/model';
import { computeFans, realize } from '../../core/realize';
import type { LayerPrediction, ModelReport } from '../../core/report';
import { type CheckedFile, type Range, rangeOf, type RunResult } from '../results';

export interface JsonEdit extends Range {
  text: string;
}

export interface JsonDiagnostic extends Range {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  model: string;
  layer: number | null;
  fixes: { title: string; safe: boolean; edits: JsonEdit[] }[];
  related: (Range & { message: string })[];
}

export interface JsonLayer {
  index: number;
  line: number;
  kind: string;
  op: string;
  name: string | null;
  fanIn: number | null;
  fanOut: number | null;
  initializer: {
    id: string | null;
    explicit: boolean;
    form: string;
    realizedVariance: number | null;
    realizedStd: number | null;
  } | null;
  activation: string | null;
  forwardGain: number | null;
  backwardGain: number | null;
  outputSecondMoment: number | null;
}

export interface JsonModel {
  name: string;
  framework: string;
  line: number;
  layers: JsonLayer[];
  /** Second moment entering the read-out layer relative to the model's input (null when unknown). */
  forwardGain: number | null;
  /** Bounds of that ratio over the unknown sizes (equal to forwardGain when every size is known). */
  forwardGainBounds: { lo: number; hi: number | null } | null;
  readout: number | null;
  notes: string[];
}

export interface JsonProblem {
  message: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  /** 'analysis': reported by the analyzer (syntax error, cap hit); 'path': the file could not be checked. */
  source: 'analysis' | 'path';
  fatal: boolean;
}

export interface JsonFile {
  file: string;
  /** False when the file could not be read (see problems). */
  checked: boolean;
  language: string | null;
  diagnostics: JsonDiagnostic[];
  models: JsonModel[];
  problems: JsonProblem[];
}

export function toJson(result: RunResult): JsonFile[] {
  return result.files.map(fileToJson);
}

export function formatJson(result: RunResult): string {
  return `${JSON.stringify(toJson(result), null, 2)}\n`;
}

function fileToJson(file: CheckedFile): JsonFile {
  const report = file.report;
  const problems: JsonProblem[] = file.notices.map((n) => ({
    message: n.message,
    line: null,
    column: null,
    endLine: null,
    endColumn: null,
    source: 'path',
    fatal: n.fatal,
  }));
  for (const p of report?.problems ?? []) {
    const r = p.span ? rangeOf(file, p.span) : undefined;
    problems.push({
      message: p.message,
      line: r?.line ?? null,
      column: r?.column ?? null,
      endLine: r?.endLine ?? null,
      endColumn: r?.endColumn ?? null,
      source: 'analysis',
      fatal: false,
    });
  }
  return {
    file: file.path,
    checked: report !== undefined,
    language: report?.language ?? null,
    diagnostics: (report?.findings ?? []).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      ...rangeOf(file, f.span),
      model: f.model,
      layer: f.layer ?? null,
      fixes: f.fixes
        .filter((fix) => fix.edits && fix.edits.length > 0)
        .map((fix) => ({
          title: fix.title,
          safe: fix.safe,
          edits: fix.edits!.map((e) => ({ ...rangeOf(file, e.span), text: e.newText })),
        })),
      related: f.related.map((r) => ({ ...rangeOf(file, r.span), message: r.message })),
    })),
    models: (report?.models ?? []).map((m) => modelToJson(file, m)),
    problems,
  };
}

function modelToJson(file: CheckedFile, { model, prediction }: ModelReport): JsonModel {
  const byIndex = new Map<number, LayerPrediction>(prediction.layers.map((p) => [p.index, p]));
  const ratio = prediction.readoutRatio;
  return {
    name: model.name,
    framework: model.framework,
    line: rangeOf(file, model.span).line,
    layers: model.layers.map((layer) => layerToJson(file, model.framework, layer, byIndex.get(layer.index))),
    forwardGain: num(ratio?.estimate),
    forwardGainBounds: ratio ? { lo: ratio.lo, hi: num(ratio.hi) } : null,
    readout: prediction.readout ?? null,
    notes: model.notes,
  };
}

function layerToJson(
  file: CheckedFile,
  framework: Framework,
  layer: LayerNode,
  prediction: LayerPrediction | undefined,
): JsonLayer {
  const slot: WeightSlot = layer.kind === 'embedding' ? 'embeddings' : 'kernel';
  const ref: InitializerRef | undefined = WEIGHTED_KINDS.has(layer.kind) ? layer.kernel : undefined;
  let fanIn: number | null = null;
  let fanOut: number | null = null;
  let initializer: JsonLayer['initializer'] = null;
  if (WEIGHTED_KINDS.has(layer.kind)) {
    const fans = computeFans(framework, layer, slot);
    fanIn = num(fans.fanIn);
    fanOut = num(fans.fanOut);
    if (ref) {
      const realized = realize(ref, fans);
      initializer = {
        id: ref.id ?? null,
        explicit: ref.explicit,
        form: ref.form,
        realizedVariance: num(realized?.variance),
        realizedStd: num(realized?.std),
      };
    }
  }
  return {
    index: layer.index,
    line: rangeOf(file, layer.span).line,
    kind: layer.kind,
    op: layer.op,
    name: layer.name ?? null,
    fanIn,
    fanOut,
    initializer,
    activation: layer.activation?.id ?? null,
    forwardGain: num(prediction?.forwardGain),
    backwardGain: num(prediction?.backwardGain),
    outputSecondMoment: num(prediction?.output.estimate),
  };
}

/** A finite number, else null (JSON has no Infinity or NaN). */
function num(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}
