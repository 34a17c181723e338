/**
 * One preview run: rebuild a model description in TensorFlow.js (src/rebuild/build.ts, each framework's
 * initializer semantics), measure a forward pass on a synthetic batch and a backward pass from a unit-variance
 * output gradient (src/rebuild/measure.ts) for one or more seeds, read the weights' histograms, and put the
 * measurements beside the analytic prediction (core/propagate.ts) as `RunData`.
 *
 * Progressive runs (the page, `quickLook`): when the full run would show its chart too late, a quick look is
 * measured first on the same rebuilt weights (a smaller batch, one seed, recurrent layers over fewer time steps,
 * the forward pass alone when the backward pass would take most of it, no weight statistics), handed to the page,
 * and then the full run; the cost is estimated by `estimateMeasureMs`. The rebuild (sampling the weights) is done
 * once for both: its cost, proportional to the parameters, is not made smaller by the quick look.
 *
 * `tf` is a parameter (the webview passes its WebGPU/WebGL/WASM/CPU instance, the report CLI and the tests a
 * WASM one in Node). No DOM. Every tensor created is disposed.
 */
import { fmt } from '../../core/format';
import type { Model } from '../../core/model';
import { WEIGHTED_KINDS } from '../../core/model';
import { propagate, type InputAssumption } from '../../core/propagate';
import type { Prediction } from '../../core/report';
import { buildModel, type BuiltLayer, type BuiltModel, type TF } from '../../rebuild/build';
import { intendedWeight } from '../../rebuild/intended';
import { measure, type InputDistribution, type LayerMeasurement, type Measurement } from '../../rebuild/measure';
import { tensorStats } from '../../rebuild/stats';
import type { AlternativeId } from './alternatives';
import { badgesFor } from './badges';
import type { GradientSummary, InputSummary, LayerData, OutputSummary, PredictedSummary, QuickLookInfo, RunData, RunOutcome, WeightData } from './data';
import { mergeHistograms } from './histogram';

/** What a run takes: a TensorFlow.js namespace (the page's, or Node's for the report) and the input's distribution. */
export type { InputDistribution, TF };

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
  /**
   * Progressive run (the page): when the full measurement is estimated to end after `deadline`, a smaller but
   * real one is made first on the same rebuilt weights and handed to `show`, then the full one. Undefined: one
   * measurement (the report CLI, the tests).
   */
  quickLook?: QuickLookOptions;
}

export interface QuickLookOptions {
  /** Time (performance.now()) by which a chart should be on screen: a later end of the full run gets a quick look. */
  deadline: number;
  /**
   * Time by which the quick look should be on screen (default: the deadline + 300 ms). It decides what the quick
   * look can afford: the gradients (the backward pass), then a larger batch up to QUICK_TARGET_MS of work.
   */
  target?: number;
  /** Receives the quick look; awaited (the page draws it and lets the browser paint). */
  show(data: RunData): void | Promise<void>;
  /** Relative speed of the backend against WASM with SIMD on one core (the CPU backend ~1/5, software WebGL ~1/10). */
  speed?: number;
  /** Smallest batch of the quick look (default QUICK_MIN_BATCH). */
  minBatch?: number;
  /** Time steps of recurrent layers in the quick look (default QUICK_TIME_STEPS). */
  timeSteps?: number;
}

export const DEFAULT_MAX_PARAMS = 80_000_000;
/** Default work cap of the page's automatic runs: about a second on WASM (SIMD, one thread). */
export const DEFAULT_MAX_MACS = 4e9;
export const MIN_CAPPED_BATCH = 16;
/** The quick look's batch is the largest that fits QUICK_TARGET_MS, at least this. */
export const QUICK_MIN_BATCH = 16;
/** Recurrent layers run over at most this many time steps in the quick look. */
export const QUICK_TIME_STEPS = 20;
/** What the quick look's measurement should take at most when there is time (it grows its batch up to this). */
export const QUICK_TARGET_MS = 250;
/** The time a quick look may always take, however late it is. */
export const QUICK_MIN_BUDGET_MS = 200;

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

