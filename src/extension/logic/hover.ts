/**
 * Hover text for a layer or an initializer: the realized weight distribution, the fans, the activation's gain,
 * the layer's predicted forward and backward gains and the signal at that point, as a small Markdown table; and a
 * short summary on a model's construction. Every number comes from the engine's report (`FileReport`) or from
 * the core functions the engine itself uses (`computeFans`, `realize`): nothing is recomputed differently here.
 *
 * Pure: no vscode import.
 */
import { activationSpec } from '../../core/activations';
import type { WeightSlot } from '../../core/initializers';
import type { InitializerRef, LayerNode, Span } from '../../core/model';
import { WEIGHTED_KINDS } from '../../core/model';
import { computeFans, realize, type Realized } from '../../core/realize';
import { describeInitializer } from '../../core/recommend';
import type { FileReport, LayerPrediction, Moment, ModelReport } from '../../core/report';
import { factor, fmt } from '../../core/format';
import type { SignalThresholds } from '../../core/rules/types';
import { activationAfter } from '../../core/rules/graph';
import { modelLensTitle } from './codelens';
import { findingsOfModel } from './diagnostics';

export interface LayerHit {
  model: ModelReport;
  layer: LayerNode;
  /** Other layers that share the hovered initializer expression (a variable used by several layers). */
  sharedWith: LayerNode[];
}

const contains = (span: Span | undefined, offset: number) => !!span && span.start <= offset && offset <= span.end;
const width = (span: Span) => span.end - span.start;

/** Initializer spans of a layer (kernel, recurrent, pointwise, bias), as written. */
function initializerSpans(layer: LayerNode): Span[] {
  return [layer.kernel, layer.recurrent, layer.pointwise, layer.bias, layer.gamma, layer.beta]
    .map((r) => r?.span)
    .filter((s): s is Span => !!s);
}

/**
 * The layer under `offset`: the innermost layer call or initializer expression that contains it. An initializer
 * held in a variable shared by several layers names them all.
 */
export function layerAt(report: FileReport | undefined, offset: number): LayerHit | undefined {
  if (!report) return undefined;
  let best: { hit: LayerHit; width: number } | undefined;
  for (const model of report.models) {
    for (const layer of model.model.layers) {
      const spans = [layer.span, ...initializerSpans(layer)].filter((s) => contains(s, offset));
      for (const s of spans) {
        const w = width(s);
        if (best && best.width <= w) {
          if (best.width === w && best.hit.model === model && best.hit.layer !== layer) best.hit.sharedWith.push(layer);
          continue;
        }
        best = { hit: { model, layer, sharedWith: [] }, width: w };
      }
    }
  }
  return best?.hit;
}

/**
 * The report with the models that can answer a hover at `offset` (layerAt, modelAt, modelHoverMarkdown give the
 * same answers on it): those whose spans reach over it (`modelIndex.extents`), and the models that share their
 * names (findings are matched to models by name first). For a report whose models are read on demand (a large
 * file checked in the worker), so that the others stay unread; without an index, the report itself.
 */
export function reportAround(report: FileReport, modelIndex: { extents: [number, number][]; names: string[] } | undefined, offset: number): FileReport {
  if (!modelIndex) return report;
  const names = new Set<string>();
  modelIndex.extents.forEach(([lo, hi], i) => {
    if (lo <= offset && offset <= hi) names.add(modelIndex.names[i]);
  });
  const models: ModelReport[] = [];
  for (let i = 0; i < modelIndex.names.length; i++) if (names.has(modelIndex.names[i])) models.push(report.models[i]);
  return { ...report, models };
}

/** The model whose construction expression (`tf.sequential(...)`) contains `offset`, when no layer does. */
export function modelAt(report: FileReport | undefined, offset: number): ModelReport | undefined {
  if (!report) return undefined;
  return report.models.find((m) => contains(m.model.span, offset)) ?? undefined;
}

function momentText(m: Moment | undefined, digits = 2): string {
  if (!m || (m.estimate === undefined && !(m.hi > 0))) return 'unknown';
  if (m.estimate !== undefined && m.lo === m.hi) return fmt(m.estimate, digits);
  // Bounds past these say nothing (the engine bounds unknown sizes over 1 … 2³⁰).
  const hasLo = m.lo > 1e-12;
  const hasHi = Number.isFinite(m.hi) && m.hi < 1e12;
  const range = hasLo && hasHi ? `${fmt(m.lo, digits)} … ${fmt(m.hi, digits)}` : hasLo ? `≥ ${fmt(m.lo, digits)}` : hasHi ? `≤ ${fmt(m.hi, digits)}` : '';
  if (m.estimate !== undefined) return range ? `${fmt(m.estimate, digits)} (${range} for the unknown sizes)` : fmt(m.estimate, digits);
  return range ? `${range} (sizes unknown)` : 'unknown';
}

