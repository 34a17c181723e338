/**
 * Realized weight distributions: what an initializer *actually* samples for a given layer weight, with each
 * framework's own fan rule, argument defaults and quirks. The variance here is the exact variance of the
 * sampled distribution (not the nominal one the initializer's name suggests).
 *
 * Spec: ../shared/reference/init-semantics.md §1.2-1.3 (tfjs), §2.2 (Keras), §3.1-3.5 (PyTorch), §0.1 (quirks).
 * test/core/realize.test.ts checks every formula against closed forms and, for tfjs, against samples drawn by
 * the real @tensorflow/tfjs initializers and layers.
 *
 * Pure core: no vscode import, no I/O.
 */
import type { Framework, InitializerArgs, InitializerRef, LayerNode } from './model';
import { initializerSpec, type ScaleFamily, type WeightSlot } from './initializers';
import {
  KERAS_TRUNCATION_STDDEV_DIVISOR,
  TRUNC_NORMAL_2SIGMA_VARIANCE as T,
  torchCalculateGain,
  truncatedNormalMean,
  truncatedNormalVariance,
} from './moments';

// ---------------------------------------------------------------------------------------------------------------
// Fans
// ---------------------------------------------------------------------------------------------------------------

export interface Fans {
  /** Fan-in as the framework computes it for this weight (what VarianceScaling / kaiming divide by). */
  fanIn?: number;
  fanOut?: number;
  /**
   * The number of inputs that really feed one output unit (what signal propagation should use). Differs from
   * fanIn for tfjs/Keras depthwise kernels (kh·kw, not C_in·kh·kw: reference §0.1 #6) and for transposed
   * convolutions (C_in·∏k at stride 1, where the frameworks count the filters).
   */
  trueFanIn?: number;
  /** The weight's shape in the framework's own layout; entries are undefined where a size is unknown. */
  shape?: (number | undefined)[];
  /** Hidden size H of a recurrent layer (PyTorch default_rnn samples U(±1/√H)). */
  hiddenSize?: number;
  note?: string;
}

type Dims = (number | undefined)[];

function prod(xs: Dims): number | undefined {
  let p = 1;
  for (const x of xs) {
    if (x === undefined || !Number.isFinite(x)) return undefined;
    p *= x;
  }
  return p;
}

function mul(...xs: (number | undefined)[]): number | undefined {
  return prod(xs);
}

/**
 * tfjs computeFans(shape, 'channelsLast') (tfjs-layers initializers.ts:264-289; reference §1.2):
 * rank 2 → (s0, s1); rank 3-5 → (s[-2]·rf, s[-1]·rf) with rf = ∏s[:-2]; any other rank → √∏shape for both.
 */
export function tfjsFansOfShape(shape: Dims): { fanIn?: number; fanOut?: number } {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  if (shape.length >= 3 && shape.length <= 5) {
    const rf = prod(shape.slice(0, -2));
    return { fanIn: mul(shape[shape.length - 2], rf), fanOut: mul(shape[shape.length - 1], rf) };
  }
  const p = prod(shape);
  const r = p === undefined ? undefined : Math.sqrt(p);
  return { fanIn: r, fanOut: r };
}

/**
 * Keras compute_fans (Keras 3 random_initializers.py:663-699; tf.keras 2.15 initializers.py:1136-1160; reference
 * §2.2): rank 0 → (1, 1); rank 1 → (n, n); rank 2 → (s0, s1); rank ≥ 3 → (s[-2]·rf, s[-1]·rf).
 */
export function kerasFansOfShape(shape: Dims): { fanIn?: number; fanOut?: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const rf = prod(shape.slice(0, -2));
  return { fanIn: mul(shape[shape.length - 2], rf), fanOut: mul(shape[shape.length - 1], rf) };
}

/**
 * PyTorch _calculate_fan_in_and_fan_out (torch/nn/init.py; reference §3.2): dim < 2 raises (→ undefined);
 * fan_in = size(1)·∏shape[2:], fan_out = size(0)·∏shape[2:].
 */
export function torchFansOfShape(shape: Dims): { fanIn?: number; fanOut?: number } {
  if (shape.length < 2) return {};
  const rf = prod(shape.slice(2));
  return { fanIn: mul(shape[1], rf), fanOut: mul(shape[0], rf) };
}

function fansOfShape(framework: Framework, shape: Dims): { fanIn?: number; fanOut?: number } {
  if (framework === 'tfjs') return tfjsFansOfShape(shape);
  if (framework === 'keras') return kerasFansOfShape(shape);
  return torchFansOfShape(shape);
}