const RECURRENT_KINDS = new Set(['simpleRNN', 'lstm', 'gru']);

/**
 * The time model of a measurement, fitted to the page on WASM (SIMD, one thread) in headless Chromium and in Node
 * on a shared 2-core machine (bench/preview-page.ts): matrix work at ~2 G multiply-adds a second; XNNPACK packs each
 * weight matrix on its first use, and in the backward pass a dense kernel is transposed and packed again on every
 * pass (src/rebuild/kernels.ts works around a WASM transposed-matmul bug that way); the first pass of a model
 * compiles the WASM functions of each kind of layer and sets up each convolution; a recurrent layer pays a fixed
 * cost per time step and direction (a step is a dozen small ops dispatched from JavaScript, forward and
 * backward); the statistics run in JavaScript at ~40 M values a second. On the slow side: an over-estimate only
 * costs a quick look that was not needed. Corrected per backend by what the page's finished runs measured.
 */
export const COST = {
  macsPerMs: 2e6,
  /** First use of a weight (packing), per parameter. */
  packPerParamMs: 16e-6,
  /** Backward pass of a dense kernel (transpose and pack), per parameter. */
  backwardPerParamMs: 12e-6,
  /** First pass of a kind of layer on a backend (compiling its kernels), forward and with the backward pass. */
  coldKindMs: 15,
  coldKindBackwardMs: 25,
  /**
   * First pass of each convolution of a rebuilt model (XNNPACK sets up an operator per layer and shape; the
   * backward pass's transposed convolution another), forward and with the backward pass.
   */
  coldConvMs: 25,
  coldConvBackwardMs: 40,
  /** Per time step and direction of a recurrent layer, forward only; ×3 with the backward pass. */
  recurrentStepMs: 2.5,
  /** Per time step and direction, per sample of the batch. */
  recurrentStepSampleMs: 0.03,
  statValuesPerMs: 40e3,
};

const CONV_KINDS_COST = new Set(['conv', 'convTranspose', 'depthwiseConv', 'separableConv']);

/** Per-backend correction learnt from finished runs (measured / estimated), clamped. */
const calibration = new Map<string, number>();
/** Kinds of layer already measured on a backend ("wasm:conv", "wasm:conv:backward"): their kernels are compiled. */
const warmKinds = new Set<string>();

export interface CostEstimate {
  passMs: number;
  statsMs: number;
  /** Reading the weights and their histograms. */
  weightsMs: number;
  totalMs: number;
}

export interface EstimateOptions {
  batch: number;
  backward: boolean;
  /** The weights' statistics and histograms too. */
  weights: boolean;
  /** Speed of the backend relative to WASM (1); the CPU backend about 1/5, software WebGL about 1/10. */
  speed?: number;
  /** The backend's name: applies what earlier runs on it taught (calibration, compiled kernels). */
  backend?: string;
  /** The weights were used before (packed): no first-use cost. */
  warmWeights?: boolean;
}

