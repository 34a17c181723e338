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
import { FRAMEWORKS } from './frameworks';
import { prod } from './frameworks/dims';
import type { InitializerSpec, RealizeRules, VarianceScalingLaw } from './frameworks/types';
import { initializerSpec, type ScaleFamily, type WeightSlot } from './initializers';
import {
  KERAS_TRUNCATION_STDDEV_DIVISOR,
  TRUNC_NORMAL_2SIGMA_VARIANCE as T,
  torchCalculateGain,
  truncatedNormalMean,
  truncatedNormalVariance,
} from './moments';

// ---------------------------------------------------------------------------------------------------------------
// Fans: each framework's rule and weight layout live in its registry entry (src/core/frameworks/<fw>/).
// ---------------------------------------------------------------------------------------------------------------

export { tfjsFansOfShape } from './frameworks/tfjs';
export { kerasFansOfShape } from './frameworks/keras';
export { torchFansOfShape } from './frameworks/pytorch';

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

/**
 * The fans of a layer's weight by the framework's own rule for its kernel layout (reference §1.2 tfjs,
 * §2.2 Keras, §3.2 PyTorch). Unknown sizes give undefined fields; the layer's missing weights give only a note.
 * For a PyTorch bias, `fanIn` is the weight's fan_in (what the default bias bound uses) and `fanOut` is undefined.
 */
export function computeFans(framework: Framework, layer: LayerNode, slot: WeightSlot): Fans {
  const sem = FRAMEWORKS[framework];
  const layout = sem.weightLayout(layer, slot);
  if (typeof layout === 'string') return { note: layout };
  const out: Fans = { shape: layout.shape };
  // A weight whose fan the framework takes from elsewhere (PyTorch bias: its weight's fan_in) has no fans of its own.
  const f = sem.fansOfShape(layout.shape);
  const fanIn = f.fanIn ?? layout.fanIn;
  if (fanIn !== undefined) out.fanIn = fanIn;
  if (f.fanOut !== undefined) out.fanOut = f.fanOut;
  if (layout.trueFanIn !== undefined) out.trueFanIn = layout.trueFanIn;
  if (layout.hiddenSize !== undefined) out.hiddenSize = layout.hiddenSize;
  if (layout.note) out.note = layout.note;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Effective arguments
// ---------------------------------------------------------------------------------------------------------------

const OR_DEFAULTED: ReadonlySet<keyof InitializerArgs> = new Set(['minval', 'maxval', 'mean', 'stddev']);

/** A written argument the framework replaces: a preset's fixed one, or a falsy one that tfjs `||`-defaults. */
function replacedByFramework(rules: RealizeRules, spec: InitializerSpec, k: keyof InitializerArgs, v: unknown): boolean {
  if (spec.preset && k in spec.defaults) return true;
  const fixedScale = spec.kind === 'uniform' || spec.kind === 'normal' || spec.kind === 'truncatedNormal';
  return rules.falsyArgsDefaulted && fixedScale && OR_DEFAULTED.has(k) && !v; // `args.x || DEFAULT`
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
  const rules = FRAMEWORKS[ref.framework].realize;
  for (const [k, v] of Object.entries(written) as [keyof InitializerArgs, unknown][]) {
    if (!replacedByFramework(rules, spec, k, v)) o[k] = v;
  }
  const renamed = out.distribution && rules.varianceScaling?.renamed[out.distribution];
  if (spec.kind === 'varianceScaling' && renamed) out.distribution = renamed;
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
function matrixDims(rules: RealizeRules, fans: Fans): { rows?: number; cols?: number; rank?: number; assumed: boolean } {
  const shape = fans.shape;
  if (shape) {
    if (shape.length < 2) return { rank: shape.length, assumed: false };
    if (rules.orthogonalRows === 'firstAxis') {
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
  const rules = FRAMEWORKS[ref.framework].realize;
  // Presets (Glorot/He/LeCun, zeros/ones) read no argument that could be unknown except the seed.
  if (!spec.preset && ref.unknownArgs.some((a) => !IRRELEVANT_UNKNOWN.has(a))) return undefined;
  const args = effectiveArgs(ref);

  switch (spec.kind) {
    case 'varianceScaling':
      return realizeVarianceScaling(rules, args, fans);

    case 'uniform': {
      const lo = args.minval;
      const hi = args.maxval;
      if (!isNum(lo) || !isNum(hi)) return undefined;
      if (rules.rejectsInvalidFixedArgs && hi < lo) return undefined; // uniform_ requires from <= to
      return uniform(lo, hi);
    }

    case 'normal': {
      const mean = args.mean;
      const sd = args.stddev;
      if (!isNum(mean) || !isNum(sd)) return undefined;
      if (rules.rejectsInvalidFixedArgs && sd < 0) return undefined; // normal_ requires std >= 0
      return normal(mean, sd);
    }

    case 'truncatedNormal': {
      const mean = args.mean;
      const sd = args.stddev;
      if (!isNum(mean) || !isNum(sd)) return undefined;
      if (rules.truncation === 'twoSigma') {
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
      const d = matrixDims(rules, fans);
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
      const d = matrixDims(rules, fans);
      // tfjs: square 2-D only (initializers.ts:235-243); Keras ops.eye(*shape) and torch eye_: any 2-D.
      if (d.rank !== 2 || !isNum(d.rows) || !isNum(d.cols) || d.rows < 1 || d.cols < 1) return undefined;
      if (rules.identityNeedsSquare && d.rows !== d.cols) return undefined;
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

function realizeVarianceScaling(rules: RealizeRules, args: InitializerArgs, fans: Fans): Realized | undefined {
  const vsRules = rules.varianceScaling;
  if (!vsRules) return undefined;
  const scale = args.scale;
  const mode = args.mode ?? 'fanIn';
  const dist = args.distribution ?? vsRules.defaultDistribution;
  if (!isNum(scale)) return undefined;
  // tfjs throws for scale < 0 (initializers.ts:319-322; 0 accepted); Keras raises for scale <= 0 (§2.2).
  if (scale < 0 || (vsRules.rejectsZeroScale && scale === 0)) return undefined;
  let fan: number | undefined;
  if (mode === 'fanIn') fan = fans.fanIn;
  else if (mode === 'fanOut') fan = fans.fanOut;
  else if (mode === 'fanAvg') fan = isNum(fans.fanIn) && isNum(fans.fanOut) ? (fans.fanIn + fans.fanOut) / 2 : undefined;
  else return undefined;
  if (!isNum(fan)) return undefined;
  // scale' = scale / max(1, fan) (tfjs initializers.ts:332-343; Keras random_initializers.py:293-318).
  const law = vsRules.samples[dist];
  return law ? withFan(varianceScalingLaw(law, scale / Math.max(1, fan)), fan) : undefined;
}

/** The distribution one VarianceScaling law samples for scale' = scale / fan (tfjs §1.2 / §0.1 #2-3, Keras §2.2). */
function varianceScalingLaw(law: VarianceScalingLaw, s: number): Realized {
  switch (law.law) {
    case 'uncorrectedTruncatedNormal':
      return truncatedTwoSigma(0, Math.sqrt(s), s, law.note); // realized variance T·scale'
    case 'correctedTruncatedNormal':
      return truncatedTwoSigma(0, Math.sqrt(s) / KERAS_TRUNCATION_STDDEV_DIVISOR, s, law.note); // realized = scale'
    case 'normal':
      return normal(0, Math.sqrt(s));
    case 'uniform':
      return symmetricUniform(Math.sqrt(3 * s), law.note);
  }
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
