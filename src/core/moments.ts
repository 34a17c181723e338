/**
 * Gaussian moments of activation functions: E[f(m + √q·z)], E[f(·)²] and E[f'(·)²] for z ~ N(0,1),
 * computed numerically (composite, adaptive Gauss–Legendre quadrature with panel borders at the kinks)
 * and in closed form for the positively homogeneous piecewise-linear activations.
 *
 * These are the quantities of the mean-field variance recursion q_{l+1} = c·E[f(√q_l z)²] + σ_b²
 * (../shared/reference/init-semantics.md §4.1; Poole et al. 2016, arXiv:1606.05340). The reference table
 * §4.2 (q = 1) and §4.3 (q-dependence) were computed with scipy's adaptive Gauss–Kronrod at rel-tol 1e-13
 * (§7); test/core/moments.test.ts checks this module against those tables, closed forms and Monte Carlo.
 *
 * Pure core: no vscode import, no I/O.
 */
import { activationAlpha, activationSpec, normalCdf, normalPdf } from './activations';

// ---------------------------------------------------------------------------------------------------------------
// Truncated-normal constants
// ---------------------------------------------------------------------------------------------------------------

/**
 * T = Var(N(0,1) truncated to [−2, 2]) = 1 − 4φ(2)/(2Φ(2) − 1) = 0.7737413035499232.
 *
 * Derivation: for Z = Φ(b) − Φ(a) the truncated variance is 1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²; with
 * a = −2, b = 2 the last term vanishes by symmetry and aφ(a) − bφ(b) = −4φ(2), Z = 2Φ(2) − 1.
 * Reference §0 (notation) and §6 `trunc_normal_2sigma_variance`; scipy `truncnorm(-2, 2).var()` agrees.
 * It is the realized-variance factor of tfjs's uncorrected 'normal' VarianceScaling (tfjs-layers
 * initializers.ts:345-352 with tfjs-core rand_util.ts:60-63, reference §0.1 #2), of tfjs/Keras plain
 * `TruncatedNormal` (§1.2, §2.2) and of PyTorch `trunc_normal_` with its default std = 1, a = −2, b = 2 (§0.1 #8).
 * `truncatedNormalVariance(-2, 2)` reproduces it to the last digit (tested).
 */
export const TRUNC_NORMAL_2SIGMA_VARIANCE = 0.7737413035499232;

/**
 * √T = 0.8796256610342398: Keras divides the truncated-normal stddev by the literal 0.87962566103423978
 * (Keras 3 random_initializers.py:305 @v3.15.1, tf.keras 2.15 initializers.py:661; reference §2.2, §6
 * `trunc_normal_2sigma_std`), so Keras's VarianceScaling realizes exactly scale/n.
 */
export const KERAS_TRUNCATION_STDDEV_DIVISOR = 0.87962566103423978;

/** Upper tail Q(x) = 1 − Φ(x), accurate in the right tail (via erfc). */
function upperTail(x: number): number {
  return normalCdf(-x);
}

/** Z = Φ(b) − Φ(a) without cancellation when both bounds lie in the same tail. */
function normalMass(a: number, b: number): number {
  if (a >= 0) return upperTail(a) - upperTail(b);
  if (b <= 0) return normalCdf(b) - normalCdf(a);
  return 1 - normalCdf(a) - upperTail(b);
}

/** x·φ(x), with the limit 0 at ±∞. */
function xPdf(x: number): number {
  return Number.isFinite(x) ? x * normalPdf(x) : 0;
}

/**
 * Variance of N(0,1) truncated to [a, b] (standardized bounds, ±Infinity allowed), by the closed form
 * 1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)², Z = Φ(b) − Φ(a). NaN when b ≤ a, an argument is NaN, or the
 * interval carries no representable mass (both bounds beyond ~38 in the same tail).
 * For bounds far in one tail (|a| ≳ 10) the two large terms cancel and the relative error grows to ~1e-12.
 */
export function truncatedNormalVariance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || !(b > a)) return NaN;
  const z = normalMass(a, b);
  if (!(z > 0)) return NaN;
  const m = (normalPdf(a) - normalPdf(b)) / z;
  return 1 + (xPdf(a) - xPdf(b)) / z - m * m;
}

/** Mean of N(0,1) truncated to [a, b]: (φ(a) − φ(b))/Z. NaN under the same conditions as truncatedNormalVariance. */
export function truncatedNormalMean(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || !(b > a)) return NaN;
  const z = normalMass(a, b);
  if (!(z > 0)) return NaN;
  return (normalPdf(a) - normalPdf(b)) / z;
}

