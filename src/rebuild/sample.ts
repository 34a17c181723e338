/**
 * Weight sampling with the semantics of the source framework, for rebuilding a described model in
 * TensorFlow.js (src/rebuild/build.ts).
 *
 * - tfjs: the real thing. `tfjsInitializer` returns tfjs's own `tf.initializers.*` object built from the
 *   arguments as written, so every tfjs quirk (uncorrected truncated 'normal' VarianceScaling, 'truncatedNormal'
 *   sampling uniformly, `||` defaults, the separable-conv pointwise bug, the depthwise fan over-count) happens
 *   exactly as in the user's program (reference ../shared/reference/init-semantics.md §0.1, §1).
 * - Keras and PyTorch: samplers written here from the frameworks' sources as summarized in the reference
 *   (§2.2 Keras VarianceScaling with the 0.8796 correction and `compute_fans`; §3.2-3.4 PyTorch fan rules,
 *   kaiming/xavier untruncated, trunc_normal_ with absolute cut-offs, module defaults). They are deliberately
 *   independent of core/realize.ts so that the tests of realize() against these samples are a real check.
 *
 * Random numbers come from seeded tf.randomUniform / tf.randomNormal / tf.truncatedNormal so that a rebuild is
 * reproducible for a given seed on every backend (tfjs draws them in JavaScript, not on the device).
 */
import type * as TFNS from '@tensorflow/tfjs';
import { normalCdf } from '../core/activations';
import { initializerSpec, type InitializerSpec, type WeightSlot } from '../core/initializers';
import type { InitializerArgs, InitializerRef, LayerKind } from '../core/model';

export type TF = typeof TFNS;
export type Tensor = TFNS.Tensor;

/** Keras divides the truncated-normal stddev by this literal (Keras 3 random_initializers.py:305, reference §2.2). */
export const KERAS_TRUNC_DIVISOR = 0.87962566103423978;

export class SampleError extends Error {}

/** Fans as the source framework computes them for this weight. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** What the weight is, in the framework's own layout terms (needed for fans, orthogonal and eye_). */
export interface WeightContext {
  kind: LayerKind;
  slot: WeightSlot;
  /** Shape of the tfjs variable (tfjs layout, channels last, kernel [.., in, out]). */
  shape: number[];
  /** RNN hidden size (PyTorch default_rnn bound 1/√H). */
  hiddenSize?: number;
  /** Fan-in of the layer's main weight (PyTorch default bias bound 1/√fan_in). */
  weightFanIn?: number;
  /** Depthwise multiplier (depthwise kernels [kh, kw, in, mult]). */
  depthMultiplier?: number;
  seed: number;
}

/** The distribution a sampler draws from, as this module understands it (for messages and cross-checks). */
export interface SampledLaw {
  distribution: 'uniform' | 'normal' | 'truncatedNormal' | 'constant' | 'orthogonal' | 'identity';
  mean: number;
  variance: number;
}

// -------------------------------------------------------------------------------------------------------------
// Fans

function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/**
 * Keras `compute_fans` (Keras 3 random_initializers.py:663-699, reference §2.2) on the Keras kernel shape,
 * which is the tfjs shape (both channels last, conv kernel k + (in, out), transpose k + (filters, in)).
 */
