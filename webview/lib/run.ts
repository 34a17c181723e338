/**
 * One preview run: rebuild a model description in TensorFlow.js (src/rebuild/build.ts, each framework's
 * initializer semantics), measure a forward pass on a synthetic batch and a backward pass from a unit-variance
 * output gradient (src/rebuild/measure.ts) for one or more seeds, read the weights' histograms, and put the
 * measurements beside the analytic prediction (core/propagate.ts) as `RunData`.
 *
 * `tf` is a parameter (the webview passes its WebGPU/WebGL/WASM/CPU instance, the report CLI and the tests a
 * WASM one in Node). No DOM. Every tensor created is disposed.
 */
import type { Model } from '../../src/core/model';
import { WEIGHTED_KINDS } from '../../src/core/model';
import { propagate, type InputAssumption } from '../../src/core/propagate';
import type { Prediction } from '../../src/core/report';
import { buildModel, type BuiltModel, type TF } from '../../src/rebuild/build';
import { measure, type InputDistribution, type LayerMeasurement, type Measurement } from '../../src/rebuild/measure';
import { tensorStats } from '../../src/rebuild/stats';
import type { AlternativeId } from './alternatives';
import { badgesFor } from './badges';
import type { GradientSummary, InputSummary, LayerData, OutputSummary, PredictedSummary, RunData, RunOutcome, WeightData } from './data';
import { mergeHistograms } from './histogram';

export interface RunOptions {
  alternative: AlternativeId;
  input: InputDistribution;
  batch: number;
  seed: number;
  /** Number of seeds to average (seed, seed + 1, …). */
  seeds: number;
  spatialSize: number;
  inputShape?: number[];
  timeSteps?: number;
  thresholds: { vanishing: number; exploding: number };
  histogramBins?: number;
  /** Cap on the parameters rebuilt (default 80 M: 320 MB of float32). */
  maxParams?: number;
  /** Cap on the float elements held at once by a pass (default 2²⁶); the batch is reduced to fit. */
  maxElements?: number;
  /**
   * Cap on the multiply-adds of one forward + backward pass (≈ 3 × the forward's); the batch is reduced to fit,
   * down to MIN_CAPPED_BATCH, and a note says so. Undefined: no cap (the user chose the batch size).
   */
  maxMacs?: number;
  /** Checked between the steps of the run; when it returns true the run stops with `Cancelled`. */
  cancelled?: () => boolean;
}

export const DEFAULT_MAX_PARAMS = 80_000_000;
/** Default work cap of the page's automatic runs: about a second on WASM (SIMD, one thread). */
export const DEFAULT_MAX_MACS = 4e9;
export const MIN_CAPPED_BATCH = 16;