/** Estimated time of `measure` on a rebuilt model (and of the weight statistics, with `weights`). */
export function estimateMeasureMs(built: BuiltModel, o: EstimateOptions): CostEstimate {
  const factor = (o.backend ? (calibration.get(o.backend) ?? 1) : 1) / (o.speed ?? 1);
  const passes = o.backward ? 3 : 1;
  let fixedMs = 0;
  const kinds = new Set<string>();
  for (const l of built.layers) {
    kinds.add(l.kind);
    if (RECURRENT_KINDS.has(l.kind)) {
      const steps = l.inputShapes[0]?.[0] ?? 1;
      const dirs = l.node.wrapper === 'bidirectional' ? 2 : 1;
      fixedMs += steps * dirs * passes * (COST.recurrentStepMs + COST.recurrentStepSampleMs * o.batch);
    }
    if (!o.warmWeights && CONV_KINDS_COST.has(l.kind)) fixedMs += COST.coldConvMs + (o.backward ? COST.coldConvBackwardMs : 0);
    for (const w of l.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (!o.warmWeights) fixedMs += size * COST.packPerParamMs;
      if (o.backward && l.kind === 'dense' && w.slot === 'kernel') fixedMs += size * COST.backwardPerParamMs;
    }
  }
  for (const k of kinds) {
    if (!warmKinds.has(`${o.backend}:${k}`)) fixedMs += COST.coldKindMs;
    if (o.backward && !warmKinds.has(`${o.backend}:${k}:backward`)) fixedMs += COST.coldKindBackwardMs;
  }
  const passMs = ((macsPerSample(built) * passes * o.batch) / COST.macsPerMs + fixedMs) * factor;
  let values = built.inputs.reduce((a, i) => a + i.shape.reduce((x, y) => x * y, 1), 0);
  for (const l of built.layers) values += l.outputShape.reduce((a, b) => a * b, 1) * (l.hasPreActivation ? 2 : 1) * (o.backward ? 2 : 1);
  const statsMs = ((values * o.batch) / COST.statValuesPerMs) * factor;
  const weightsMs = o.weights ? (built.params / COST.statValuesPerMs) * factor : 0;
  return { passMs, statsMs, weightsMs, totalMs: passMs + statsMs + weightsMs };
}

/** Remembers that the kernels of a model's kinds of layer ran on a backend. */
function warmed(backend: string, built: BuiltModel, backward: boolean): void {
  for (const l of built.layers) {
    warmKinds.add(`${backend}:${l.kind}`);
    if (backward) warmKinds.add(`${backend}:${l.kind}:backward`);
  }
}

/** Learns how far the estimates of a backend are off from a finished measurement (both in ms). */
export function calibrate(backend: string, estimatedMs: number, measuredMs: number): void {
  // Short runs are dominated by fixed costs: they say little about the rates.
  if (!(estimatedMs > 50 && measuredMs > 50)) return;
  // The estimate already includes the factor learnt so far: move it halfway (in log) towards what this run says.
  const ratio = measuredMs / estimatedMs;
  const prev = calibration.get(backend) ?? 1;
  calibration.set(backend, Math.min(4, Math.max(0.5, prev * Math.sqrt(ratio))));
}

export function resetCalibration(): void {
  calibration.clear();
  warmKinds.clear();
}

/**
 * The rebuilt model seen with its recurrent layers over `steps` time steps instead of T: the same weights (a
 * recurrent layer's weights do not depend on the sequence length) and the same tfjs layers, with the model
 * inputs and every node that carries the time axis shortened. Only where that is all that changes: the time
 * axis may pass through embeddings, dense layers, dropout, activations, normalization and sums and must end in
 * a recurrent layer (its last state, or the sequence into another recurrent layer); a flatten, pooling,
 * convolution, reshape or concatenation of a sequence would change the model, and nothing is shortened.
 * Undefined when there is nothing to shorten.
 */