export function kerasFans(shape: number[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const rf = prod(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * rf, fanOut: shape[shape.length - 1] * rf };
}

/**
 * The PyTorch weight shape of a tfjs-layout weight: Linear (out, in), ConvNd (out, in/groups, k…),
 * ConvTransposeNd (in, out/groups, k…), depthwise Conv (in·mult, 1, k…), RNN weight_ih (G·H, in) and
 * weight_hh (G·H, H), Embedding (num, dim) (reference §3.2). Undefined for 1-D weights (biases, norms).
 */
export function torchShape(ctx: WeightContext): number[] | undefined {
  const s = ctx.shape;
  if (s.length < 2) return undefined;
  switch (ctx.kind) {
    case 'dense':
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return [s[1], s[0]];
    case 'embedding':
      return [s[0], s[1]];
    case 'conv':
    case 'convTranspose': {
      // tfjs conv [k…, in, out] → torch (out, in, k…); tfjs transpose [k…, filters, in] → torch (in, filters, k…).
      const k = s.slice(0, -2);
      return [s[s.length - 1], s[s.length - 2], ...k];
    }
    case 'depthwiseConv':
    case 'separableConv': {
      const k = s.slice(0, -2);
      if (ctx.slot === 'pointwise') return [s[s.length - 1], s[s.length - 2], ...k];
      // depthwise [k…, in, mult] → torch Conv(groups=in) weight (in·mult, 1, k…)
      return [s[s.length - 2] * s[s.length - 1], 1, ...k];
    }
    default:
      return [s[s.length - 1], ...s.slice(0, -1)];
  }
}

/** PyTorch `_calculate_fan_in_and_fan_out` on the torch-layout shape (init.py; reference §3.2). */
export function torchFans(ctx: WeightContext): Fans {
  const t = torchShape(ctx);
  if (!t) {
    throw new SampleError(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (PyTorch raises ValueError)',
    );
  }
  const rf = prod(t.slice(2));
  return { fanIn: t[1] * rf, fanOut: t[0] * rf };
}

// -------------------------------------------------------------------------------------------------------------
// PyTorch calculate_gain (init.py: calculate_gain; reference §3.1). Written here independently of core/moments.

export function torchGain(nonlinearity: string, param: number | undefined): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new SampleError(`Unsupported nonlinearity ${nonlinearity} (torch.nn.init.calculate_gain raises ValueError)`);
  }
}

// -------------------------------------------------------------------------------------------------------------
// tfjs: the framework's own initializer objects

type TfjsInitializer = ReturnType<TF['initializers']['zeros']>;

/**
 * The tfjs initializer object for a reference, built exactly as the user's code builds it (arguments as
 * written; the seed is replaced by the rebuild's seed so that Monte Carlo runs differ). Throws what tfjs throws
 * (e.g. `constant` without a value, an unknown `mode`), wrapped in a SampleError.
 */
export function tfjsInitializer(tf: TF, ref: InitializerRef, seed: number): TfjsInitializer {
  const a = ref.args;
  const id = ref.id;
  const I = tf.initializers;
  try {
    switch (id) {
      case 'zeros':
        return I.zeros();
      case 'ones':
        return I.ones();
      case 'constant':
        return I.constant({ value: a.value as number });
      case 'randomUniform':
        return I.randomUniform({ minval: a.minval, maxval: a.maxval, seed });
      case 'randomNormal':
        return I.randomNormal({ mean: a.mean, stddev: a.stddev, seed });
      case 'truncatedNormal':
        return I.truncatedNormal({ mean: a.mean, stddev: a.stddev, seed });
      case 'varianceScaling':
        return I.varianceScaling({
          scale: a.scale,
          mode: a.mode,
          // tfjs validates the string union itself and throws on 'untruncatedNormal' (reference §1.1).
          distribution: a.distribution as 'normal' | 'uniform' | 'truncatedNormal' | undefined,
          seed,
        });
      case 'glorotUniform':
        return I.glorotUniform({ seed });
      case 'glorotNormal':
        return I.glorotNormal({ seed });
      case 'heNormal':
        return I.heNormal({ seed });
      case 'heUniform':
        return I.heUniform({ seed });
      case 'leCunNormal':
        return I.leCunNormal({ seed });
      case 'leCunUniform':
        return I.leCunUniform({ seed });
      case 'orthogonal':
        return I.orthogonal({ gain: a.gain, seed });
      case 'identity':
        return I.identity({ gain: a.gain });
      default:
        throw new SampleError(`unknown tfjs initializer '${id}'`);
    }
  } catch (e) {
    if (e instanceof SampleError) throw e;
    throw new SampleError(`tfjs rejects initializer '${id}': ${(e as Error).message}`);
  }
}

// -------------------------------------------------------------------------------------------------------------
// Keras and PyTorch samplers

export interface Sampled {
  tensor: Tensor;
  law: SampledLaw;
  fans?: Fans;
}

