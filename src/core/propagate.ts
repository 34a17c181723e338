/**
 * Mean-field signal propagation through a model description, forward and backward.
 *
 * Forward, for a layer with i.i.d. zero-mean weights independent of its input (Poole et al. 2016,
 * arXiv:1606.05340; Schoenholz et al. 2017, arXiv:1611.01232; reference §4.1):
 *     q_l   = c · E[x²_{l-1}] + σ_b²           c = (true fan-in) · E[W²]
 *     E[x²_l] = E[f(√q_l z)²],  z ~ N(0, 1)      (exact Gaussian moments, core/moments.ts)
 * The next layer uses the second moment E[f²], not Var[f]: a zero-mean random W turns the activation mean
 * into variance. Backward, for a unit-variance gradient at the output:
 *     E[δ²_{in}] = c_back · E[f'(√q z)²] · E[δ²_{out}]   c_back = (true fan-out) · E[W²].
 *
 * Every quantity is a Moment: an estimate when all sizes are known, and bounds that hold for every value
 * the unknown sizes can take (rules report only what holds for all of them). Where a layer cannot be
 * described (unknown kind or activation), the prediction stops honestly: unknown from there on, except
 * that a normalization layer resets the scale.
 */
import { activationAlpha, activationSpec } from './activations';
import { FRAMEWORK_FACTS, type WeightSlot } from './initializers';
import type { InitializerRef, LayerNode, Model } from './model';
import { WEIGHTED_KINDS } from './model';
import { derivativeSecondMoment, firstMoment, secondMoment } from './moments';
import { computeFans, realize, type Realized } from './realize';
import type { LayerPrediction, Moment, Prediction } from './report';

export interface InputAssumption {
  mean: number;
  std: number;
}

/** Default input: unit Gaussian (mean 0, std 1). */
export const UNIT_GAUSSIAN: InputAssumption = { mean: 0, std: 1 };

// ---------------------------------------------------------------------------------------------------------
// Moment arithmetic

export function exact(x: number): Moment {
  return { estimate: x, lo: x, hi: x };
}

export const UNKNOWN: Moment = { estimate: undefined, lo: 0, hi: Infinity };

function bounded(estimate: number | undefined, lo: number, hi: number): Moment {
  return { estimate, lo: Math.min(lo, hi), hi: Math.max(lo, hi) };
}

/** a · b for non-negative moments. */
export function times(a: Moment, b: Moment): Moment {
  const est = a.estimate !== undefined && b.estimate !== undefined ? a.estimate * b.estimate : undefined;
  return bounded(est, mulNonNeg(a.lo, b.lo), mulNonNeg(a.hi, b.hi));
}

export function plus(a: Moment, b: Moment): Moment {
  const est = a.estimate !== undefined && b.estimate !== undefined ? a.estimate + b.estimate : undefined;
  return bounded(est, a.lo + b.lo, a.hi + b.hi);
}