// ---------------------------------------------------------------------------------------------------------------
// torch.nn.init.calculate_gain
// ---------------------------------------------------------------------------------------------------------------

/** The nonlinearities for which calculate_gain returns 1 (torch/nn/init.py: calculate_gain, `linear_fns`). */
const TORCH_LINEAR_FNS = new Set([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
]);

/**
 * Exactly torch.nn.init.calculate_gain(nonlinearity, param) (reference §3.1; torch/nn/init.py: calculate_gain):
 * linear, conv1d-3d, conv_transpose1d-3d and sigmoid → 1; tanh → 5/3; relu → √2;
 * leaky_relu → √(2/(1 + s²)) with s = 0.01 when param is undefined, else s = param;
 * selu → 3/4 (empirical, PR #50664); anything else → undefined (PyTorch raises ValueError).
 * A non-finite leaky_relu param is rejected as PyTorch rejects non-numbers.
 */
export function torchCalculateGain(nonlinearity: string, param?: number): number | undefined {
  if (TORCH_LINEAR_FNS.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param === undefined ? 0.01 : param;
      if (typeof slope !== 'number' || Number.isNaN(slope)) return undefined;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Quadrature
// ---------------------------------------------------------------------------------------------------------------

/** Gauss–Legendre nodes and weights on [−1, 1] by Newton's method on P_n (machine precision for n ≤ 100). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
  }
  return { x, w };
}

const GL = gaussLegendre(16);
/** Relative tolerance of the adaptive refinement (against the integral of |integrand|). */
const REL_TOL = 1e-11;
const MAX_DEPTH = 30;
/** Core integration range in z; extended panel by panel while the tails still contribute. */
const Z_CORE = 12;
/** φ(z) underflows to 0 in double precision beyond |z| ≈ 38.6, so nothing is gained past this. */
const Z_MAX = 39;

function glPanel(h: (z: number) => number, a: number, b: number): number {
  const c = 0.5 * (a + b);
  const r = 0.5 * (b - a);
  let s = 0;
  for (let i = 0; i < GL.x.length; i++) s += GL.w[i] * h(c + r * GL.x[i]);
  return s * r;
}

/** Evaluation budget of one gaussianExpectation call (a safety net; smooth integrands use a few thousand). */
const MAX_PANELS_PER_CALL = 20000;
let panelBudget = 0;

function adaptive(h: (z: number) => number, a: number, b: number, whole: number, tol: number, depth: number): number {
  const m = 0.5 * (a + b);
  const left = glPanel(h, a, m);
  const right = glPanel(h, m, b);
  panelBudget -= 2;
  const both = left + right;
  if (!Number.isFinite(both)) return both;
  // Accept at the tolerance, or at the round-off floor of this sub-panel (else an integrand concentrated at one
  // end of a panel, e.g. e^{20x}φ, would chase a tolerance below its own rounding error).
  const floor = 1e-15 * (Math.abs(left) + Math.abs(right));
  if (Math.abs(both - whole) <= Math.max(tol, floor) || depth >= MAX_DEPTH || panelBudget <= 0 || m <= a || m >= b) {
    return both;
  }
  return adaptive(h, a, m, left, tol / 2, depth + 1) + adaptive(h, m, b, right, tol / 2, depth + 1);
}

/** Panel borders: the integers in [lo, hi] plus the breakpoints strictly inside. */
function borders(lo: number, hi: number, breaks: number[]): number[] {
  const pts: number[] = [];
  for (let k = Math.ceil(lo); k <= hi; k++) pts.push(k);
  pts.push(lo, hi);
  for (const b of breaks) if (b > lo && b < hi) pts.push(b);
  pts.sort((u, v) => u - v);
  const out: number[] = [];
  for (const p of pts) if (out.length === 0 || p - out[out.length - 1] > 1e-12 * Math.max(1, Math.abs(p))) out.push(p);
  if (out[out.length - 1] !== hi) out[out.length - 1] = hi;
  return out;
}

/** ∫ h over [lo, hi] split at the integers and the breakpoints, each panel refined adaptively. */
function integrate(h: (z: number) => number, lo: number, hi: number, breaks: number[], scaleHint: number): { value: number; absValue: number } {
  const pts = borders(lo, hi, breaks);
  const coarse: number[] = [];
  let absSum = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const v = glPanel(h, pts[i], pts[i + 1]);
    coarse.push(v);
    absSum += Math.abs(v);
  }
  const scale = Math.max(absSum, scaleHint);
  const width = Math.max(hi - lo, 1e-300);
  let value = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const tol = (REL_TOL * scale * (pts[i + 1] - pts[i])) / width;
    value += adaptive(h, pts[i], pts[i + 1], coarse[i], tol, 0);
  }
  return { value, absValue: absSum };
}