function specOf(ref: InitializerRef): InitializerSpec {
  if (ref.id === undefined) throw new SampleError('initializer could not be resolved');
  const spec = initializerSpec(ref.framework, ref.id);
  if (!spec) throw new SampleError(`unknown ${ref.framework} initializer '${ref.id}'`);
  return spec;
}

function arg<K extends keyof InitializerArgs>(ref: InitializerRef, spec: InitializerSpec, k: K): InitializerArgs[K] {
  return ref.args[k] !== undefined ? ref.args[k] : spec.defaults[k];
}

function uniform(tf: TF, shape: number[], lo: number, hi: number, seed: number): Sampled {
  return {
    tensor: tf.randomUniform(shape, lo, hi, 'float32', seed),
    law: { distribution: 'uniform', mean: (lo + hi) / 2, variance: (hi - lo) ** 2 / 12 },
  };
}

function normal(tf: TF, shape: number[], mean: number, std: number, seed: number): Sampled {
  return {
    tensor: tf.randomNormal(shape, mean, std, 'float32', seed),
    law: { distribution: 'normal', mean, variance: std * std },
  };
}

/** N(mean, std²) truncated at mean ± 2·std (tfjs truncatedNormal redraws outside, like the Keras backends). */
function truncated2(tf: TF, shape: number[], mean: number, std: number, seed: number): Sampled {
  return {
    tensor: tf.truncatedNormal(shape, mean, std, 'float32', seed),
    law: { distribution: 'truncatedNormal', mean, variance: 0.7737413035499232 * std * std },
  };
}

function constant(tf: TF, shape: number[], value: number): Sampled {
  return { tensor: tf.fill(shape, value), law: { distribution: 'constant', mean: value, variance: 0 } };
}

/** Keras VarianceScaling.__call__ (Keras 3 random_initializers.py:293-318, reference §2.2). */
function kerasVarianceScaling(tf: TF, ref: InitializerRef, spec: InitializerSpec, ctx: WeightContext): Sampled {
  const scale = arg(ref, spec, 'scale') ?? 1;
  const mode = arg(ref, spec, 'mode') ?? 'fanIn';
  let distribution = arg(ref, spec, 'distribution') ?? 'truncatedNormal';
  if (!(scale > 0)) throw new SampleError(`Keras requires scale > 0 (got ${scale})`);
  if (distribution === 'normal') distribution = 'truncatedNormal'; // :274-275
  const fans = kerasFans(ctx.shape);
  const n = mode === 'fanIn' ? fans.fanIn : mode === 'fanOut' ? fans.fanOut : (fans.fanIn + fans.fanOut) / 2;
  const s = scale / Math.max(1, n);
  let out: Sampled;
  if (distribution === 'truncatedNormal') {
    out = truncated2(tf, ctx.shape, 0, Math.sqrt(s) / KERAS_TRUNC_DIVISOR, ctx.seed);
  } else if (distribution === 'untruncatedNormal') {
    out = normal(tf, ctx.shape, 0, Math.sqrt(s), ctx.seed);
  } else {
    const limit = Math.sqrt(3 * s);
    out = uniform(tf, ctx.shape, -limit, limit, ctx.seed);
  }
  return { ...out, fans };
}