/** 0 · ∞ is 0 here: a zero gain stops any signal, however large. */
function mulNonNeg(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

/** Apply a non-decreasing function to a moment. */
function mapMonotone(m: Moment, f: (x: number) => number): Moment {
  const est = m.estimate !== undefined ? f(m.estimate) : undefined;
  if (est !== undefined && m.lo === m.estimate && m.hi === m.estimate) return { estimate: est, lo: est, hi: est };
  return bounded(est, f(m.lo), m.hi === Infinity ? f(1e300) : f(m.hi));
}

export function isKnown(m: Moment): boolean {
  return m.estimate !== undefined && m.lo === m.hi;
}

// ---------------------------------------------------------------------------------------------------------
// Connectivity: how many inputs feed one output (forward) and how many outputs one input feeds (backward).
// This is the network's true wiring, which differs from a framework's fan rule for transposed and
// depthwise convolutions (reference §0.1 #6, §1.2).

interface Connectivity {
  forward: number | undefined;
  backward: number | undefined;
}

function prod(xs: number[] | undefined): number | undefined {
  if (!xs) return undefined;
  let p = 1;
  for (const x of xs) {
    if (!Number.isFinite(x) || x <= 0) return undefined;
    p *= x;
  }
  return p;
}

function connectivity(layer: LayerNode, slot: WeightSlot): Connectivity {
  const inF = layer.inFeatures;
  const outF = layer.outFeatures;
  const mul = (...xs: (number | undefined)[]) =>
    xs.every((x) => x !== undefined && Number.isFinite(x)) ? (xs as number[]).reduce((a, b) => a * b, 1) : undefined;
  const k = layer.kernelSize ? prod(layer.kernelSize) : 1;
  const s = layer.strides ? prod(layer.strides) : 1;
  const perStride = k !== undefined && s !== undefined ? k / s : undefined;
  const groups = layer.groups ?? 1;
  switch (layer.kind) {
    case 'dense':
      return { forward: inF, backward: outF };
    case 'conv':
      return { forward: mul(inF, k, 1 / groups), backward: mul(outF, perStride, 1 / groups) };
    case 'convTranspose':
      return { forward: mul(inF, perStride, 1 / groups), backward: mul(outF, k, 1 / groups) };
    case 'depthwiseConv':
      return { forward: k, backward: mul(layer.depthMultiplier ?? 1, perStride) };
    case 'separableConv':
      return slot === 'pointwise'
        ? { forward: mul(inF, layer.depthMultiplier ?? 1), backward: outF }
        : { forward: k, backward: mul(layer.depthMultiplier ?? 1, perStride) };
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return slot === 'recurrent' ? { forward: outF, backward: outF } : { forward: inF, backward: outF };
    default:
      return { forward: undefined, backward: undefined };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Weight gains: c = (true fan) · E[W²], with bounds over unknown sizes.

/** Sizes tried for an unknown feature count, 1 … 2³⁰: the gain is monotone in each size for every initializer here. */
const SIZE_GRID = Array.from({ length: 31 }, (_, i) => 2 ** i);

export interface WeightGain {
  forward: Moment;
  backward: Moment;
  realized?: Realized;
}

function realizeFor(layer: LayerNode, slot: WeightSlot, ref: InitializerRef): Realized | undefined {
  const fans = computeFans(ref.framework, layer, slot);
  return realize(ref, fans, { hiddenSize: layer.outFeatures });
}

function gainAt(layer: LayerNode, slot: WeightSlot, ref: InitializerRef): { f?: number; b?: number; r?: Realized } {
  const r = realizeFor(layer, slot, ref);
  if (!r) return {};
  const w2 = r.variance + r.mean * r.mean;
  const conn = connectivity(layer, slot);
  return {
    f: conn.forward !== undefined ? conn.forward * w2 : undefined,
    b: conn.backward !== undefined ? conn.backward * w2 : undefined,
    r,
  };
}

export function weightGain(layer: LayerNode, slot: WeightSlot = 'kernel'): WeightGain {
  const ref = slot === 'pointwise' ? layer.pointwise : slot === 'recurrent' ? layer.recurrent : layer.kernel;
  if (!ref || ref.id === undefined || ref.unknownArgs.length > 0) return { forward: UNKNOWN, backward: UNKNOWN };
  const direct = gainAt(layer, slot, ref);
  if (direct.f !== undefined && direct.b !== undefined) {
    return { forward: exact(direct.f), backward: exact(direct.b), realized: direct.r };
  }
  // Some size is unknown: bound the gain over every value it can take (memoized: a half-typed file asks this of
  // the same layer shape many times, and each answer costs a grid of realizations).
  const key = JSON.stringify([slot, layer.kind, layer.inFeatures, layer.outFeatures, layer.kernelSize, layer.strides, layer.groups, layer.depthMultiplier, ref.framework, ref.id, ref.args]);
  const memo = BOUNDS_MEMO.get(key);
  if (memo) return memo;
  const bounds = gainBounds(layer, slot, ref);
  if (BOUNDS_MEMO.size > 2048) BOUNDS_MEMO.clear();
  BOUNDS_MEMO.set(key, bounds);
  return bounds;
}

const BOUNDS_MEMO = new Map<string, WeightGain>();

function gainBounds(layer: LayerNode, slot: WeightSlot, ref: InitializerRef): WeightGain {
  const unknownIn = layer.inFeatures === undefined;
  const unknownOut = layer.outFeatures === undefined;
  if ((!unknownIn && !unknownOut) || layer.kernelSize?.some((k) => !Number.isFinite(k))) {
    return { forward: UNKNOWN, backward: UNKNOWN };
  }
  let fLo = Infinity;
  let fHi = -Infinity;
  let bLo = Infinity;
  let bHi = -Infinity;
  for (const i of unknownIn ? SIZE_GRID : [layer.inFeatures!]) {
    for (const o of unknownOut ? SIZE_GRID : [layer.outFeatures!]) {
      const g = gainAt({ ...layer, inFeatures: i, outFeatures: o }, slot, ref);
      if (g.f === undefined || g.b === undefined) return { forward: UNKNOWN, backward: UNKNOWN };
      fLo = Math.min(fLo, g.f);
      fHi = Math.max(fHi, g.f);
      bLo = Math.min(bLo, g.b);
      bHi = Math.max(bHi, g.b);
    }
  }
  // A gain that grows without bound with the unknown size (e.g. a fixed std) is unbounded above.
  const grows = (lo: number, hi: number) => (hi > 1e6 * Math.max(lo, 1e-300) ? Infinity : hi);
  return {
    forward: bounded(undefined, fLo, grows(fLo, fHi)),
    backward: bounded(undefined, bLo, grows(bLo, bHi)),
  };
}

/** Second moment E[b²] added by a bias (0 without bias). */
function biasSecondMoment(layer: LayerNode): Moment {
  if (layer.useBias === false || !layer.bias) return exact(0);
  if (layer.bias.id === undefined || layer.bias.unknownArgs.length > 0) return UNKNOWN;
  const r = realizeFor(layer, 'bias', layer.bias);
  return r ? exact(r.variance + r.mean * r.mean) : UNKNOWN;
}

function biasMean(layer: LayerNode): number {
  if (layer.useBias === false || !layer.bias || layer.bias.id === undefined) return 0;
  const r = realizeFor(layer, 'bias', layer.bias);
  return r?.mean ?? 0;
}

// ---------------------------------------------------------------------------------------------------------
// Activations

interface ActivationResult {
  output: Moment;
  mean: number | undefined;
  variance: Moment;
  /** E[f'(h)²] at the same pre-activation (for the backward pass). */
  derivative: Moment;
  note?: string;
}

/**
 * Push a Gaussian pre-activation N(mean, q − mean²) through activation `id`.
 * E[f(√v z + μ)²] is non-decreasing in v for every activation here, so bounds map to bounds.
 */
function applyActivation(id: string | undefined, alpha: number | undefined, q: Moment, inMean: number): ActivationResult {
  if (id === undefined || !activationSpec(id)) {
    return { output: UNKNOWN, mean: undefined, variance: UNKNOWN, derivative: UNKNOWN, note: 'unknown activation' };
  }
  const spec = activationSpec(id)!;
  if (spec.family === 'linear') {
    return { output: q, mean: inMean, variance: mapMonotone(q, (x) => Math.max(0, x - inMean * inMean)), derivative: exact(1) };
  }
  if (spec.family === 'softmax') {
    // A read-out: the unit gradient is injected at the logits; the output's scale is not a signal.
    return { output: UNKNOWN, mean: undefined, variance: UNKNOWN, derivative: exact(1), note: `${spec.label} read-out` };
  }
  const a = activationAlpha(id, alpha);
  const varOf = (x: number) => Math.max(0, x - inMean * inMean);
  const m2 = (x: number) => secondMoment(id, varOf(x), a, inMean) ?? NaN;
  const d2 = (x: number) => derivativeSecondMoment(id, varOf(x), a, inMean) ?? NaN;
  const output = mapMonotone(q, m2);
  const mean = q.estimate !== undefined ? firstMoment(id, varOf(q.estimate), a, inMean) : undefined;
  const variance =
    mean !== undefined && output.estimate !== undefined
      ? isKnown(output)
        ? exact(Math.max(0, output.estimate - mean * mean))
        : bounded(output.estimate - mean * mean, 0, output.hi)
      : bounded(undefined, 0, output.hi);
  // E[f'²] is not monotone in q for every activation (it falls for tanh, rises for gelu): bound it over the range.
  const derivative = boundOverRange(q, d2);
  return { output, mean, variance, derivative };
}

/** Bounds of a function of q over [lo, hi] (sampled on a log grid; exact at the ends and the estimate). */
function boundOverRange(q: Moment, g: (x: number) => number): Moment {
  const est = q.estimate !== undefined ? g(q.estimate) : undefined;
  const lo = Math.max(q.lo, 1e-300);
  const hi = Math.min(q.hi, 1e300);
  let mn = Infinity;
  let mx = -Infinity;
  const steps = lo === hi ? 0 : 16;
  for (let i = 0; i <= steps; i++) {
    const x = steps === 0 ? lo : Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / steps);
    const v = g(x);
    if (Number.isFinite(v)) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
  }
  if (est !== undefined) {
    mn = Math.min(mn, est);
    mx = Math.max(mx, est);
  }
  if (!Number.isFinite(mn)) return UNKNOWN;
  return bounded(est, mn, mx);
}

// ---------------------------------------------------------------------------------------------------------
// The forward pass

interface NodeState {
  m: Moment; //         second moment of the node's output
  v: Moment; //         variance of the output over the data
  mean: number | undefined;
}

interface NodeWork {
  pred: LayerPrediction;
  state: NodeState;
  /** Backward factor: E[δ²_in] = backFactor · E[δ²_out]. */
  backFactor: Moment;
}

function stateOfInput(input: InputAssumption): NodeState {
  const v = input.std * input.std;
  return { m: exact(v + input.mean * input.mean), v: exact(v), mean: input.mean };
}

function combineInputs(layer: LayerNode, states: NodeState[], modelInput: NodeState): NodeState {
  if (states.length === 0) return modelInput;
  if (states.length === 1) return states[0];
  return states[0];
}

const RECURRENT_STEPS_CAP = 200;

export function propagate(model: Model, input: InputAssumption = UNIT_GAUSSIAN): Prediction {
  const modelInput = stateOfInput(input);
  const work: NodeWork[] = [];
  let stoppedAt: Prediction['stoppedAt'];
  let reference: number | undefined; // the second moment the read-out ratio is taken against

  for (const layer of model.layers) {
    const inStates = layer.inputs.map((i) => work[i]?.state).filter((s): s is NodeState => !!s);
    const inState = combineInputs(layer, inStates, modelInput);
    const result = forwardNode(layer, inStates, inState, model);
    if (layer.kind === 'embedding' && reference === undefined && result.state.m.estimate !== undefined) {
      reference = result.state.m.estimate;
    }
    if (!stoppedAt && result.pred.output.estimate === undefined && result.pred.note) {
      stoppedAt = { index: layer.index, reason: result.pred.note };
    }
    work.push(result);
  }

  backward(model, work);

  const layers = work.map((w) => w.pred);
  const readout = findReadout(model);
  const ref = reference ?? modelInput.m.estimate ?? 1;
  const ratio = (m: Moment | undefined): Moment | undefined =>
    m ? bounded(m.estimate !== undefined ? m.estimate / ref : undefined, m.lo / ref, m.hi / ref) : undefined;
  const outputs = model.outputs ?? (model.layers.length ? [model.layers.length - 1] : []);
  const lastOut = outputs.length ? layers[outputs[outputs.length - 1]] : undefined;
  return {
    input: { secondMoment: modelInput.m.estimate!, variance: modelInput.v.estimate!, mean: input.mean },
    layers,
    readout,
    readoutRatio: readout !== undefined ? ratio(layers[readout].input) : undefined,
    outputRatio: ratio(lastOut?.output),
    stoppedAt,
  };
}

/** The read-out layer: the last weighted layer (in topological order) that is not an embedding. */
export function findReadout(model: Model): number | undefined {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const l = model.layers[i];
    if (WEIGHTED_KINDS.has(l.kind) && l.kind !== 'embedding') return i;
  }
  return undefined;
}

function forwardNode(layer: LayerNode, inStates: NodeState[], inState: NodeState, model: Model): NodeWork {
  const base = (state: NodeState, backFactor: Moment, extra: Partial<LayerPrediction> = {}): NodeWork => {
    const pred: LayerPrediction = {
      index: layer.index,
      input: inState.m,
      output: state.m,
      outputVariance: state.v,
      outputMean: state.mean,
      forwardGain: ratioEstimate(state.m, inState.m),
      ...extra,
    };
    return { pred, state, backFactor };
  };
  const unknown = (note: string): NodeWork =>
    base({ m: UNKNOWN, v: UNKNOWN, mean: undefined }, UNKNOWN, { note });

  switch (layer.kind) {
    case 'input':
    case 'flatten':
    case 'reshape':
      return base(inState, exact(1));

    case 'dropout': {
      // Inverted dropout in training mode: kept units are scaled by 1/(1−p), so E[x²] grows by 1/(1−p).
      const p = layer.rate;
      if (p === undefined || !(p >= 0 && p < 1)) return unknown('dropout rate unknown');
      const k = exact(1 / (1 - p));
      const m = times(inState.m, k);
      const mean = inState.mean;
      const v =
        m.estimate !== undefined && mean !== undefined
          ? isKnown(m)
            ? exact(Math.max(0, m.estimate - mean * mean))
            : bounded(m.estimate - mean * mean, 0, m.hi)
          : bounded(undefined, 0, m.hi);
      return base({ m, v, mean }, k);
    }

    case 'pooling':
    case 'globalPooling': {
      // Average pooling: E[(mean x)²] lies between (E x)² and E[x²] (Jensen), depending on the unknown
      // spatial correlation. Max pooling of a non-negative signal keeps at least E[x²] and at most k·E[x²].
      const mean = inState.mean;
      const meanSq = mean !== undefined ? mean * mean : 0;
      const window = layer.kind === 'pooling' ? prod(layer.poolSize) : undefined;
      if (layer.pooling === 'max') {
        const nonNegative = mean !== undefined && inState.m.estimate !== undefined && mean > 0;
        if (!nonNegative) return base({ ...inState }, bounded(undefined, 0, 1), { note: 'max pooling of a signed signal: bounds only' });
        const hi = window !== undefined && layer.kind === 'pooling' ? inState.m.hi * window : Infinity;
        return base({ m: bounded(inState.m.estimate, inState.m.lo, hi), v: inState.v, mean }, bounded(undefined, 0, 1), {
          note: 'max pooling: the estimate is the lower bound E[x²]',
        });
      }
      return base(
        { m: bounded(inState.m.estimate, meanSq, inState.m.hi), v: bounded(inState.v.estimate, 0, inState.v.hi), mean },
        bounded(undefined, 0, 1),
        { note: 'average pooling: the estimate assumes fully correlated neighbours; bounds hold for any correlation' },
      );
    }

    case 'add': {
      // Branches with independent zero-mean weights are uncorrelated: second moments add.
      if (inStates.length < 2) return base(inState, exact(1));
      let m = exact(0);
      let v = exact(0);
      let mean: number | undefined = 0;
      for (const s of inStates) {
        m = plus(m, s.m);
        v = plus(v, s.v);
        mean = mean !== undefined && s.mean !== undefined ? mean + s.mean : undefined;
      }
      return base({ m, v, mean }, exact(1), { input: m });
    }

    case 'concatenate': {
      if (inStates.length < 2) return base(inState, exact(1));
      const widths = layer.inputs.map((i) => model.layers[i]?.outFeatures ?? outFeaturesOf(model, i));
      const ms = inStates.map((s) => s.m);
      const lo = Math.min(...ms.map((m) => m.lo));
      const hi = Math.max(...ms.map((m) => m.hi));
      let est: number | undefined;
      if (ms.every((m) => m.estimate !== undefined)) {
        if (widths.every((w) => w !== undefined)) {
          const total = (widths as number[]).reduce((a, b) => a + b, 0);
          est = ms.reduce((acc, m, j) => acc + (m.estimate! * widths[j]!) / total, 0);
        } else if (ms.every((m) => m.estimate === ms[0].estimate)) {
          est = ms[0].estimate;
        }
      }
      const m = bounded(est, lo, hi);
      return base({ m, v: bounded(undefined, 0, hi), mean: undefined }, exact(1));
    }

    case 'batchNorm':
    case 'layerNorm':
      return normalize(layer, inState, base, model);

    case 'activation': {
      const act = applyActivation(layer.activation?.id, layer.activation?.alpha, inState.m, inState.mean ?? 0);
      return base({ m: act.output, v: act.variance, mean: act.mean }, act.derivative, {
        preActivation: inState.m,
        note: act.note,
      });
    }

    case 'embedding': {
      const ref = layer.kernel;
      if (!ref || ref.id === undefined) return unknown('embedding initializer unknown');
      const r = realizeFor(layer, 'embeddings', ref);
      if (!r) return unknown('embedding initializer unknown');
      const m = exact(r.variance + r.mean * r.mean);
      return base({ m, v: exact(r.variance), mean: r.mean }, exact(0), { weightGain: undefined });
    }

    case 'dense':
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv':
      return weighted(layer, inState, base);

    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return recurrent(layer, inState, base);

    default:
      return unknown(layer.unknownReason ?? `layer '${layer.op}' is not modelled`);
  }
}

type Base = (state: NodeState, backFactor: Moment, extra?: Partial<LayerPrediction>) => NodeWork;

function ratioEstimate(out: Moment, inp: Moment): number | undefined {
  return out.estimate !== undefined && inp.estimate !== undefined && inp.estimate > 0 ? out.estimate / inp.estimate : undefined;
}

function outFeaturesOf(model: Model, index: number): number | undefined {
  const l = model.layers[index];
  return l?.outFeatures;
}

function weighted(layer: LayerNode, inState: NodeState, base: Base): NodeWork {
  let gain = weightGain(layer, 'kernel');
  let forward = gain.forward;
  let backward = gain.backward;
  if (layer.kind === 'separableConv') {
    const pw = weightGain(layer, 'pointwise');
    forward = times(forward, pw.forward);
    backward = times(backward, pw.backward);
  }
  const b2 = biasSecondMoment(layer);
  const q = plus(times(forward, inState.m), b2);
  const activationId = layer.activation?.id ?? 'linear';
  const act = applyActivation(activationId, layer.activation?.alpha, q, biasMean(layer));
  const note =
    forward.estimate === undefined
      ? unknownGainReason(layer)
      : act.note;
  // With the weights fixed, each unit's input mean becomes a per-unit offset Σ w·μ that is constant over the
  // data: the variance over the data (what a following batch norm divides by) is c·Var[x], not c·E[x²].
  const linear = activationSpec(activationId)?.family === 'linear';
  const state: NodeState = { m: act.output, v: linear ? times(forward, inState.v) : act.variance, mean: act.mean };
  return base(state, times(backward, act.derivative), {
    preActivation: q,
    weightGain: forward.estimate,
    note,
  });
}

function unknownGainReason(layer: LayerNode): string {
  if (!layer.kernel || layer.kernel.id === undefined) return 'initializer unknown';
  if (layer.kernel.unknownArgs.length) return `initializer argument ${layer.kernel.unknownArgs.join(', ')} unknown`;
  if (layer.inFeatures === undefined) return 'input size unknown: bounds only';
  if (layer.outFeatures === undefined) return 'output size unknown: bounds only';
  return 'layer size unknown';
}

function normalize(layer: LayerNode, inState: NodeState, base: Base, model: Model): NodeWork {
  // y = γ (x − μ)/√(Var x + ε) + β: E[y²] = γ² Var/(Var + ε) + β² (for constant γ, β as initialized).
  const eps = layer.epsilon ?? FRAMEWORK_FACTS[model.framework].normEpsilon;
  const g = constantValue(layer, 'gamma', 1);
  const b = constantValue(layer, 'beta', 0);
  if (g === undefined || b === undefined) {
    return base({ m: UNKNOWN, v: UNKNOWN, mean: undefined }, UNKNOWN, { note: 'normalization scale initializer not constant' });
  }
  const frac = (v: number) => (v === Infinity ? 1 : v / (v + eps));
  const v = inState.v;
  // Unknown input variance still leaves the output bounded by γ² + β²; assume Var ≫ ε for the estimate.
  const fracM = v.estimate !== undefined ? mapMonotone(v, frac) : bounded(1, frac(v.lo), frac(v.hi));
  const m = plus(times(exact(g * g), fracM), exact(b * b));
  const outVar = times(exact(g * g), fracM);
  // Backward (large batch): ∂y/∂x ≈ γ/√(Var + ε), so E[δ_in²] ≈ γ²/(Var + ε) · E[δ_out²].
  const back = v.estimate !== undefined ? exact((g * g) / (v.estimate + eps)) : bounded(undefined, 0, (g * g) / (v.lo + eps));
  return base({ m, v: outVar, mean: b }, back);
}

function constantValue(layer: LayerNode, slot: 'gamma' | 'beta', dflt: number): number | undefined {
  const ref = slot === 'gamma' ? layer.gamma : layer.beta;
  if (!ref) return dflt;
  if (ref.id === undefined) return undefined;
  const r = realize(ref, {});
  if (!r || r.distribution !== 'constant') return undefined;
  return r.mean;
}

/**
 * Recurrent layers: the mean-field recursion iterated over time steps, with the gates of LSTM/GRU treated
 * as independent Gaussians (an approximation, stated in the note). Backward through time is not modelled.
 */
function recurrent(layer: LayerNode, inState: NodeState, base: Base): NodeWork {
  const w = weightGain(layer, 'kernel').forward;
  const u = weightGain(layer, 'recurrent').forward;
  const b2 = biasSecondMoment(layer);
  if (w.estimate === undefined || u.estimate === undefined || b2.estimate === undefined || inState.m.estimate === undefined) {
    return base({ m: UNKNOWN, v: UNKNOWN, mean: undefined }, UNKNOWN, { note: 'recurrent layer: sizes or initializers unknown' });
  }
  const facts = FRAMEWORK_FACTS[layer.kernel?.framework ?? 'tfjs'];
  const act = layer.activation?.id ?? 'tanh';
  const gate = layer.recurrentActivation?.id ?? facts.recurrentActivation;
  const actA = activationAlpha(act, layer.activation?.alpha);
  const gateA = activationAlpha(gate, layer.recurrentActivation?.alpha);
  const T = Math.min(layer.timeSteps ?? RECURRENT_STEPS_CAP, RECURRENT_STEPS_CAP);
  const forgetMean = (layer.unitForgetBias ?? facts.lstmUnitForgetBiasDefault) ? 1 : 0;
  const { last, mean, min, max } = recurrence(layer.kind, act, actA, gate, gateA, T, w.estimate * inState.m.estimate, u.estimate, b2.estimate, forgetMean);
  const est = layer.returnSequences ? mean : last;
  const known = layer.timeSteps !== undefined;
  const m = known ? exact(est) : bounded(est, min, max);
  return base({ m, v: m, mean: 0 }, UNKNOWN, {
    weightGain: w.estimate,
    note:
      (layer.kind === 'simpleRNN' ? 'recurrent' : `${layer.kind.toUpperCase()} (gates as independent Gaussians, approximate)`) +
      (known ? `, ${T} steps` : `, sequence length unknown: bounds over 1–${T} steps`) +
      '; backward through time not modelled',
  });
}

/**
 * The mean-field recurrence of the hidden state's second moment over T steps, from h₀ = 0 (and c₀ = 0): its last
 * value, mean, minimum and maximum. Memoized by its inputs: an LSTM of 200 steps is ~1,000 activation moments,
 * and the editor re-checks the same layers on every keystroke.
 */
function recurrence(kind: LayerNode['kind'], act: string, actA: number, gate: string, gateA: number, T: number, cx: number, u: number, sb: number, forgetMean: number): { last: number; mean: number; min: number; max: number } {
  const key = `${kind}|${act}|${actA}|${gate}|${gateA}|${T}|${cx}|${u}|${sb}|${forgetMean}`;
  const memo = RECURRENCE_MEMO.get(key);
  if (memo) return memo;
  const M2 = (id: string, q: number, a: number, mean = 0) => secondMoment(id, q, a, mean) ?? NaN;
  let mh = 0;
  let mc = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < T; t++) {
    const q = cx + u * mh + sb;
    if (kind === 'simpleRNN') {
      mh = M2(act, q, actA);
    } else if (kind === 'lstm') {
      const i2 = M2(gate, q, gateA);
      const f2 = M2(gate, q, gateA, forgetMean);
      const o2 = i2; // the output gate has the input gate's law (zero-mean bias)
      const g2 = M2(act, q, actA);
      mc = f2 * mc + i2 * g2;
      mh = o2 * M2(act, mc, actA);
    } else {
      const z2 = M2(gate, q, gateA);
      const r2 = z2; // the reset gate has the update gate's law
      const zMean = firstMoment(gate, q, gateA) ?? 0.5;
      const oneMinusZ2 = 1 - 2 * zMean + z2;
      const qh = cx + u * r2 * mh + sb;
      mh = z2 * mh + oneMinusZ2 * M2(act, qh, actA);
    }
    sum += mh;
    if (mh < min) min = mh;
    if (mh > max) max = mh;
  }
  const result = { last: mh, mean: T > 0 ? sum / T : NaN, min, max };
  if (RECURRENCE_MEMO.size > 512) RECURRENCE_MEMO.clear();
  RECURRENCE_MEMO.set(key, result);
  return result;
}

const RECURRENCE_MEMO = new Map<string, { last: number; mean: number; min: number; max: number }>();

// ---------------------------------------------------------------------------------------------------------
// The backward pass: unit-variance gradient at the model's outputs, propagated to every layer's input.

function backward(model: Model, work: NodeWork[]): void {
  const n = work.length;
  const gradOut: (Moment | undefined)[] = new Array(n).fill(undefined);
  const outputs = model.outputs ?? (n ? [n - 1] : []);
  for (const o of outputs) if (o >= 0 && o < n) gradOut[o] = exact(1);
  for (let i = n - 1; i >= 0; i--) {
    const g = gradOut[i];
    if (!g) continue;
    const gin = times(work[i].backFactor, g);
    const pred = work[i].pred;
    pred.gradient = gin;
    pred.backwardGain = work[i].backFactor.estimate;
    for (const j of model.layers[i].inputs) {
      if (j < 0 || j >= n) continue;
      // A node feeding several consumers receives the sum of their (independent) gradients.
      gradOut[j] = gradOut[j] ? plus(gradOut[j]!, gin) : gin;
    }
  }
}