export function shortenSequences(built: BuiltModel, steps: number): { built: BuiltModel; from: number; to: number; layers: number[] } | undefined {
  const rec = built.layers.filter((l) => RECURRENT_KINDS.has(l.kind));
  const T = rec[0]?.inputShapes[0]?.[0];
  if (!T || !(T > steps) || rec.some((l) => l.inputShapes[0]?.length !== 2 || l.inputShapes[0][0] !== T)) return undefined;
  const timedInput = built.inputs.map((inp) => inp.shape.length >= 1 && inp.shape[0] === T);
  const timed: boolean[] = [];
  for (const l of built.layers) {
    const src = built.sources[l.index].map((s) => ('node' in s ? timed[s.node] : timedInput[s.input]));
    if (!src.some(Boolean)) {
      timed.push(false);
      continue;
    }
    if (!src.every(Boolean)) return undefined;
    if (RECURRENT_KINDS.has(l.kind)) timed.push(l.outputShape.length === 2 && l.outputShape[0] === T);
    else if (SEQUENCE_KINDS.has(l.kind) && l.outputShape.length >= 1 && l.outputShape[0] === T) timed.push(true);
    else return undefined;
  }
  // Every shortened input must reach a recurrent layer through shortened nodes.
  for (const [k, t] of timedInput.entries()) {
    if (!t) continue;
    const reaches = (i: number, seen = new Set<number>()): boolean => {
      if (seen.has(i)) return false;
      seen.add(i);
      if (RECURRENT_KINDS.has(built.layers[i].kind)) return true;
      if (!timed[i]) return false;
      return built.layers.some((c) => built.sources[c.index].some((s) => 'node' in s && s.node === i) && reaches(c.index, seen));
    };
    const consumers = built.layers.filter((c) => built.sources[c.index].some((s) => 'input' in s && s.input === k));
    if (!consumers.some((c) => reaches(c.index))) return undefined;
  }
  const cut = (shape: number[]) => [steps, ...shape.slice(1)];
  const layers: BuiltLayer[] = built.layers.map((l) => ({
    ...l,
    inputShapes: l.inputShapes.map((shape, k) => {
      const s = built.sources[l.index][k];
      return s && ('node' in s ? timed[s.node] : timedInput[s.input]) ? cut(shape) : shape;
    }),
    outputShape: timed[l.index] ? cut(l.outputShape) : l.outputShape,
  }));
  const view: BuiltModel = {
    ...built,
    layers,
    inputs: built.inputs.map((inp, k) => (timedInput[k] ? { ...inp, shape: cut(inp.shape) } : inp)),
    model: undefined,
    // The weights belong to `built`.
    dispose() {},
  };
  return { built: view, from: T, to: steps, layers: rec.map((l) => l.index) };
}

/** Kinds through which a time axis may pass unchanged (applied per time step, or elementwise). */
const SEQUENCE_KINDS = new Set(['input', 'embedding', 'dense', 'dropout', 'activation', 'batchNorm', 'layerNorm', 'add']);

/** The description with recurrent layers over `steps` time steps (for the prediction beside a shortened run). */
function withTimeSteps(model: Model, layers: number[], steps: number): Model {
  return { ...model, layers: model.layers.map((l) => (layers.includes(l.index) ? { ...l, timeSteps: steps } : l)) };
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
  return { kind: 'gaussian', mean: d.mean, std: d.std, secondMoment: d.mean * d.mean + d.std * d.std, label: `N(${fmt(d.mean, 4)}, ${fmt(d.std, 4)}²)` };
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

/**
 * Each weight's realized statistics and histogram in one pass over its values (measure.ts's own per-weight
 * statistics are skipped: they would read every weight a second time), with the intended law beside them.
 */
async function weightsOf(built: BuiltModel, bins: number): Promise<WeightData[][]> {
  const out: WeightData[][] = [];
  for (const l of built.layers) {
    const ws: WeightData[] = [];
    for (const w of l.weights) {
      const s = tensorStats(await w.variable.read().data(), { bins });
      const intended = intendedWeight(built.framework, l, w);
      ws.push({
        slot: w.slot,
        name: w.name,
        shape: w.shape,
        initializer: w.ref.id,
        sampledBy: w.sampledBy,
        realized: { count: s.count, mean: s.mean, std: s.std, min: s.min, max: s.max },
        intended: intended ? { distribution: intended.distribution, mean: intended.mean, std: intended.std, note: intended.note } : undefined,
        histogram: s.histogram,
        note: w.note,
      });
    }
    out.push(ws);
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
  let weightsMs = 0;
  let spatial = false;
  let hasIntInput = false;
  let spatialSize = o.spatialSize;
  let batch = o.batch;
  let backwardFailed = false;
  let model = model0;
  let padding: 'same' | undefined;
  let estimate: CostEstimate | undefined;
  let quick: QuickLookInfo | undefined;
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
    const oneBuildMs = now() - tb;
    buildMs += oneBuildMs;
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
      const backend = tf.getBackend();
      if (s === 0) {
        const speed = o.quickLook?.speed;
        const one = estimateMeasureMs(built, { batch, backward: true, weights: true, speed, backend });
        // The other seeds rebuild (about as long as this build) and measure without the weights.
        estimate = { ...one, totalMs: one.totalMs + (seeds - 1) * (oneBuildMs + one.passMs + one.statsMs) };
        if (o.quickLook && now() + estimate.totalMs > o.quickLook.deadline) {
          quick = await quickLook(tf, built, model, { ...o, quickLook: o.quickLook }, { batch, seeds, seed, bins, estimate, notes, prediction, buildMs, t0, backend, hasIntInput, spatial, spatialSize, stop });
          stop();
        }
      }
      const mo = { batch, seed, input: o.input, histogramBins: bins, maxElements: o.maxElements, skipWeights: true };
      // What this measurement should take now (kernels compiled and weights packed by a quick look), to learn from.
      const expected = s === 0 ? estimateMeasureMs(built, { batch, backward: !backwardFailed, weights: true, speed: o.quickLook?.speed, backend, warmWeights: !!quick }) : undefined;
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
        const tw = now();
        weightData = await weightsOf(built, bins);
        weightsMs = now() - tw;
        if (expected && !backwardFailed) calibrate(backend, expected.totalMs, m.timing.passMs + m.timing.statsMs + weightsMs);
      }
      warmed(backend, built, !backwardFailed);
    } finally {
      built.dispose();
    }
    await yieldToEventLoop();
  }
  stop();
  if (quick) quick = { ...quick, fullMs: now() - t0 };
  const data = assemble(model, measurements, {
    o,
    prediction,
    bins,
    notes,
    weights: weightData,
    hasIntInput,
    spatial,
    spatialSize,
    params,
    timing: { buildMs, passMs: 0, statsMs: weightsMs, totalMs: now() - t0 },
  });
  if (quick) data.afterQuickLook = quick;
  return { ok: true, data };
}