/** PyTorch trunc_normal_(mean, std, a, b): N(mean, std²) restricted to the absolute interval [a, b]. */
function torchTruncNormal(tf: TF, shape: number[], mean: number, std: number, a: number, b: number, seed: number): Sampled {
  if (!(b > a) || !(std > 0)) throw new SampleError(`trunc_normal_ needs a < b and std > 0 (a=${a}, b=${b}, std=${std})`);
  const alpha = (a - mean) / std;
  const beta = (b - mean) / std;
  const mass = normalCdf(beta) - normalCdf(alpha);
  const n = prod(shape);
  const out = new Float32Array(n);
  if (mass > 0.05) {
    // Rejection sampling, as PyTorch main does: draw normals, keep those inside [a, b], redraw the rest.
    let filled = 0;
    for (let round = 0; filled < n && round < 200; round++) {
      const need = Math.ceil(((n - filled) / mass) * 1.1) + 16;
      const t = tf.randomNormal([need], mean, std, 'float32', seed + 7919 * round);
      const d = t.dataSync();
      t.dispose();
      for (let i = 0; i < d.length && filled < n; i++) if (d[i] >= a && d[i] <= b) out[filled++] = d[i];
    }
    if (filled < n) throw new SampleError('trunc_normal_: rejection sampling did not finish');
  } else {
    // Cut-offs far in one tail: inverse CDF (the release-code method: uniform → Φ⁻¹), in double precision.
    const lo = normalCdf(alpha);
    const hi = normalCdf(beta);
    const t = tf.randomUniform([n], 0, 1, 'float32', seed);
    const d = t.dataSync();
    t.dispose();
    for (let i = 0; i < n; i++) {
      const u = lo + (hi - lo) * Math.min(Math.max(d[i], 1e-12), 1 - 1e-12);
      out[i] = Math.min(b, Math.max(a, mean + std * normalQuantile(u)));
    }
  }
  // Moments of the truncated normal, for the record.
  const pa = Number.isFinite(alpha) ? Math.exp(-0.5 * alpha * alpha) / Math.sqrt(2 * Math.PI) : 0;
  const pb = Number.isFinite(beta) ? Math.exp(-0.5 * beta * beta) / Math.sqrt(2 * Math.PI) : 0;
  const zm = (pa - pb) / mass;
  const xa = Number.isFinite(alpha) ? alpha * pa : 0;
  const xb = Number.isFinite(beta) ? beta * pb : 0;
  const v = 1 + (xa - xb) / mass - zm * zm;
  return {
    tensor: tf.tensor(out, shape, 'float32'),
    law: { distribution: 'truncatedNormal', mean: mean + std * zm, variance: std * std * v },
  };
}

/** Φ⁻¹ (Acklam's rational approximation refined by one Halley step; |error| < 1e-13). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * An orthogonal matrix as Keras and PyTorch make it: flatten to (rows, cols), draw a standard normal matrix
 * (transposed when rows < cols), take Q of its QR decomposition with the sign of diag(R) folded in, transpose
 * back, multiply by gain. Modified Gram–Schmidt with re-orthogonalization gives exactly Q·sign(diag R) (the QR
 * factorization with a positive diagonal is unique), i.e. the same Haar-distributed matrix.
 * Returns the matrix row-major in the (rows, cols) layout.
 */
function orthogonalMatrix(tf: TF, rows: number, cols: number, gain: number, seed: number): Float32Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols; // long side
  const n = tall ? cols : rows; // short side: number of orthonormal vectors of length m
  if (m * n * n > 4e9) throw new SampleError(`orthogonal ${rows}×${cols} is too large to rebuild`);
  const g = tf.randomNormal([n, m], 0, 1, 'float32', seed);
  const data = g.dataSync();
  g.dispose();
  const v = Array.from({ length: n }, (_, j) => Float64Array.from(data.subarray(j * m, (j + 1) * m)));
  for (let j = 0; j < n; j++) {
    const vj = v[j];
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const vk = v[k];
        let dot = 0;
        for (let i = 0; i < m; i++) dot += vk[i] * vj[i];
        for (let i = 0; i < m; i++) vj[i] -= dot * vk[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += vj[i] * vj[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) vj[i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  // Column j of Q (tall) is v[j]; Q has shape (m, n). If rows < cols the result is Qᵀ (n × m) = rows × cols.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? v[c][r] : v[r][c]);
  }
  return out;
}

/** Permute a row-major array of shape `from` by `perm` (out[i…] = in[perm-indexed …]), like tf.transpose. */
function transposeArray(tf: TF, data: Float32Array, shape: number[], perm: number[]): Tensor {
  return tf.tidy(() => tf.transpose(tf.tensor(data, shape, 'float32'), perm));
}

/**
 * Convert a PyTorch-layout weight (see torchShape) to the tfjs layout of `ctx.shape`.
 */
function torchToTfjs(tf: TF, data: Float32Array, tshape: number[], ctx: WeightContext): Tensor {
  const r = ctx.shape.length;
  switch (ctx.kind) {
    case 'dense':
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return transposeArray(tf, data, tshape, [1, 0]);
    case 'embedding':
      return tf.tensor(data, ctx.shape, 'float32');
    case 'depthwiseConv':
    case 'separableConv':
    default: {
      if ((ctx.kind === 'depthwiseConv' || ctx.kind === 'separableConv') && ctx.slot !== 'pointwise') {
        // (in·mult, 1, k…) → (in, mult, k…) → [k…, in, mult]
        const inC = ctx.shape[r - 2];
        const mult = ctx.shape[r - 1];
        const k = ctx.shape.slice(0, -2);
        const perm = [...k.map((_, i) => i + 2), 0, 1];
        return transposeArray(tf, data, [inC, mult, ...k], perm);
      }
      // torch (a, b, k…) → tfjs [k…, b, a] (conv, transpose, pointwise)
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i + 2), 1, 0];
      return transposeArray(tf, data, tshape, perm);
    }
  }
}