function gainText(g: number | undefined): string {
  return g !== undefined ? factor(g) : 'unknown';
}

function distributionText(r: Realized): string {
  const std = fmt(r.std, 3);
  let s: string;
  switch (r.distribution) {
    case 'normal':
      s = `normal, std ${std}`;
      break;
    case 'truncatedNormal':
      s = `truncated normal, std ${std}${r.limit !== undefined ? `, cut at ±${fmt(r.limit, 3)}` : ''}`;
      break;
    case 'uniform':
      s = r.bounds
        ? r.mean === 0
          ? `uniform ±${fmt(r.bounds[1], 3)} (std ${std})`
          : `uniform [${fmt(r.bounds[0], 3)}, ${fmt(r.bounds[1], 3)}] (std ${std})`
        : `uniform, std ${std}`;
      break;
    case 'constant':
      s = `constant ${fmt(r.value ?? r.mean, 3)}`;
      break;
    case 'orthogonal':
      s = `orthogonal, gain ${fmt(r.gain ?? 1, 3)} (std ${std})`;
      break;
    case 'identity':
      s = `identity, gain ${fmt(r.gain ?? 1, 3)}`;
      break;
  }
  if (r.mean !== 0 && r.distribution !== 'constant' && r.distribution !== 'uniform') s += `, mean ${fmt(r.mean, 3)}`;
  if (r.nominalVariance > 0 && Math.abs(r.variance / r.nominalVariance - 1) > 0.01) {
    s += ` (${fmt(r.variance / r.nominalVariance, 3)}× the nominal variance)`;
  }
  return s;
}

interface SlotRows {
  label: string;
  ref: InitializerRef;
  slot: WeightSlot;
}