/**
 * E[g(mean + √q·z)] for z ~ N(0,1).
 *
 * Composite Gauss–Legendre (16 nodes per panel, adaptive bisection to a relative tolerance of 1e-14) over
 * z ∈ [−12, 12] with unit panels, plus panel borders at the `breakpoints` (kinks of g in x) mapped into z-space,
 * (k − mean)/√q, so piecewise-smooth g integrate to ~1e-13 relative. The range is widened one unit at a time
 * (up to |z| = 39, where φ underflows) while the outermost panels still contribute, e.g. for g(x) = e^{8x}.
 *
 * Edge cases (never throws): q = 0 → g(mean); q < 0, q = ±Infinity, q or mean NaN/±Infinity → NaN. A g that
 * overflows gives ±Infinity or NaN, as the integral would.
 */
export function gaussianExpectation(
  g: (x: number) => number,
  q: number,
  mean = 0,
  breakpoints: number[] = [],
): number {
  if (!Number.isFinite(q) || q < 0 || !Number.isFinite(mean)) return NaN;
  if (q === 0) return g(mean);
  panelBudget = MAX_PANELS_PER_CALL;
  const s = Math.sqrt(q);
  const h = (z: number): number => {
    const p = normalPdf(z);
    if (p === 0) return 0;
    return g(mean + s * z) * p;
  };
  const zBreaks = breakpoints.filter(Number.isFinite).map((k) => (k - mean) / s);
  const core = integrate(h, -Z_CORE, Z_CORE, zBreaks, 0);
  let total = core.value;
  let scale = core.absValue;
  if (!Number.isFinite(total) || scale === 0) return total;
  // Widen while the last unit panel on either side still matters (e.g. g = e^{8x}: the mass sits near z = 8).
  const matters = (v: number) => Math.abs(v) > 1e-17 * scale;
  let lo = -Z_CORE;
  let edge = glPanel(h, lo, lo + 1);
  while (lo > -Z_MAX && matters(edge)) {
    const part = integrate(h, lo - 1, lo, zBreaks, scale);
    total += part.value;
    scale += part.absValue;
    edge = part.value;
    lo -= 1;
  }
  let hi = Z_CORE;
  edge = glPanel(h, hi - 1, hi);
  while (hi < Z_MAX && matters(edge)) {
    const part = integrate(h, hi, hi + 1, zBreaks, scale);
    total += part.value;
    scale += part.absValue;
    edge = part.value;
    hi += 1;
  }
  return total;
}

/**
 * Points in x where an activation's curvature lives on the scale of 1 (they bracket the kinks and the smooth
 * transitions of every activation in core/activations.ts); mapped into z they put short panels where a large q
 * squeezes the transition.
 */
const X_SCALE_POINTS = [0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32].flatMap((x) => [-x, x]);
const Z_FIXED = 10;

/**
 * E[g(mean + √q·z)] with a fixed set of panels and no adaptive refinement: the fast path for activation moments,
 * called per layer on every keystroke. Panel borders: the integers in z ∈ [−10, 10], the kinks, and the points of
 * X_SCALE_POINTS, all mapped into z; 16-point Gauss–Legendre on each. Valid for g that grow at most
 * polynomially (every activation here: |f| ≤ C(1 + |x|)), where the mass beyond |z| = 10 is below 1e-20.
 * test/core/moments.test.ts checks it against the adaptive `gaussianExpectation` to 1e-9 relative over
 * q ∈ [1e-6, 1e6] for every activation.
 */
export function fixedPanelExpectation(g: (x: number) => number, q: number, mean = 0, kinks: number[] = []): number {
  if (!Number.isFinite(q) || q < 0 || !Number.isFinite(mean)) return NaN;
  if (q === 0) return g(mean);
  const s = Math.sqrt(q);
  const pts: number[] = [];
  for (let k = -Z_FIXED; k <= Z_FIXED; k++) pts.push(k);
  for (const x of kinks) pts.push((x - mean) / s);
  for (const x of X_SCALE_POINTS) pts.push((x - mean) / s);
  const inside = pts.filter((z) => z >= -Z_FIXED && z <= Z_FIXED).sort((u, v) => u - v);
  let total = 0;
  for (let i = 0; i + 1 < inside.length; i++) {
    const a = inside[i];
    const b = inside[i + 1];
    if (b - a < 1e-14) continue;
    const c = 0.5 * (a + b);
    const r = 0.5 * (b - a);
    let acc = 0;
    for (let j = 0; j < GL.x.length; j++) {
      const z = c + r * GL.x[j];
      acc += GL.w[j] * g(mean + s * z) * Math.exp(-0.5 * z * z);
    }
    total += acc * r;
  }
  return total / Math.sqrt(2 * Math.PI);
}