interface QuickContext {
  batch: number;
  seeds: number;
  seed: number;
  bins: number;
  estimate: CostEstimate;
  notes: string[];
  prediction: Prediction;
  buildMs: number;
  t0: number;
  backend: string;
  hasIntInput: boolean;
  spatial: boolean;
  spatialSize: number;
  stop(): void;
}

/**
 * The quick look: the same rebuilt weights measured once (one seed) on a smaller batch, with recurrent layers over
 * fewer time steps, and without the weight statistics; handed to `show`. Nothing is shown when that would not be
 * much quicker than the full run, or when it fails (the full run then says why, or throws to the page).
 */
async function quickLook(
  tf: TF,
  built: BuiltModel,
  model: Model,
  o: RunOptions & { quickLook: QuickLookOptions },
  c: QuickContext,
): Promise<QuickLookInfo | undefined> {
  const q = o.quickLook;
  const speed = q.speed;
  const short = shortenSequences(built, q.timeSteps ?? QUICK_TIME_STEPS);
  const view = short?.built ?? built;
  const minBatch = Math.min(c.batch, q.minBatch ?? QUICK_MIN_BATCH);
  const cost = (b: number, backward: boolean) => estimateMeasureMs(view, { batch: b, backward, weights: false, speed, backend: c.backend }).totalMs;
  // The time left until the quick look should be on screen.
  const budget = Math.max(QUICK_MIN_BUDGET_MS, (q.target ?? q.deadline + 300) - now());
  // Forward and backward when that fits the budget; else the forward pass alone if it is much cheaper (the first
  // pass compiles the backward kernels of every kind of layer; large dense kernels are transposed and packed again
  // on every backward pass), the gradients coming with the full run.
  const backward = cost(minBatch, true) <= budget || !(cost(minBatch, false) < 0.5 * cost(minBatch, true));
  // The largest batch (minBatch × a power of two, up to the full batch) that fits the quick target.
  let batch = minBatch;
  for (let b = minBatch * 2; b <= c.batch && cost(b, backward) <= Math.min(budget, QUICK_TARGET_MS); b *= 2) batch = b;
  const estimatedMs = cost(batch, backward);
  if (estimatedMs > 0.6 * c.estimate.totalMs) return undefined;
  const tq = now();
  let m: Measurement;
  try {
    m = await measure(tf, view, { batch, seed: c.seed, input: o.input, histogramBins: c.bins, maxElements: o.maxElements, backward, skipWeights: true });
    warmed(c.backend, view, backward);
  } catch {
    c.stop();
    return undefined;
  }
  c.stop();
  const info: QuickLookInfo = {
    batch: m.batch,
    fullBatch: c.batch,
    seeds: 1,
    fullSeeds: c.seeds,
    timeSteps: short ? { used: short.to, of: short.from } : undefined,
    backward,
    weightsDeferred: true,
    estimatedMs: Math.round(estimatedMs),
    estimatedFullMs: Math.round(c.estimate.totalMs),
  };
  const notes = c.notes.slice();
  for (const n of m.notes) if (!notes.includes(n) && !INTERNAL_NOTE.test(n)) notes.push(n);
  const prediction = short ? propagate(withTimeSteps(model, short.layers, short.to), inputAssumption(o.input)) : c.prediction;
  const data = assemble(model, [m], {
    o,
    prediction,
    bins: c.bins,
    notes,
    weights: undefined,
    hasIntInput: c.hasIntInput,
    spatial: c.spatial,
    spatialSize: c.spatialSize,
    params: built.params,
    timing: { buildMs: c.buildMs, passMs: 0, statsMs: 0, totalMs: now() - c.t0 },
  });
  data.quickLook = info;
  info.measureMs = Math.round(now() - tq);
  await q.show(data);
  return info;
}