function slotsOf(layer: LayerNode): SlotRows[] {
  const out: SlotRows[] = [];
  if (layer.kernel) out.push({ label: layer.kind === 'embedding' ? 'embeddings' : 'kernel', ref: layer.kernel, slot: layer.kind === 'embedding' ? 'embeddings' : 'kernel' });
  if (layer.pointwise) out.push({ label: 'pointwise kernel', ref: layer.pointwise, slot: 'pointwise' });
  if (layer.recurrent) out.push({ label: 'recurrent kernel', ref: layer.recurrent, slot: 'recurrent' });
  return out;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** The table's header row, which is the title too (one line less in a hover that has little room). */
function layerTitle(layer: LayerNode, model: ModelReport): string {
  const name = layer.name ? ` ${code(layer.name)}` : '';
  return `| **${esc(layer.op)}**${name} | layer ${layer.index + 1} of ${model.model.layers.length} · model ${code(model.model.name)} |`;
}

/** The activation a layer's output goes through and that activation's second-moment gain E[f(h)²]/E[h²] here. */
function activationRow(model: ModelReport, layer: LayerNode): string | undefined {
  const reached = activationAfter(model.model, layer.index);
  const fused = layer.activation;
  if (!reached) {
    if (fused?.id === 'linear' || (!fused && WEIGHTED_KINDS.has(layer.kind))) return 'linear';
    if (fused?.id) return activationSpec(fused.id)?.label ?? fused.id;
    return undefined;
  }
  const p: LayerPrediction | undefined = model.prediction.layers[reached.at];
  const label = activationSpec(reached.activation.id!)?.label ?? reached.activation.id!;
  const where = reached.at === layer.index ? '' : ` (in ${model.model.layers[reached.at].op}, layer ${reached.at + 1})`;
  const q = p?.preActivation?.estimate;
  const out = p?.output.estimate;
  const gain = q !== undefined && out !== undefined && q > 0 ? `, gain ${fmt(out / q, 3)}` : '';
  return `${label}${where}${gain}`;
}

export interface HoverOptions {
  /** The input the prediction assumed (for the footnote). */
  input?: { mean: number; std: number };
}

/**
 * The Markdown for a hover on a layer or its initializer: a title and a table of at most ~8 short rows (the hover
 * widget shows about that many without scrolling):
 *   kernel      the default glorotNormal: truncated normal, std 0.055, cut at ±0.125 (0.774× the nominal variance)
 *   fans        in 256 · out 256 · c = fan-in·E[W²] = 0.774
 *   activation  relu, gain 0.5
 *   layer gain  ×0.39 forward · ×0.64 backward
 *   signal E[x²]  0.0058 in → 0.0023 out (rms 0.048)
 *   gradient E[δ²]  1.4e-5 at the input
 */
export function layerHoverMarkdown(hit: LayerHit, options: HoverOptions = {}): string {
  const { model, layer } = hit;
  const p = model.prediction.layers[layer.index];
  const rows: [string, string][] = [];

  const slots = slotsOf(layer);
  for (const s of slots) {
    const fans = computeFans(s.ref.framework, layer, s.slot);
    const r = realize(s.ref, fans, { hiddenSize: layer.outFeatures });
    const name = s.ref.text && s.ref.form !== 'default' ? code(s.ref.text.length > 60 ? `${s.ref.text.slice(0, 57)}...` : s.ref.text) : esc(describeInitializer(s.ref));
    rows.push([s.label, `${name}: ${r ? distributionText(r) : 'unknown (an argument or a size is unknown)'}`]);
    const trueFan = fans.trueFanIn !== undefined && fans.trueFanIn !== fans.fanIn ? ` (each output sees ${fmt(fans.trueFanIn, 6)} inputs)` : '';
    const c = s.slot === 'kernel' || s.slot === 'embeddings' ? (p?.weightGain !== undefined ? ` · c = fan-in·E[W²] = ${fmt(p.weightGain, 3)}` : '') : '';
    if (fans.fanIn !== undefined || fans.fanOut !== undefined || c) {
      rows.push([slots.length > 1 ? `${s.label} fans` : 'fans', `in ${fmt(fans.fanIn, 6)} · out ${fmt(fans.fanOut, 6)}${trueFan}${c}`]);
    }
  }
  if (!slots.length && p?.weightGain !== undefined) rows.push(['weight gain', `c = ${fmt(p.weightGain, 3)}`]);
  const act = activationRow(model, layer);
  if (act) rows.push(['activation', esc(act)]);
  if (p) {
    if (p.forwardGain !== undefined || p.backwardGain !== undefined) {
      rows.push(['layer gain', `${gainText(p.forwardGain)} forward · ${gainText(p.backwardGain)} backward`]);
    }
    const rms = p.output.estimate !== undefined ? ` (rms ${fmt(Math.sqrt(p.output.estimate), 2)})` : '';
    rows.push(['signal E[x²]', `${momentText(p.input)} in → ${momentText(p.output)} out${rms}`]);
    if (p.gradient) rows.push(['gradient E[δ²]', `${momentText(p.gradient)} at the input`]);
    if (p.note) rows.push(['note', esc(p.note)]);
  }

  const lines = [layerTitle(layer, model), '|:--|:--|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  if (hit.sharedWith.length) {
    lines.push('', `The initializer is shared with ${hit.sharedWith.map((l) => `layer ${l.index + 1}`).join(', ')}; the numbers are layer ${layer.index + 1}'s.`);
  }
  const input = options.input ?? { mean: 0, std: 1 };
  lines.push('', `_InitLens: mean-field prediction at initialization, input mean ${fmt(input.mean)}, std ${fmt(input.std)}; gradients relative to 1 at the output._`);
  return lines.join('\n');
}

/** The Markdown for a hover on a model's construction. */
export function modelHoverMarkdown(model: ModelReport, report: FileReport, thresholds?: SignalThresholds): string {
  const inModel = findingsOfModel(report, model);
  const first = model.prediction.layers.find((l) => l.gradient !== undefined && WEIGHTED_KINDS.has(model.model.layers[l.index].kind));
  const lines = [`**InitLens** · model ${code(model.model.name)}`, '', modelLensTitle(model, thresholds)];
  const grad = momentText(first?.gradient);
  if (grad !== 'unknown') lines.push('', `Gradient reaching the first weighted layer: ${grad} of the output's.`);
  const stop = model.prediction.stoppedAt;
  if (stop && stop.index !== model.prediction.readout) lines.push('', `The prediction stops at layer ${stop.index + 1}: ${esc(stop.reason)}.`);
  lines.push('', inModel.length ? `${inModel.length} finding${inModel.length === 1 ? '' : 's'} in this model.` : 'No findings in this model.');
  return lines.join('\n');
}