/** Multiply-adds of one forward pass for one sample: each kernel's size × the positions it is applied at. */
export function macsPerSample(built: BuiltModel): number {
  let total = 0;
  for (const l of built.layers) {
    for (const w of l.weights) {
      if (w.slot !== 'kernel' && w.slot !== 'recurrent' && w.slot !== 'pointwise') continue;
      const size = w.shape.reduce((a, b) => a * b, 1);
      let positions = 1;
      if (l.kind === 'simpleRNN' || l.kind === 'lstm' || l.kind === 'gru') positions = l.inputShapes[0]?.[0] ?? 1;
      else if (l.outputShape.length >= 2) positions = l.outputShape.slice(0, -1).reduce((a, b) => a * b, 1);
      total += size * positions;
    }
  }
  return total;
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export function inputAssumption(d: InputDistribution): InputAssumption {
  return d.kind === 'uniform01' ? { mean: 0.5, std: Math.sqrt(1 / 12) } : { mean: d.mean, std: d.std };
}

export function inputSummary(d: InputDistribution): InputSummary {
  if (d.kind === 'uniform01') return { kind: 'uniform01', mean: 0.5, std: Math.sqrt(1 / 12), secondMoment: 1 / 3, label: 'U[0, 1]' };
  const fmt = (v: number) => String(Number(v.toPrecision(4)));
  return { kind: 'gaussian', mean: d.mean, std: d.std, secondMoment: d.mean * d.mean + d.std * d.std, label: `N(${fmt(d.mean)}, ${fmt(d.std)}²)` };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Lets the page paint and messages arrive between steps. */
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

function sqrtOr(v: number | undefined): number | undefined {
  return v === undefined || !(v >= 0) ? undefined : Math.sqrt(v);
}

export function predictedFor(prediction: Prediction, index: number): PredictedSummary {
  const p = prediction.layers[index];
  if (!p) return { stdLo: 0, stdHi: Infinity };
  const v = p.outputVariance;
  const out: PredictedSummary = {
    std: sqrtOr(v.estimate),
    stdLo: Math.sqrt(Math.max(0, v.lo)),
    stdHi: Math.sqrt(Math.max(0, v.hi)),
    secondMoment: p.output.estimate,
  };
  if (p.gradient) {
    out.gradStd = sqrtOr(p.gradient.estimate);
    out.gradLo = Math.sqrt(Math.max(0, p.gradient.lo));
    out.gradHi = Math.sqrt(Math.max(0, p.gradient.hi));
  }
  if (p.note) out.note = p.note;
  return out;
}

async function weightHistograms(built: BuiltModel, bins: number): Promise<Map<string, ReturnType<typeof tensorStats>>> {
  const out = new Map<string, ReturnType<typeof tensorStats>>();
  for (const l of built.layers) {
    for (const w of l.weights) {
      const t = w.variable.read();
      out.set(w.name, tensorStats(await t.data(), { bins }));
    }
  }
  return out;
}

const READOUT_ACTIVATIONS = new Set(['softmax', 'logSoftmax']);

/**
 * The model as measured: a softmax (or log-softmax) read-out is measured at its logits, where the analytic
 * prediction injects the unit-variance gradient too (core/propagate.ts; with a cross-entropy loss the gradient
 * at the logits is p − y). Returns the model and the note to show, if any.
 */
export function readoutAtLogits(model: Model): { model: Model; note?: string } {
  const outputs = model.outputs ?? (model.layers.length ? [model.layers.length - 1] : []);
  let changed: string | undefined;
  const layers = model.layers.map((l) => {
    if (!outputs.includes(l.index) || !l.activation?.id || !READOUT_ACTIVATIONS.has(l.activation.id)) return l;
    changed = l.activation.id;
    return { ...l, activation: { ...l.activation, id: 'linear' } };
  });
  if (!changed) return { model };
  return { model: { ...model, layers }, note: `the ${changed} read-out is measured at its logits, where the unit-variance gradient is injected (as in the prediction)` };
}

const EMPTY_OUTPUT = /output shape .* is empty or unknown/;
const CONV_KINDS = new Set(['conv', 'convTranspose', 'depthwiseConv', 'separableConv', 'pooling']);

/** A failed rebuild that 'same' padding may fix: an empty output, or branches that no longer join. */
function needsSame(model: Model, f: { reason: string; layer?: number }): boolean {
  if (!model.layers.some((l) => CONV_KINDS.has(l.kind))) return false;
  if (EMPTY_OUTPUT.test(f.reason)) return true;
  const at = f.layer !== undefined ? model.layers[f.layer] : undefined;
  return !!at && (at.kind === 'add' || at.kind === 'concatenate');
}
const MAX_SPATIAL = 256;

/**
 * A flatten right after a global pooling is the identity (its input is already [batch, channels]), but tfjs's
 * Flatten refuses a rank-2 input: PyTorch's `torch.flatten(x, 1)` after `AdaptiveAvgPool2d(1)` is that case.
 * Such a flatten is described as a reshape, which the rebuild keeps as the identity. Exact: nothing is noted.
 */
export function flattenAfterGlobalPooling(model: Model): Model {
  let changed = false;
  const layers = model.layers.map((l) => {
    if (l.kind !== 'flatten' || l.inputs.length !== 1 || model.layers[l.inputs[0]]?.kind !== 'globalPooling') return l;
    changed = true;
    return { ...l, kind: 'reshape' as const };
  });
  return changed ? { ...model, layers } : model;
}

/** Notes of the rebuild that are about the backend's internals, not about the model. */
const INTERNAL_NOTE = /^wasm lacks /;

/** Rebuild, measure over the seeds and shape the result. Throws on backend failures (the page falls back). */
export async function runPreview(tf: TF, modelIn: Model, o: RunOptions): Promise<RunOutcome> {
  const t0 = now();
  const { model: model0, note: readoutNote } = readoutAtLogits(flattenAfterGlobalPooling(modelIn));
  const bins = o.histogramBins ?? 40;
  const seeds = Math.max(1, Math.floor(o.seeds));
  const stop = () => {
    if (o.cancelled?.()) throw new Cancelled();
  };
  const prediction = propagate(model0, inputAssumption(o.input));
  const measurements: Measurement[] = [];
  const notes: string[] = readoutNote ? [readoutNote] : [];
  let buildMs = 0;
  let params = 0;
  let weightData: WeightData[][] | undefined;
  let spatial = false;
  let hasIntInput = false;
  let spatialSize = o.spatialSize;
  let batch = o.batch;
  let backwardFailed = false;
  let model = model0;
  let padding: 'same' | undefined;
  for (let s = 0; s < seeds; s++) {
    stop();
    const seed = o.seed + s;
    const tb = now();
    const build = () => buildModel(tf, model, { seed, spatialSize, padding, inputShape: o.inputShape, timeSteps: o.timeSteps, maxParams: o.maxParams ?? DEFAULT_MAX_PARAMS });
    let built = build();
    // A flatten of an input that is already flat (PyTorch's flatten of [batch, features]) is the identity; tfjs's
    // Flatten refuses it: rebuild it as a reshape (the identity here).
    for (let guard = 0; !built.ok && s === 0 && guard < 64; guard++) {
      const at = built.layer !== undefined ? model.layers[built.layer] : undefined;
      if (!at || at.kind !== 'flatten' || !/min_ndim=3, found ndim=2/.test(built.reason)) break;
      model = { ...model, layers: model.layers.map((l) => (l.index === at.index ? { ...l, kind: 'reshape' as const } : l)) };
      built = build();
    }
    // The description has no padding: convolutions are rebuilt with 'valid' (every framework's default). When that
    // cannot work (a small spatial size shrinks to nothing, or residual branches no longer match in size), rebuild
    // with 'same'; if a layer is still left without output, double the spatial size (up to 256). Said in the notes.
    if (!built.ok && s === 0 && padding === undefined && needsSame(model, built)) {
      padding = 'same';
      built = build();
      if (built.ok) notes.push("convolutions rebuilt with 'same' padding (the description does not say; with 'valid' the model cannot be rebuilt at this size)");
      else padding = undefined;
    }
    while (!built.ok && s === 0 && EMPTY_OUTPUT.test(built.reason) && spatialSize < MAX_SPATIAL) {
      spatialSize = Math.min(MAX_SPATIAL, spatialSize * 2);
      built = build();
      if (built.ok) notes.push(`spatial size raised from ${o.spatialSize} to ${spatialSize}: a smaller input leaves a layer without output`);
    }
    buildMs += now() - tb;
    if (!built.ok) return { ok: false, alternative: o.alternative, reason: built.reason, layer: built.layer, need: built.need };
    try {
      params = built.params;
      spatial = built.inputs.some((i) => i.shape.length >= 2 && i.dtype === 'float32') && built.layers.some((l) => l.outputShape.length >= 3);
      hasIntInput = built.inputs.some((i) => i.dtype === 'int32');
      if (s === 0) for (const n of built.notes) if (!notes.includes(n)) notes.push(n);
      await yieldToEventLoop();
      stop();
      if (s === 0 && o.maxMacs !== undefined) {
        const perSample = 3 * macsPerSample(built);
        if (perSample * batch > o.maxMacs && batch > MIN_CAPPED_BATCH) {
          const capped = Math.max(MIN_CAPPED_BATCH, Math.floor(o.maxMacs / perSample));
          if (capped < batch) {
            notes.push(`batch reduced from ${batch} to ${capped} to keep the run quick (${fmtMacs(perSample)} multiply-adds per sample, forward and backward); set the batch size to measure more`);
            batch = capped;
          }
        }
      }
      const mo = { batch, seed, input: o.input, histogramBins: bins, maxElements: o.maxElements };
      let m: Measurement;
      if (backwardFailed) m = await measure(tf, built, { ...mo, backward: false });
      else {
        try {
          m = await measure(tf, built, { ...mo, backward: true });
        } catch (e) {
          // A backward pass tfjs cannot differentiate (a model error, not the backend's): show the forward pass and
          // say why. A backend that fails fails the forward pass too, and that throws to the caller.
          stop();
          m = await measure(tf, built, { ...mo, backward: false });
          backwardFailed = true;
          notes.push(`the backward pass failed (${(e as Error).message.split('\n')[0].slice(0, 200)}): forward pass only`);
        }
      }
      measurements.push(m);
      for (const n of m.notes) if (!notes.includes(n) && !INTERNAL_NOTE.test(n)) notes.push(n);
      if (s === 0) {
        const hists = await weightHistograms(built, bins);
        weightData = m.layers.map((l) =>
          l.weights.map((w) => ({
            slot: w.slot,
            name: w.name,
            shape: w.shape,
            initializer: w.initializer,
            sampledBy: w.sampledBy,
            realized: { count: w.realized.count, mean: w.realized.mean, std: w.realized.std, min: w.realized.min, max: w.realized.max },
            intended: w.intended ? { distribution: w.intended.distribution, mean: w.intended.mean, std: w.intended.std, note: w.intended.note } : undefined,
            histogram: hists.get(w.name)?.histogram,
            note: w.note,
          })),
        );
      }
    } finally {
      built.dispose();
    }
    await yieldToEventLoop();
  }
  stop();
  const first = measurements[0];
  const layers: LayerData[] = model.layers.map((node, i) => {
    const per = measurements.map((m) => m.layers[i]);
    const output = summarizeOutput(per);
    const gradient = summarizeGradient(per);
    const pre = per[0].preActivation;
    const actId = node.kind === 'activation' || node.activation?.id !== 'linear' ? node.activation?.id : undefined;
    return {
      index: i,
      kind: node.kind,
      op: node.op,
      name: node.name,
      label: per[0].label,
      activation: actId,
      outputShape: per[0].outputShape,
      weighted: WEIGHTED_KINDS.has(node.kind),
      output,
      histogram: mergeHistograms(per.map((p) => p.output.histogram), bins),
      preActivation: pre ? { std: pre.std, secondMoment: pre.secondMoment, histogram: pre.histogram } : undefined,
      gradient,
      predicted: predictedFor(prediction, i),
      weights: weightData?.[i] ?? [],
      badges: [],
    };
  });
  const input = inputSummary(o.input);
  const reference = hasIntInput ? (layers.find((l) => l.kind === 'embedding')?.output.secondMoment ?? input.secondMoment) : input.secondMoment;
  let firstNonFinite: RunData['firstNonFinite'];
  // Gradient reference: the gradient entering the next pooling layer downstream (see badges.ts), else the output's.
  const gradRef: number[] = new Array(layers.length).fill(1);
  let nextPool: number | undefined;
  for (let i = layers.length - 1; i >= 0; i--) {
    gradRef[i] = nextPool ?? 1;
    const l = layers[i];
    if ((l.kind === 'pooling' || l.kind === 'globalPooling') && l.gradient && l.gradient.secondMoment > 0) {
      // A pooling layer's own input gradient is smaller by design: it is its own reference (no badge).
      nextPool = l.gradient.secondMoment;
      gradRef[i] = nextPool;
    }
  }
  for (const l of layers) {
    l.badges = badgesFor(
      {
        activation: l.activation,
        secondMoment: l.output.secondMoment,
        zeroFraction: l.output.zeroFraction,
        saturatedFraction: l.output.saturatedFraction,
        nanCount: l.output.nanCount,
        infCount: l.output.infCount,
        gradientSecondMoment: l.gradient?.secondMoment,
        gradientNonFinite: l.gradient ? l.gradient.nanCount + l.gradient.infCount : undefined,
      },
      { reference, thresholds: o.thresholds, gradientReference: gradRef[l.index] },
    );
    if (!firstNonFinite && l.output.nanCount + l.output.infCount > 0) firstNonFinite = { layer: l.index, direction: 'forward' };
  }
  if (!firstNonFinite) {
    // Backward: the gradient flows from the output, so the first non-finite one is the last layer index that has it.
    for (let i = layers.length - 1; i >= 0; i--) {
      const g = layers[i].gradient;
      if (g && g.nanCount + g.infCount > 0) {
        firstNonFinite = { layer: i, direction: 'backward' };
        break;
      }
    }
  }
  if (spatial) notes.push(`spatial size ${spatialSize}: per-pixel statistics do not depend on the image size away from the borders`);
  if (prediction.stoppedAt) notes.push(`the prediction stops at layer ${prediction.stoppedAt.index}: ${prediction.stoppedAt.reason}`);
  const passMs = measurements.reduce((a, m) => a + m.timing.passMs, 0);
  const statsMs = measurements.reduce((a, m) => a + m.timing.statsMs, 0);
  return {
    ok: true,
    data: {
      alternative: o.alternative,
      modelName: model.name,
      framework: model.framework,
      backend: first.backend,
      batch: first.batch,
      seeds: measurements.map((m) => m.seed),
      input,
      reference,
      params,
      layers,
      notes,
      firstNonFinite,
      spatial,
      timing: { buildMs, passMs, statsMs, totalMs: now() - t0 },
    },
  };
}

function fmtMacs(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toPrecision(3)} G` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} M` : `${Math.round(n / 1e3)} k`;
}

function summarizeOutput(per: LayerMeasurement[]): OutputSummary {
  const n = per.length;
  const avg = (f: (m: LayerMeasurement) => number) => per.reduce((a, m) => a + f(m), 0) / n;
  const stds = per.map((m) => m.output.std);
  const variance = avg((m) => m.output.variance);
  const o0 = per[0].output;
  const out: OutputSummary = {
    count: per.reduce((a, m) => a + m.output.count, 0),
    mean: avg((m) => m.output.mean),
    std: Math.sqrt(variance),
    stdMin: Math.min(...stds),
    stdMax: Math.max(...stds),
    secondMoment: avg((m) => m.output.secondMoment),
    min: Math.min(...per.map((m) => m.output.min)),
    max: Math.max(...per.map((m) => m.output.max)),
    zeroFraction: avg((m) => m.output.zeroFraction),
    nanCount: per.reduce((a, m) => a + m.output.nanCount, 0),
    infCount: per.reduce((a, m) => a + m.output.infCount, 0),
  };
  if (o0.deadUnitFraction !== undefined) out.deadUnitFraction = avg((m) => m.output.deadUnitFraction ?? 0);
  if (o0.saturatedFraction !== undefined) out.saturatedFraction = avg((m) => m.output.saturatedFraction ?? 0);
  return out;
}

function summarizeGradient(per: LayerMeasurement[]): GradientSummary | undefined {
  const gs = per.map((m) => m.gradient).filter((g): g is NonNullable<typeof g> => !!g);
  if (gs.length === 0) return undefined;
  const n = gs.length;
  const stds = gs.map((g) => g.std);
  return {
    std: Math.sqrt(gs.reduce((a, g) => a + g.variance, 0) / n),
    stdMin: Math.min(...stds),
    stdMax: Math.max(...stds),
    secondMoment: gs.reduce((a, g) => a + g.secondMoment, 0) / n,
    nanCount: gs.reduce((a, g) => a + g.nanCount, 0),
    infCount: gs.reduce((a, g) => a + g.infCount, 0),
  };
}