/** Gates per recurrent cell: SimpleRNN 1, LSTM 4, GRU 3 (tfjs recurrent.ts:1030-1037, 1385-1391, 1703-1709). */
function gatesOf(kind: LayerNode['kind']): number | undefined {
  return kind === 'simpleRNN' ? 1 : kind === 'lstm' ? 4 : kind === 'gru' ? 3 : undefined;
}

function exactDiv(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  const r = a / b;
  return Number.isInteger(r) ? r : undefined;
}

interface WeightLayout {
  shape: Dims;
  trueFanIn?: number;
  hiddenSize?: number;
  note?: string;
}

/**
 * The weight's shape in the framework's layout, or a note when the layer has no such weight or its rank is
 * unknown. Undefined depthMultiplier / groups mean the framework default 1 (PyTorch depthwise: groups = C_in).
 */
function weightLayout(framework: Framework, layer: LayerNode, slot: WeightSlot): WeightLayout | string {
  const I = layer.inFeatures;
  const O = layer.outFeatures;
  const ks = layer.kernelSize;
  const K = ks ? prod(ks) : undefined;
  const torch = framework === 'pytorch';
  const noSlot = `${layer.op} has no '${slot}' weight`;
  const needKernel = `kernel size of ${layer.op} unknown`;

  if (slot === 'gamma' || slot === 'beta') {
    if (layer.kind !== 'batchNorm' && layer.kind !== 'layerNorm') return noSlot;
    return { shape: [I ?? O], note: 'normalization parameter: fixed-scale, fan irrelevant' };
  }

  switch (layer.kind) {
    case 'dense': {
      // tfjs core.ts:245 [in, units]; Keras dense.py [in, units]; PyTorch linear.py (out, in).
      if (slot === 'kernel') return torch ? { shape: [O, I], trueFanIn: I } : { shape: [I, O], trueFanIn: I };
      if (slot === 'bias') return biasLayout(framework, [O], I);
      return noSlot;
    }
    case 'conv': {
      const g = layer.groups ?? 1;
      if (slot === 'kernel') {
        if (!ks) return needKernel;
        if (torch) {
          // conv.py _ConvNd: (out, in/groups, *k) (reference §3.2).
          const ig = exactDiv(I, g);
          return { shape: [O, ig, ...ks], trueFanIn: mul(ig, K) };
        }
        // tfjs convolutional.ts:546 k ++ [in, filters] (tfjs has no groups); Keras base_conv.py:193-196 k ++ [in//groups, filters].
        const ig = framework === 'keras' ? exactDiv(I, g) : I;
        return { shape: [...ks, ig, O], trueFanIn: mul(ig, K) };
      }
      if (slot === 'bias') return biasLayout(framework, [O], torch ? mul(exactDiv(I, g), K) : undefined);
      return noSlot;
    }
    case 'convTranspose': {
      const g = layer.groups ?? 1;
      const strideNote = 'trueFanIn = C_in·∏k assumes stride 1; with stride s an output sees about C_in·∏k/s^d inputs';
      if (slot === 'kernel') {
        if (!ks) return needKernel;
        // PyTorch ConvTransposeNd: (in, out/groups, *k) (reference §3.2).
        if (torch) return { shape: [I, exactDiv(O, g), ...ks], trueFanIn: mul(exactDiv(I, g), K), note: strideNote };
        // tfjs convolutional.ts:738/886, Keras base_conv_transpose.py:188-191: k ++ [filters, in]: fanIn counts the filters.
        return { shape: [...ks, O, I], trueFanIn: mul(I, K), note: strideNote };
      }
      if (slot === 'bias') return biasLayout(framework, [O], torch ? mul(exactDiv(O, g), K) : undefined);
      return noSlot;
    }
    case 'depthwiseConv': {
      const m = layer.depthMultiplier ?? 1;
      if (torch) {
        // PyTorch depthwise = Conv with groups = C_in: (C_in·mult, 1, *k); fan_in = kh·kw is the true one.
        const g = layer.groups ?? I;
        const out = O ?? mul(I, m);
        if (slot === 'kernel') {
          if (!ks) return needKernel;
          const ig = exactDiv(I, g);
          return { shape: [out, ig, ...ks], trueFanIn: mul(ig, K) };
        }
        if (slot === 'bias') return biasLayout(framework, [out], mul(exactDiv(I, g), K));
        return noSlot;
      }
      // tfjs convolutional_depthwise.ts:143-145, Keras base_depthwise_conv.py:161-164: k ++ [in, mult].
      if (slot === 'kernel') {
        if (!ks) return needKernel;
        return {
          shape: [...ks, I, m],
          trueFanIn: K,
          note: 'depthwise kernel: the framework counts C_in·∏k as fan-in, each output really sees ∏k inputs (reference §0.1 #6)',
        };
      }
      if (slot === 'bias') return biasLayout(framework, [mul(I, m)], undefined);
      return noSlot;
    }
    case 'separableConv': {
      if (torch) return `PyTorch has no separable convolution layer`;
      const m = layer.depthMultiplier ?? 1;
      if (slot === 'kernel') {
        if (!ks) return needKernel;
        // tfjs convolutional.ts:1127-1128, Keras base_separable_conv.py: depthwise k ++ [in, mult].
        return {
          shape: [...ks, I, m],
          trueFanIn: K,
          note: 'separable depthwise kernel: the framework counts C_in·∏k as fan-in, each output really sees ∏k inputs (reference §0.1 #6)',
        };
      }
      if (slot === 'pointwise') {
        if (!ks) return needKernel;
        // tfjs convolutional.ts:1129-1133, Keras base_separable_conv.py:173-176: [1,…,1, in·mult, filters].
        const im = mul(I, m);
        return { shape: [...ks.map(() => 1), im, O], trueFanIn: im };
      }
      if (slot === 'bias') return biasLayout(framework, [O], undefined);
      return noSlot;
    }
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      const G = gatesOf(layer.kind)!;
      const u = O;
      const Gu = mul(G, u);
      if (slot === 'kernel') {
        // tfjs/Keras [in, G·u]; PyTorch weight_ih (G·H, in) (reference §1.2, §3.2).
        return { shape: torch ? [Gu, I] : [I, Gu], trueFanIn: I, hiddenSize: u };
      }
      if (slot === 'recurrent') return { shape: torch ? [Gu, u] : [u, Gu], trueFanIn: u, hiddenSize: u };
      if (slot === 'bias') {
        if (framework === 'keras' && layer.kind === 'gru') {
          // Keras GRU reset_after=True (default) keeps input and recurrent biases: shape (2, 3u) (rnn/gru.py:164-171).
          return { shape: [2, Gu], hiddenSize: u, note: 'Keras GRU bias (2, 3u) assumes reset_after=True (the default)' };
        }
        return { shape: [Gu], hiddenSize: u };
      }
      return noSlot;
    }
    case 'embedding': {
      if (slot !== 'embeddings') return noSlot;
      // tfjs embeddings.ts:118-119 / Keras [inputDim, outputDim]; PyTorch (num_embeddings, embedding_dim).
      return {
        shape: [I, O],
        note: 'embedding: a lookup table, each output is one table entry; the fan rule only matters if a fan-based initializer is used',
      };
    }
    default:
      return noSlot;
  }
}