function kerasOrthogonal(tf: TF, gain: number, ctx: WeightContext): Sampled {
  // Keras 3 random_initializers.py:743-772: flat shape (∏shape[:-1], shape[-1]).
  if (ctx.shape.length < 2) throw new SampleError('Orthogonal initializer requires a tensor of rank ≥ 2 (Keras raises)');
  const cols = ctx.shape[ctx.shape.length - 1];
  const rows = prod(ctx.shape) / cols;
  const q = orthogonalMatrix(tf, rows, cols, gain, ctx.seed);
  return {
    tensor: tf.tensor(q, ctx.shape, 'float32'),
    law: { distribution: 'orthogonal', mean: 0, variance: (gain * gain * Math.min(rows, cols)) / (rows * cols) },
  };
}

function torchOrthogonal(tf: TF, gain: number, ctx: WeightContext): Sampled {
  // init.py orthogonal_: rows = size(0), cols = numel/rows on the PyTorch layout.
  const t = torchShape(ctx);
  if (!t) throw new SampleError('Only tensors with 2 or more dimensions are supported (orthogonal_ raises ValueError)');
  const rows = t[0];
  const cols = prod(t) / rows;
  const q = orthogonalMatrix(tf, rows, cols, gain, ctx.seed);
  return {
    tensor: torchToTfjs(tf, q, t, ctx),
    law: { distribution: 'orthogonal', mean: 0, variance: (gain * gain * Math.min(rows, cols)) / (rows * cols) },
  };
}

function eye(tf: TF, framework: 'keras' | 'pytorch', gain: number, ctx: WeightContext): Sampled {
  if (ctx.shape.length !== 2) throw new SampleError(`identity initializer needs a 2-D weight (shape [${ctx.shape}])`);
  let tensor: Tensor;
  if (framework === 'keras') {
    tensor = tf.tidy(() => tf.mul(tf.eye(ctx.shape[0], ctx.shape[1]), gain));
  } else {
    // eye_ on the torch (out, in) layout, then transposed to tfjs [in, out].
    const t = torchShape(ctx)!;
    tensor = tf.tidy(() => tf.transpose(tf.eye(t[0], t[1])));
  }
  const n = prod(ctx.shape);
  const ones = Math.min(ctx.shape[0], ctx.shape[1]);
  const g = framework === 'keras' ? gain : 1;
  const mean = (g * ones) / n;
  return { tensor, law: { distribution: 'identity', mean, variance: (g * g * ones) / n - mean * mean } };
}

/** Sample a Keras initializer for a weight (tfjs layout = Keras layout). */
export function sampleKeras(tf: TF, ref: InitializerRef, ctx: WeightContext): Sampled {
  const spec = specOf(ref);
  const shape = ctx.shape;
  switch (spec.kind) {
    case 'constant':
      return constant(tf, shape, arg(ref, spec, 'value') ?? 0);
    case 'uniform':
      return uniform(tf, shape, arg(ref, spec, 'minval') ?? -0.05, arg(ref, spec, 'maxval') ?? 0.05, ctx.seed);
    case 'normal':
      return normal(tf, shape, arg(ref, spec, 'mean') ?? 0, arg(ref, spec, 'stddev') ?? 0.05, ctx.seed);
    case 'truncatedNormal':
      // Keras TruncatedNormal: a plain backend truncated normal at ±2 std, no correction (reference §2.2).
      return truncated2(tf, shape, arg(ref, spec, 'mean') ?? 0, arg(ref, spec, 'stddev') ?? 0.05, ctx.seed);
    case 'varianceScaling':
      return kerasVarianceScaling(tf, ref, spec, ctx);
    case 'orthogonal':
      return kerasOrthogonal(tf, arg(ref, spec, 'gain') ?? 1, ctx);
    case 'identity':
      return eye(tf, 'keras', arg(ref, spec, 'gain') ?? 1, ctx);
    default:
      throw new SampleError(`Keras initializer '${ref.id}' is not supported by the rebuild`);
  }
}