interface AssembleContext {
  o: RunOptions;
  prediction: Prediction;
  bins: number;
  notes: string[];
  weights: WeightData[][] | undefined;
  hasIntInput: boolean;
  spatial: boolean;
  spatialSize: number;
  params: number;
  /** passMs and statsMs are added from the measurements. */
  timing: RunData['timing'];
}

/** The measurements (one per seed) with the prediction, badges and notes, as the page draws them. */
function assemble(model: Model, measurements: Measurement[], c: AssembleContext): RunData {
  const { o, prediction, bins } = c;
  const notes = c.notes.slice();
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
      weights: c.weights?.[i] ?? [],
      badges: [],
    };
  });
  const input = inputSummary(o.input);
  const reference = c.hasIntInput ? (layers.find((l) => l.kind === 'embedding')?.output.secondMoment ?? input.secondMoment) : input.secondMoment;
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
  const outputs = model.outputs ?? [model.layers.length - 1];
  for (const l of layers) {
    l.badges = badgesFor(
      {
        activation: l.activation,
        isOutput: outputs.includes(l.index),
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
  if (c.spatial) notes.push(`spatial size ${c.spatialSize}: per-pixel statistics do not depend on the image size away from the borders`);
  if (prediction.stoppedAt) notes.push(`the prediction stops at layer ${prediction.stoppedAt.index}: ${prediction.stoppedAt.reason}`);
  const passMs = measurements.reduce((a, m) => a + m.timing.passMs, 0);
  const statsMs = measurements.reduce((a, m) => a + m.timing.statsMs, 0);
  return {
    alternative: o.alternative,
    modelName: model.name,
    framework: model.framework,
    backend: first.backend,
    batch: first.batch,
    seeds: measurements.map((m) => m.seed),
    input,
    reference,
    params: c.params,
    layers,
    notes,
    firstNonFinite,
    spatial: c.spatial,
    timing: { buildMs: c.timing.buildMs, passMs: c.timing.passMs + passMs, statsMs: c.timing.statsMs + statsMs, totalMs: c.timing.totalMs },
  };
}

function fmtMacs(n: number): string {
  return n >= 1e9 ? `${fmt(n / 1e9, 3)} G` : n >= 1e6 ? `${fmt(n / 1e6, 3)} M` : `${Math.round(n / 1e3)} k`;
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
