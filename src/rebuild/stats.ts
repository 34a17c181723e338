/**
 * Summary statistics of a tensor's values, computed in JavaScript on the downloaded data (backend-neutral: the
 * same code runs on cpu, wasm and webgl, and one pass over ≤ a few million floats takes milliseconds).
 */

export interface Histogram {
  /** Range covered by the bins: [lo, hi], equal-width bins. */
  lo: number;
  hi: number;
  counts: number[];
}

export interface TensorStats {
  /** Number of elements (including non-finite ones). */
  count: number;
  /** E[x²] over the finite elements. */
  secondMoment: number;
  mean: number;
  /** E[x²] − E[x]² (population variance over all elements: batch, positions and units). */
  variance: number;
  std: number;
  min: number;
  max: number;
  /** Fraction of elements exactly 0 (dead ReLU outputs). */
  zeroFraction: number;
  /** Fraction of units (last axis) that are 0 for every sample and position: dead units. */
  deadUnitFraction?: number;
  /** Fraction of saturated outputs: |x| > 0.99 (tanh-like) or |2x − 1| > 0.99 (sigmoid-like). */
  saturatedFraction?: number;
  nanCount: number;
  infCount: number;
  histogram?: Histogram;
}

export interface StatsOptions {
  /** Number of histogram bins (0 or undefined: none). */
  bins?: number;
  saturation?: 'symmetric' | 'unit';
  /** Size of the last axis, for dead-unit counting (rank ≥ 2 tensors). */
  units?: number;
}

/** Sums over the finite elements of some tensors, and their counts. */
interface Sums {
  count: number;
  finite: number;
  s1: number;
  s2: number;
  min: number;
  max: number;
  zeros: number;
  nan: number;
  inf: number;
}

/** The statistics every summary has, from the sums (NaN moments and extremes when nothing is finite). */
function fromSums(t: Sums): TensorStats {
  const mean = t.finite ? t.s1 / t.finite : NaN;
  const m2 = t.finite ? t.s2 / t.finite : NaN;
  const variance = t.finite ? Math.max(0, m2 - mean * mean) : NaN;
  return {
    count: t.count,
    secondMoment: m2,
    mean,
    variance,
    std: Math.sqrt(variance),
    min: t.finite ? t.min : NaN,
    max: t.finite ? t.max : NaN,
    zeroFraction: t.count ? t.zeros / t.count : 0,
    nanCount: t.nan,
    infCount: t.inf,
  };
}

export function tensorStats(data: ArrayLike<number>, opts: StatsOptions = {}): TensorStats {
  const n = data.length;
  // Moments and extremes of the finite values.
  let s1 = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  // Counts: non-finite (of which NaN), zeros, saturated; units that are ever non-zero.
  let nonFinite = 0;
  let nan = 0;
  let zeros = 0;
  const units = opts.units && opts.units > 0 && n % opts.units === 0 ? opts.units : 0;
  const alive = units ? new Uint8Array(units) : undefined;
  const satKind = opts.saturation;
  // Saturated: x > satHi or x < satLo (never, without a saturation kind).
  const satHi = satKind === 'symmetric' ? 0.99 : satKind === 'unit' ? 0.995 : Infinity;
  const satLo = satKind === 'symmetric' ? -0.99 : satKind === 'unit' ? 0.005 : -Infinity;
  let sat = 0;
  // One pass, unit by unit within each row (no modulo per element); non-finite values take the slow branch.
  const rowLen = units || n;
  for (let r = 0; r < n; r += rowLen) {
    for (let u = 0; u < rowLen; u++) {
      const x = data[r + u];
      if (x - x !== 0) {
        // NaN or ±Infinity: not in the moments, extremes or histogram; an infinite unit is alive.
        nonFinite++;
        if (x !== x) nan++;
        else if (alive) alive[u] = 1;
        continue;
      }
      s1 += x;
      s2 += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x === 0) zeros++;
      else if (alive) alive[u] = 1;
      if (x > satHi || x < satLo) sat++;
    }
  }
  const finite = n - nonFinite;
  const stats = fromSums({ count: n, finite, s1, s2, min, max, zeros, nan, inf: nonFinite - nan });
  if (alive) {
    let dead = 0;
    for (let u = 0; u < units; u++) if (!alive[u]) dead++;
    stats.deadUnitFraction = dead / units;
  }
  if (satKind) stats.saturatedFraction = n ? sat / n : 0;
  const bins = opts.bins ?? 0;
  if (bins > 0 && finite) stats.histogram = histogram(data, min, max, bins);
  return stats;
}

/** Equal-width bins over [min, max] (widened by ±0.5 when every value is the same) of the finite values. */
function histogram(data: ArrayLike<number>, min: number, max: number, bins: number): Histogram {
  let lo = min;
  let hi = max;
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  const last = bins - 1;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0) continue;
    // x ≥ lo, so truncation is the floor; the maximum lands in the last bin.
    const b = ((x - lo) * scale) | 0;
    counts[b > last ? last : b]++;
  }
  return { lo, hi, counts: Array.from(counts) };
}

/** Pool several statistics (e.g. the gradients of a layer's several inputs) into one, weighting by count. */
export function poolStats(parts: TensorStats[]): TensorStats {
  if (parts.length === 1) return parts[0];
  const t: Sums = { count: 0, finite: 0, s1: 0, s2: 0, min: Infinity, max: -Infinity, zeros: 0, nan: 0, inf: 0 };
  for (const p of parts) {
    const f = p.count - p.nanCount - p.infCount;
    t.count += p.count;
    t.finite += f;
    if (f > 0) {
      t.s1 += p.mean * f;
      t.s2 += p.secondMoment * f;
      t.min = Math.min(t.min, p.min);
      t.max = Math.max(t.max, p.max);
    }
    t.zeros += p.zeroFraction * p.count;
    t.nan += p.nanCount;
    t.inf += p.infCount;
  }
  return fromSums(t);
}