/** Sample a PyTorch initializer (or module default) for a weight. */
export function sampleTorch(tf: TF, ref: InitializerRef, ctx: WeightContext): Sampled {
  const spec = specOf(ref);
  const shape = ctx.shape;
  switch (spec.kind) {
    case 'constant': {
      const v = arg(ref, spec, 'value');
      if (v === undefined) throw new SampleError(`${ref.id} needs a value`);
      return constant(tf, shape, v);
    }
    case 'uniform':
      return uniform(tf, shape, arg(ref, spec, 'minval') ?? 0, arg(ref, spec, 'maxval') ?? 1, ctx.seed);
    case 'normal':
      return normal(tf, shape, arg(ref, spec, 'mean') ?? 0, arg(ref, spec, 'stddev') ?? 1, ctx.seed);
    case 'truncatedNormal':
      return torchTruncNormal(
        tf,
        shape,
        arg(ref, spec, 'mean') ?? 0,
        arg(ref, spec, 'stddev') ?? 1,
        arg(ref, spec, 'lower') ?? -2,
        arg(ref, spec, 'upper') ?? 2,
        ctx.seed,
      );
    case 'torchKaiming': {
      const fans = torchFans(ctx);
      const mode = arg(ref, spec, 'mode') ?? 'fanIn';
      if (mode === 'fanAvg') throw new SampleError("kaiming mode must be 'fan_in' or 'fan_out'");
      const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
      const gain = torchGain(arg(ref, spec, 'nonlinearity') ?? 'leaky_relu', arg(ref, spec, 'negativeSlope') ?? 0);
      const std = gain / Math.sqrt(fan);
      const out =
        spec.distribution === 'uniform'
          ? uniform(tf, shape, -Math.sqrt(3) * std, Math.sqrt(3) * std, ctx.seed)
          : normal(tf, shape, 0, std, ctx.seed);
      return { ...out, fans };
    }
    case 'torchXavier': {
      const fans = torchFans(ctx);
      const std = (arg(ref, spec, 'gain') ?? 1) * Math.sqrt(2 / (fans.fanIn + fans.fanOut));
      const out =
        spec.distribution === 'uniform'
          ? uniform(tf, shape, -Math.sqrt(3) * std, Math.sqrt(3) * std, ctx.seed)
          : normal(tf, shape, 0, std, ctx.seed);
      return { ...out, fans };
    }
    case 'torchDefaultLinear': {
      // Weight: kaiming_uniform_(a=√5) = U(±1/√fan_in); bias: U(±1/√fan_in of the weight) (0 if fan_in = 0).
      const fanIn = ctx.slot === 'bias' ? ctx.weightFanIn : torchFans(ctx).fanIn;
      if (fanIn === undefined) throw new SampleError('fan-in of the weight unknown');
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      return { ...uniform(tf, shape, -bound, bound, ctx.seed), fans: ctx.slot === 'bias' ? undefined : torchFans(ctx) };
    }
    case 'torchDefaultRnn': {
      const h = ctx.hiddenSize;
      if (!h) throw new SampleError('hidden size unknown');
      const bound = 1 / Math.sqrt(h);
      return uniform(tf, shape, -bound, bound, ctx.seed);
    }
    case 'orthogonal':
      return torchOrthogonal(tf, arg(ref, spec, 'gain') ?? 1, ctx);
    case 'identity':
      return eye(tf, 'pytorch', 1, ctx);
    default:
      throw new SampleError(`PyTorch initializer '${ref.id}' is not supported by the rebuild`);
  }
}