/**
 * A bias vector. PyTorch's default (reset_parameters) uses the *weight's* fan_in for the bias bound, which is
 * what `fanIn` reports there; tfjs/Keras apply their rank-1 fan rules to the bias shape itself.
 */
function biasLayout(framework: Framework, shape: Dims, torchWeightFanIn: number | undefined): WeightLayout {
  if (framework === 'pytorch') {
    return {
      shape,
      note: "PyTorch bias: reset_parameters bounds it by the weight's fan_in; kaiming_/xavier_/orthogonal_ reject 1-D tensors",
      trueFanIn: torchWeightFanIn,
    };
  }
  return { shape };
}

/**
 * The fans of a layer's weight by the framework's own rule for its kernel layout (reference §1.2 tfjs,
 * §2.2 Keras, §3.2 PyTorch). Unknown sizes give undefined fields; the layer's missing weights give only a note.
 * For a PyTorch bias, `fanIn` is the weight's fan_in (what the default bias bound uses) and `fanOut` is undefined.
 */
export function computeFans(framework: Framework, layer: LayerNode, slot: WeightSlot): Fans {
  const layout = weightLayout(framework, layer, slot);
  if (typeof layout === 'string') return { note: layout };
  const out: Fans = { shape: layout.shape };
  if (framework === 'pytorch' && layout.shape.length < 2) {
    // 1-D PyTorch tensors have no fans; the bias default uses the weight's fan_in (kept in trueFanIn above).
    if (layout.trueFanIn !== undefined) out.fanIn = layout.trueFanIn;
  } else {
    const f = fansOfShape(framework, layout.shape);
    if (f.fanIn !== undefined) out.fanIn = f.fanIn;
    if (f.fanOut !== undefined) out.fanOut = f.fanOut;
    if (layout.trueFanIn !== undefined) out.trueFanIn = layout.trueFanIn;
  }
  if (layout.hiddenSize !== undefined) out.hiddenSize = layout.hiddenSize;
  if (layout.note) out.note = layout.note;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Effective arguments
// ---------------------------------------------------------------------------------------------------------------

const VS_ARGS: ReadonlySet<keyof InitializerArgs> = new Set(['scale', 'mode', 'distribution']);
const TFJS_OR_DEFAULTED: ReadonlySet<keyof InitializerArgs> = new Set(['minval', 'maxval', 'mean', 'stddev']);

function isPreset(id: string): boolean {
  return id !== 'varianceScaling' && id !== 'variance_scaling';
}

/**
 * The arguments the framework really uses: the spec defaults overlaid with the written (known) arguments, with:
 * - tfjs RandomUniform/RandomNormal/TruncatedNormal `||` defaults: a written 0 (or NaN) for minval, maxval, mean,
 *   stddev is replaced by the default (tfjs-layers initializers.ts:125-126, 160-161, 202-203; reference §0.1 #11);
 * - Glorot/He/LeCun presets ignore scale/mode/distribution (tfjs initializers.ts:375-519 pass fixed values; Keras
 *   presets take only a seed);
 * - zeros/ones ignore a written value;
 * - Keras VarianceScaling distribution 'normal' means 'truncatedNormal' (Keras 3 random_initializers.py:274-275,
 *   tf.keras 2.15 initializers.py:596-597; reference §2.2).
 * An unresolved id returns the written arguments unchanged.
 */
export function effectiveArgs(ref: InitializerRef): InitializerArgs {
  const written: InitializerArgs = {};
  for (const [k, v] of Object.entries(ref.args) as [keyof InitializerArgs, unknown][]) {
    if (v !== undefined) (written as Record<string, unknown>)[k] = v;
  }
  const spec = ref.id === undefined ? undefined : initializerSpec(ref.framework, ref.id);
  if (!spec) return written;
  const out: InitializerArgs = { ...spec.defaults };
  const o = out as Record<string, unknown>;
  for (const [k, v] of Object.entries(written) as [keyof InitializerArgs, unknown][]) {
    if (spec.kind === 'varianceScaling' && isPreset(spec.id) && VS_ARGS.has(k)) continue;
    if (spec.kind === 'constant' && k === 'value' && (spec.id.startsWith('zero') || spec.id.startsWith('one'))) continue;
    if (
      ref.framework === 'tfjs' &&
      (spec.kind === 'uniform' || spec.kind === 'normal' || spec.kind === 'truncatedNormal') &&
      TFJS_OR_DEFAULTED.has(k) &&
      !v
    ) {
      continue; // `args.x || DEFAULT`
    }
    o[k] = v;
  }
  if (ref.framework === 'keras' && spec.kind === 'varianceScaling' && out.distribution === 'normal') {
    out.distribution = 'truncatedNormal';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Realized distributions
// ---------------------------------------------------------------------------------------------------------------

export interface Realized {
  distribution: 'normal' | 'truncatedNormal' | 'uniform' | 'constant' | 'orthogonal' | 'identity';
  /** Mean of one element (for identity: the average over the matrix). */
  mean: number;
  /** Exact variance of one element as sampled. */
  variance: number;
  /** The variance the initializer's parameters suggest (before truncation effects). */
  nominalVariance: number;
  std: number;
  /** Uniform half-width, or the truncation distance from the mean (±2σ for tfjs/Keras). */
  limit?: number;
  /** Support [min, max] of a uniform or truncated normal. */
  bounds?: [number, number];
  preTruncationStd?: number;
  /** Constant value. */
  value?: number;
  /** Orthogonal / identity gain. */
  gain?: number;
  /** The fan that was divided by (VarianceScaling, kaiming, xavier (the average), PyTorch defaults). */
  fanUsed?: number;
  note?: string;
}

function uniform(lo: number, hi: number, note?: string): Realized {
  const variance = ((hi - lo) * (hi - lo)) / 12;
  const r: Realized = {
    distribution: 'uniform',
    mean: (lo + hi) / 2,
    variance,
    nominalVariance: variance,
    std: Math.sqrt(variance),
    limit: Math.abs(hi - lo) / 2,
    bounds: [Math.min(lo, hi), Math.max(lo, hi)],
  };
  if (note) r.note = note;
  return r;
}

function symmetricUniform(limit: number, note?: string): Realized {
  return uniform(-limit, limit, note);
}

function normal(mean: number, std: number, note?: string): Realized {
  const s = Math.abs(std);
  const r: Realized = { distribution: 'normal', mean, variance: s * s, nominalVariance: s * s, std: s };
  if (note) r.note = note;
  return r;
}

/** N(mean, sd²) truncated at mean ± 2·sd, uncorrected: variance T·sd² (tfjs-core rand_util.ts:60-63). */
function truncatedTwoSigma(mean: number, sd: number, nominal: number, note?: string): Realized {
  const s = Math.abs(sd);
  const variance = T * s * s;
  const r: Realized = {
    distribution: 'truncatedNormal',
    mean,
    variance,
    nominalVariance: nominal,
    std: Math.sqrt(variance),
    limit: 2 * s,
    bounds: [mean - 2 * s, mean + 2 * s],
    preTruncationStd: s,
  };
  if (note) r.note = note;
  return r;
}

function constant(value: number, note?: string): Realized {
  const r: Realized = { distribution: 'constant', mean: value, variance: 0, nominalVariance: 0, std: 0, value };
  if (note) r.note = note;
  return r;
}

function withFan(r: Realized, fan: number): Realized {
  r.fanUsed = fan;
  return r;
}

function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Arguments whose value does not change the distribution. */
const IRRELEVANT_UNKNOWN = new Set(['seed', 'generator', 'dtype', 'name']);

/** Rows × cols of the matrix an orthogonal/identity initializer works on, per framework flattening. */
function matrixDims(framework: Framework, fans: Fans): { rows?: number; cols?: number; rank?: number; assumed: boolean } {
  const shape = fans.shape;
  if (shape) {
    if (shape.length < 2) return { rank: shape.length, assumed: false };
    if (framework === 'pytorch') {
      // torch/nn/init.py orthogonal_: rows = size(0), cols = numel / rows (reference §3.3).
      return { rows: shape[0], cols: prod(shape.slice(1)), rank: shape.length, assumed: false };
    }
    // tfjs initializers.ts:542-585 and Keras Orthogonal: numRows = ∏shape[:-1], numCols = shape[-1] (reference §1.3).
    return { rows: prod(shape.slice(0, -1)), cols: shape[shape.length - 1], rank: shape.length, assumed: false };
  }
  return { rows: fans.fanIn, cols: fans.fanOut, rank: 2, assumed: true };
}

/**
 * The distribution a written (or default) initializer realizes for a weight with the given fans. Undefined when
 * the initializer is unresolved, a needed fan or argument is unknown, or the framework would throw (tfjs
 * 'untruncatedNormal', tfjs non-square identity, PyTorch kaiming on a 1-D tensor, ...).
 *
 * `fans` is what computeFans returns (only fanIn/fanOut are needed for most initializers; orthogonal/identity use
 * `shape` when present and otherwise treat the weight as a fanIn × fanOut matrix, saying so in `note`).
 * `context.hiddenSize` (else fans.hiddenSize) is H for PyTorch's RNN default U(±1/√H).
 */
export function realize(ref: InitializerRef, fans: Fans, context?: { hiddenSize?: number }): Realized | undefined {
  if (ref.id === undefined) return undefined;
  const spec = initializerSpec(ref.framework, ref.id);
  if (!spec) return undefined;
  const fw = ref.framework;
  // Presets and zeros/ones read no argument that could be unknown except the seed.
  const ignoresArgs =
    (spec.kind === 'varianceScaling' && isPreset(spec.id)) ||
    (spec.kind === 'constant' && (spec.id.startsWith('zero') || spec.id.startsWith('one')));
  if (!ignoresArgs && ref.unknownArgs.some((a) => !IRRELEVANT_UNKNOWN.has(a))) return undefined;
  const args = effectiveArgs(ref);

  switch (spec.kind) {
    case 'varianceScaling':
      return realizeVarianceScaling(fw, args, fans);

    case 'uniform': {
      const lo = args.minval;
      const hi = args.maxval;
      if (!isNum(lo) || !isNum(hi)) return undefined;
      if (fw === 'pytorch' && hi < lo) return undefined; // uniform_ requires from <= to
      return uniform(lo, hi);
    }

    case 'normal': {
      const mean = args.mean;
      const sd = args.stddev;
      if (!isNum(mean) || !isNum(sd)) return undefined;
      if (fw === 'pytorch' && sd < 0) return undefined; // normal_ requires std >= 0
      return normal(mean, sd);
    }

    case 'truncatedNormal': {
      const mean = args.mean;
      const sd = args.stddev;
      if (!isNum(mean) || !isNum(sd)) return undefined;
      if (fw !== 'pytorch') {
        // tfjs truncatedNormal / Keras TruncatedNormal: ±2σ, no correction (reference §1.2 table, §2.2 table).
        return truncatedTwoSigma(mean, sd, sd * sd, 'truncated at mean ± 2·stddev without variance correction: Var = 0.7737·stddev²');
      }
      return realizeTorchTruncNormal(mean, sd, args.lower, args.upper);
    }

    case 'constant': {
      const v = args.value;
      if (!isNum(v)) return undefined; // tfjs constant without value throws (initializers.ts:87-89); torch constant_ needs val
      return constant(v);
    }

    case 'orthogonal': {
      const gain = args.gain;
      if (!isNum(gain)) return undefined;
      const d = matrixDims(fw, fans);
      if (d.rank !== undefined && d.rank < 2) return undefined; // tfjs/Keras/PyTorch reject rank < 2
      if (!isNum(d.rows) || !isNum(d.cols) || d.rows < 1 || d.cols < 1) return undefined;
      // Q (max × min) has orthonormal columns (transposed when rows < cols): min(r,c) unit vectors of length
      // max(r,c). By the sign-fixed QR of a Gaussian matrix Q is Haar-distributed, so every element has mean 0 and
      // E[q²] = 1/max(r,c); the mean square over the matrix is exactly min/(r·c) = 1/max as well.
      const variance = (gain * gain) / Math.max(d.rows, d.cols);
      const r: Realized = {
        distribution: 'orthogonal',
        mean: 0,
        variance,
        nominalVariance: variance,
        std: Math.sqrt(variance),
        gain,
        note: `orthogonal ${d.rows}×${d.cols}: per-element variance gain²/max(rows, cols)` +
          (d.assumed ? '; shape unknown, treated as a fanIn × fanOut matrix' : ''),
      };
      return r;
    }

    case 'identity': {
      const gain = args.gain;
      if (!isNum(gain)) return undefined;
      const d = matrixDims(fw, fans);
      // tfjs: square 2-D only (initializers.ts:235-243); Keras ops.eye(*shape) and torch eye_: any 2-D.
      if (d.rank !== 2 || !isNum(d.rows) || !isNum(d.cols) || d.rows < 1 || d.cols < 1) return undefined;
      if (fw === 'tfjs' && d.rows !== d.cols) return undefined;
      const n = d.rows * d.cols;
      const k = Math.min(d.rows, d.cols);
      const mean = (gain * k) / n;
      const second = (gain * gain * k) / n; // = gain²/max(rows, cols)
      const variance = Math.max(0, second - mean * mean);
      return {
        distribution: 'identity',
        mean,
        variance,
        nominalVariance: variance,
        std: Math.sqrt(variance),
        gain,
        note: `deterministic: gain on the diagonal of a ${d.rows}×${d.cols} matrix; mean and variance are over its elements (mean square gain²/max(rows, cols))` +
          (d.assumed ? '; shape unknown, treated as a fanIn × fanOut matrix' : ''),
      };
    }

    case 'torchKaiming': {
      // kaiming_uniform_/kaiming_normal_ (torch/nn/init.py; reference §3.3): std = gain/√fan, bound = √3·std.
      if (fans.shape && fans.shape.length < 2) return undefined; // _calculate_fan_in_and_fan_out raises for dim < 2
      const mode = args.mode ?? 'fanIn';
      if (mode !== 'fanIn' && mode !== 'fanOut') return undefined; // _calculate_correct_fan accepts only fan_in/fan_out
      const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
      const gain = torchCalculateGain(args.nonlinearity ?? 'leaky_relu', args.negativeSlope ?? 0);
      if (!isNum(fan) || fan <= 0 || gain === undefined) return undefined;
      const std = gain / Math.sqrt(fan);
      const r = spec.distribution === 'normal' ? normal(0, std, 'untruncated normal') : symmetricUniform(Math.sqrt(3) * std);
      r.gain = gain;
      return withFan(r, fan);
    }

    case 'torchXavier': {
      // xavier_uniform_/xavier_normal_: std = gain·√(2/(fan_in + fan_out)) (reference §3.3).
      if (fans.shape && fans.shape.length < 2) return undefined;
      const gain = args.gain;
      const fi = fans.fanIn;
      const fo = fans.fanOut;
      if (!isNum(gain) || !isNum(fi) || !isNum(fo) || fi + fo <= 0) return undefined;
      const std = gain * Math.sqrt(2 / (fi + fo));
      const r = spec.distribution === 'normal' ? normal(0, std, 'untruncated normal') : symmetricUniform(Math.sqrt(3) * std);
      r.gain = gain;
      return withFan(r, (fi + fo) / 2);
    }

    case 'torchDefaultLinear': {
      // linear.py/conv.py reset_parameters: kaiming_uniform_(w, a=√5): gain √(1/3), bound = gain·√(3/fan_in) = 1/√fan_in,
      // Var = 1/(3·fan_in) (reference §0.1 #7, §3.5). The bias uses the same bound (0 if fan_in = 0).
      const fi = fans.fanIn;
      if (!isNum(fi) || fi < 0) return undefined;
      if (fi === 0) return constant(0, 'fan_in = 0: PyTorch sets the bound to 0');
      return withFan(symmetricUniform(1 / Math.sqrt(fi), 'PyTorch default U(±1/√fan_in): Var = 1/(3·fan_in)'), fi);
    }

    case 'torchDefaultRnn': {
      // rnn.py RNNBase.reset_parameters: every parameter U(±1/√hidden_size) (reference §3.4).
      const H = context?.hiddenSize ?? fans.hiddenSize;
      if (!isNum(H) || H <= 0) return undefined;
      return withFan(symmetricUniform(1 / Math.sqrt(H), 'PyTorch RNN default U(±1/√hidden_size): Var = 1/(3H)'), H);
    }
  }
}

function realizeVarianceScaling(fw: Framework, args: InitializerArgs, fans: Fans): Realized | undefined {
  const scale = args.scale;
  const mode = args.mode ?? 'fanIn';
  const dist = args.distribution ?? (fw === 'keras' ? 'truncatedNormal' : 'normal');
  if (!isNum(scale)) return undefined;
  // tfjs throws for scale < 0 (initializers.ts:319-322; 0 accepted); Keras raises for scale <= 0 (§2.2).
  if (scale < 0 || (fw === 'keras' && scale === 0)) return undefined;
  let fan: number | undefined;
  if (mode === 'fanIn') fan = fans.fanIn;
  else if (mode === 'fanOut') fan = fans.fanOut;
  else if (mode === 'fanAvg') fan = isNum(fans.fanIn) && isNum(fans.fanOut) ? (fans.fanIn + fans.fanOut) / 2 : undefined;
  else return undefined;
  if (!isNum(fan)) return undefined;
  // scale' = scale / max(1, fan) (tfjs initializers.ts:332-343; Keras random_initializers.py:293-318).
  const s = scale / Math.max(1, fan);

  if (fw === 'tfjs') {
    if (dist === 'normal') {
      // initializers.ts:345-352: truncatedNormal(0, √scale'), cut at ±2σ, NO /0.8796 correction (reference §0.1 #2,
      // tensorflow/tfjs#8594): realized variance T·scale'.
      return withFan(
        truncatedTwoSigma(0, Math.sqrt(s), s, "tfjs 'normal' VarianceScaling is an uncorrected ±2σ truncated normal: Var = 0.7737 × nominal"),
        fan,
      );
    }
    if (dist === 'uniform' || dist === 'truncatedNormal') {
      // initializers.ts:353-356: every non-'normal' distribution samples U(±√(3·scale')) (reference §0.1 #3).
      return withFan(
        symmetricUniform(
          Math.sqrt(3 * s),
          dist === 'truncatedNormal' ? "tfjs VarianceScaling 'truncatedNormal' actually samples a uniform distribution" : undefined,
        ),
        fan,
      );
    }
    return undefined; // checkDistribution throws ('untruncatedNormal')
  }

  // Keras 3 / tf.keras 2.
  if (dist === 'truncatedNormal' || dist === 'normal') {
    // stddev = √scale'/0.87962566103423978, cut at ±2·stddev: realized variance = scale' (Keras 3 :305, tf.keras 2.15 :661).
    const pre = Math.sqrt(s) / KERAS_TRUNCATION_STDDEV_DIVISOR;
    return withFan(truncatedTwoSigma(0, pre, s, 'Keras corrects the truncation: realized variance = scale/fan'), fan);
  }
  if (dist === 'untruncatedNormal') return withFan(normal(0, Math.sqrt(s)), fan);
  if (dist === 'uniform') return withFan(symmetricUniform(Math.sqrt(3 * s)), fan);
  return undefined;
}

/** PyTorch trunc_normal_(mean, std, a, b): N(mean, std²) restricted to the ABSOLUTE interval [a, b] (reference §0.1 #8). */
function realizeTorchTruncNormal(mean: number, sd: number, lower: number | undefined, upper: number | undefined): Realized | undefined {
  const a = lower ?? -2;
  const b = upper ?? 2;
  if (!isNum(a) || !isNum(b) || !(b > a) || sd < 0) return undefined;
  if (sd === 0) return mean >= a && mean <= b ? constant(mean, 'std = 0') : undefined;
  const alpha = (a - mean) / sd;
  const beta = (b - mean) / sd;
  const v01 = truncatedNormalVariance(alpha, beta);
  const m01 = truncatedNormalMean(alpha, beta);
  if (!Number.isFinite(v01) || !Number.isFinite(m01)) return undefined;
  const variance = sd * sd * v01;
  const realizedMean = mean + sd * m01;
  const r: Realized = {
    distribution: 'truncatedNormal',
    mean: realizedMean,
    variance,
    nominalVariance: sd * sd,
    std: Math.sqrt(variance),
    limit: Math.max(mean - a, b - mean),
    bounds: [a, b],
    preTruncationStd: sd,
  };
  const cutSigmas = Math.min(mean - a, b - mean) / sd;
  r.note =
    cutSigmas > 6
      ? `bounds [${a}, ${b}] are absolute: at ${cutSigmas.toPrecision(3)}σ the truncation is negligible`
      : `bounds [${a}, ${b}] are absolute (${cutSigmas.toPrecision(3)}σ), no variance correction`;
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Scale family and gain
// ---------------------------------------------------------------------------------------------------------------

function near(x: number | undefined, y: number): boolean {
  return x !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
}

/**
 * The scaling family the rules compare against the activation:
 * - 'he': VarianceScaling scale 2, mode fanIn (any distribution); kaiming_* with nonlinearity 'relu' or 'leaky_relu'
 *   in mode fan_in (He et al.'s rule for that slope), except a = √5, which is PyTorch's own default → 'torchDefault'.
 * - 'glorot': VarianceScaling scale 1, fanAvg; xavier_* with gain 1.
 * - 'lecun': VarianceScaling scale 1, fanIn; kaiming_* in mode fan_in whose gain is 1 (nonlinearity 'linear',
 *   conv*, or 'sigmoid'), i.e. Var = 1/fan_in.
 * - 'torchDefault': default_linear, default_rnn (and kaiming a = √5).
 * - 'fixed': uniform / normal / truncatedNormal with fixed numbers (includes PyTorch's Embedding N(0,1)).
 * - 'constant'; 'orthogonal' (orthogonal and identity).
 * - 'other': every other combination (fanOut modes, other scales, kaiming 'tanh' 5/3 or 'selu' 3/4, xavier with
 *   gain ≠ 1, unresolved ids).
 */
export function scaleFamily(ref: InitializerRef): ScaleFamily {
  if (ref.id === undefined) return 'other';
  const spec = initializerSpec(ref.framework, ref.id);
  if (!spec) return 'other';
  const args = effectiveArgs(ref);
  switch (spec.kind) {
    case 'varianceScaling':
      if (args.mode === 'fanIn' && near(args.scale, 2)) return 'he';
      if (args.mode === 'fanAvg' && near(args.scale, 1)) return 'glorot';
      if (args.mode === 'fanIn' && near(args.scale, 1)) return 'lecun';
      return 'other';
    case 'torchKaiming': {
      const nl = args.nonlinearity ?? 'leaky_relu';
      const a = args.negativeSlope ?? 0;
      if ((args.mode ?? 'fanIn') !== 'fanIn') return 'other';
      if (nl === 'leaky_relu' && near(a * a, 5)) return 'torchDefault';
      if (nl === 'relu' || nl === 'leaky_relu') return 'he';
      if (near(torchCalculateGain(nl, a), 1)) return 'lecun';
      return 'other';
    }
    case 'torchXavier':
      return near(args.gain, 1) ? 'glorot' : 'other';
    case 'torchDefaultLinear':
    case 'torchDefaultRnn':
      return 'torchDefault';
    case 'uniform':
    case 'normal':
    case 'truncatedNormal':
      // No spread (std 0, or minval = maxval, as the framework reads them): every weight is the same constant.
      return realize(ref, {})?.variance === 0 ? 'constant' : 'fixed';
    case 'constant':
      return 'constant';
    case 'orthogonal':
    case 'identity':
      return 'orthogonal';
  }
}

/**
 * c = fanIn · E[w²] = fanIn · (variance + mean²): the per-layer variance gain of the mean-field recursion
 * q_{l+1} = c·E[f(h)²] + σ_b² (reference §0 notation, §4.1). Pass the fan-in that really feeds an output
 * (Fans.trueFanIn when it differs from the framework's fanIn).
 */
export function weightGain(realized: Realized, fanIn: number): number {
  return fanIn * (realized.variance + realized.mean * realized.mean);
}
