/**
 * Weight sampling with the semantics of the source framework, for rebuilding a described model in
 * TensorFlow.js (src/rebuild/build.ts): the laws every sampler shares. Each framework's own sampling is in
 * src/rebuild/frameworks/<fw>.ts.
 *
 * - tfjs (frameworks/tfjs.ts): the real thing, tfjs's own `tf.initializers.*` objects built from the
 *   arguments as written, so every tfjs quirk happens exactly as in the user's program (reference
 *   ../shared/reference/init-semantics.md §0.1, §1).
 * - Keras and PyTorch (frameworks/keras.ts, frameworks/pytorch.ts): samplers written from the frameworks'
 *   sources as summarized in the reference (§2.2, §3.2-3.4), from the laws below. They are deliberately
 *   independent of core/realize.ts so that the tests of realize() against these samples are a real check.
 *
 * Random numbers come from seeded tf.randomUniform / tf.randomNormal / tf.truncatedNormal so that a rebuild is
 * reproducible for a given seed on every backend (tfjs draws them in JavaScript, not on the device).
 */
import type * as TFNS from '@tensorflow/tfjs';
import { normalCdf } from '../core/activations';
import { initializerSpec, type InitializerKind, type InitializerSpec, type WeightSlot } from '../core/initializers';
import type { InitializerArgs, InitializerRef, LayerKind } from '../core/model';

export type TF = typeof TFNS;
export type Tensor = TFNS.Tensor;

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

export function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

// -------------------------------------------------------------------------------------------------------------
// Laws

export interface Sampled {
  tensor: Tensor;
  law: SampledLaw;
  fans?: Fans;
}

export function specOf(ref: InitializerRef): InitializerSpec {
  if (ref.id === undefined) throw new SampleError('initializer could not be resolved');
  const spec = initializerSpec(ref.framework, ref.id);
  if (!spec) throw new SampleError(`unknown ${ref.framework} initializer '${ref.id}'`);
  return spec;
}

export function arg<K extends keyof InitializerArgs>(ref: InitializerRef, spec: InitializerSpec, k: K): InitializerArgs[K] {
  return ref.args[k] !== undefined ? ref.args[k] : spec.defaults[k];
}

function drawn(tensor: Tensor, distribution: SampledLaw['distribution'], mean: number, variance: number): Sampled {
  return { tensor, law: { distribution, mean, variance } };
}

export function uniform(tf: TF, shape: number[], lo: number, hi: number, seed: number): Sampled {
  return drawn(tf.randomUniform(shape, lo, hi, 'float32', seed), 'uniform', (lo + hi) / 2, (hi - lo) ** 2 / 12);
}

export function normal(tf: TF, shape: number[], mean: number, std: number, seed: number): Sampled {
  return drawn(tf.randomNormal(shape, mean, std, 'float32', seed), 'normal', mean, std * std);
}

/** N(mean, std²) truncated at mean ± 2·std (tfjs truncatedNormal redraws outside, like the Keras backends). */
export function truncated2(tf: TF, shape: number[], mean: number, std: number, seed: number): Sampled {
  // 0.7737…: the variance of a standard normal cut at ±2 (written here, independently of core/moments.ts).
  return drawn(tf.truncatedNormal(shape, mean, std, 'float32', seed), 'truncatedNormal', mean, 0.7737413035499232 * std * std);
}

export function constant(tf: TF, shape: number[], value: number): Sampled {
  return drawn(tf.fill(shape, value), 'constant', value, 0);
}

/** A symmetric uniform or an untruncated normal of standard deviation `std` (PyTorch kaiming_/xavier_). */
export function uniformOrNormal(tf: TF, shape: number[], distribution: 'uniform' | 'normal' | undefined, std: number, seed: number): Sampled {
  return distribution === 'uniform' ? uniform(tf, shape, -Math.sqrt(3) * std, Math.sqrt(3) * std, seed) : normal(tf, shape, 0, std, seed);
}

/** Draws a weight with one framework's semantics for one kind of initializer. */
export type Sampler = (tf: TF, ref: InitializerRef, spec: InitializerSpec, ctx: WeightContext) => Sampled;

/** A framework's sampler from its table by initializer kind; a kind missing from the table is not supported. */
export function samplerOf(label: string, table: Partial<Record<InitializerKind, Sampler>>) {
  return (tf: TF, ref: InitializerRef, ctx: WeightContext): Sampled => {
    const spec = specOf(ref);
    const sampler = table[spec.kind];
    if (!sampler) throw new SampleError(`${label} initializer '${ref.id}' is not supported by the rebuild`);
    return sampler(tf, ref, spec, ctx);
  };
}

/** PyTorch trunc_normal_(mean, std, a, b): N(mean, std²) restricted to the absolute interval [a, b]. */
export function truncNormalAbsolute(tf: TF, shape: number[], mean: number, std: number, a: number, b: number, seed: number): Sampled {
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
export function orthogonalMatrix(tf: TF, rows: number, cols: number, gain: number, seed: number): Float32Array {
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
export function transposeArray(tf: TF, data: Float32Array, shape: number[], perm: number[]): Tensor {
  return tf.tidy(() => tf.transpose(tf.tensor(data, shape, 'float32'), perm));
}