// ---------------------------------------------------------------------------------------------------------------
// Activation moments
// ---------------------------------------------------------------------------------------------------------------

type MomentKind = 'f' | 'f2' | 'df2';

/** Bounded memo: these are called per layer per keystroke with a handful of distinct arguments. */
const CACHE_LIMIT = 4096;
const cache = new Map<string, number>();

/** Number of memoized moments (for tests; never exceeds the bound). */
export function momentCacheSize(): number {
  return cache.size;
}

export function clearMomentCache(): void {
  cache.clear();
}

/** Piecewise-linear, positively homogeneous activations with slope 1 for x > 0 and slope `a` for x < 0. */
const PIECEWISE_LINEAR: Readonly<Record<string, (alpha: number) => number>> = {
  linear: () => 1,
  relu: () => 0,
  leakyRelu: (a) => a,
  prelu: (a) => a,
};

/**
 * Closed forms for f(x) = x (x > 0), a·x (x < 0) with x = m + s·z, u = m/s (Gaussian partial moments):
 * E[x; x>0] = mΦ(u) + sφ(u); E[x²; x>0] = (m² + s²)Φ(u) + m·s·φ(u); the negative side with u → −u and the
 * sign of the odd term flipped. At m = 0: E[f²] = (1 + a²)/2 · q (He et al. 2015, arXiv:1502.01852;
 * reference §4.2 rows relu and leaky_relu). `linear` (a = 1) reduces to m, m² + q, 1. Requires q > 0.
 */
function piecewiseLinearMoment(kind: MomentKind, a: number, q: number, m: number): number {
  const s = Math.sqrt(q);
  const u = m / s;
  const pPos = normalCdf(u);
  const pNeg = normalCdf(-u);
  const phi = normalPdf(u);
  if (kind === 'f') return m * pPos + s * phi + a * (m * pNeg - s * phi);
  if (kind === 'f2') {
    const m2 = m * m + q;
    return m2 * pPos + m * s * phi + a * a * (m2 * pNeg - m * s * phi);
  }
  return pPos + a * a * pNeg;
}

function moment(kind: MomentKind, id: string, q: number, alpha: number | undefined, mean: number): number | undefined {
  const spec = activationSpec(id);
  // softmax / logSoftmax are not elementwise: they have no Gaussian moment of this form.
  if (!spec || spec.family === 'softmax') return undefined;
  const a = activationAlpha(id, alpha);
  const pl = PIECEWISE_LINEAR[id];
  // The closed forms cost less than a cache lookup. q = 0 and invalid q go through the quadrature (g(mean) /
  // NaN), which uses the spec's own f and f'.
  if (pl && Number.isFinite(q) && q > 0 && Number.isFinite(mean)) return piecewiseLinearMoment(kind, pl(a), q, mean);
  const key = `${kind}|${id}|${q}|${a}|${mean}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Refresh recency (Map keeps insertion order: the first key is the least recently used).
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let v: number;
  {
    const kinks = spec.kinks(a);
    const g =
      kind === 'f'
        ? (x: number) => spec.f(x, a)
        : kind === 'f2'
          ? (x: number) => {
              const y = spec.f(x, a);
              return y * y;
            }
          : (x: number) => {
              const d = spec.df(x, a);
              return d * d;
            };
    v = fixedPanelExpectation(g, q, mean, kinks);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, v);
  return v;
}

/**
 * E[f(√q·z + mean)] for the activation `id` (core/activations.ts), alpha defaulting as `activationAlpha`.
 * Undefined for an unknown id and for softmax/logSoftmax (not elementwise).
 */
export function firstMoment(id: string, q: number, alpha?: number, mean = 0): number | undefined {
  return moment('f', id, q, alpha, mean);
}

/**
 * E[f(√q·z + mean)²]: what the next layer's pre-activation variance is proportional to (reference §4.1).
 * Closed form for linear/relu/leakyRelu/prelu, quadrature otherwise (they agree: tested).
 */
export function secondMoment(id: string, q: number, alpha?: number, mean = 0): number | undefined {
  return moment('f2', id, q, alpha, mean);
}

/** E[f'(√q·z + mean)²]: the backward (gradient) variance factor (reference §4.1, "Backward"). */
export function derivativeSecondMoment(id: string, q: number, alpha?: number, mean = 0): number | undefined {
  return moment('df2', id, q, alpha, mean);
}
