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

export function tensorStats(data: ArrayLike<number>, opts: StatsOptions = {}): TensorStats {
  const n = data.length;
  let s1 = 0;
  let s2 = 0;
  let nonFinite = 0;
  let nan = 0;
  let zeros = 0;
  let sat = 0;
  let min = Infinity;
  let max = -Infinity;
  const units = opts.units && opts.units > 0 && n % opts.units === 0 ? opts.units : 0;
  const alive = units ? new Uint8Array(units) : undefined;
  const satKind = opts.saturation;
  // Saturated: x > satHi or x < satLo (never, without a saturation kind).
  const satHi = satKind === 'symmetric' ? 0.99 : satKind === 'unit' ? 0.995 : Infinity;
  const satLo = satKind === 'symmetric' ? -0.99 : satKind === 'unit' ? 0.005 : -Infinity;
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
  const inf = nonFinite - nan;
  const finite = n - nonFinite;
  const mean = finite ? s1 / finite : NaN;
  const m2 = finite ? s2 / finite : NaN;
  const variance = finite ? Math.max(0, m2 - mean * mean) : NaN;
  const stats: TensorStats = {
    count: n,
    secondMoment: m2,
    mean,
    variance,
    std: Math.sqrt(variance),
    min: finite ? min : NaN,
    max: finite ? max : NaN,
    zeroFraction: n ? zeros / n : 0,
    nanCount: nan,
    infCount: inf,
  };
  if (alive) {
    let dead = 0;
    for (let u = 0; u < units; u++) if (!alive[u]) dead++;
    stats.deadUnitFraction = dead / units;
  }
  if (satKind) stats.saturatedFraction = n ? sat / n : 0;
  const bins = opts.bins ?? 0;
  if (bins > 0 && finite) {
    let lo = min;
    let hi = max;
    if (hi === lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    const counts = new Float64Array(bins);
    const scale = bins / (hi - lo);
    const last = bins - 1;
    for (let i = 0; i < n; i++) {
      const x = data[i];
      if (x - x !== 0) continue;
      // x ≥ lo, so truncation is the floor; the maximum lands in the last bin.
      const b = ((x - lo) * scale) | 0;
      counts[b > last ? last : b]++;
    }
    stats.histogram = { lo, hi, counts: Array.from(counts) };
  }
  return stats;
}

/** Pool several statistics (e.g. the gradients of a layer's several inputs) into one, weighting by count. */
export function poolStats(parts: TensorStats[]): TensorStats {
  if (parts.length === 1) return parts[0];
  let n = 0;
  let fin = 0;
  let s1 = 0;
  let s2 = 0;
  let zeros = 0;
  let nan = 0;
  let inf = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const p of parts) {
    const f = p.count - p.nanCount - p.infCount;
    n += p.count;
    fin += f;
    if (f > 0) {
      s1 += p.mean * f;
      s2 += p.secondMoment * f;
      min = Math.min(min, p.min);
      max = Math.max(max, p.max);
    }
    zeros += p.zeroFraction * p.count;
    nan += p.nanCount;
    inf += p.infCount;
  }
  const mean = fin ? s1 / fin : NaN;
  const m2 = fin ? s2 / fin : NaN;
  const variance = fin ? Math.max(0, m2 - mean * mean) : NaN;
  return {
    count: n,
    secondMoment: m2,
    mean,
    variance,
    std: Math.sqrt(variance),
    min: fin ? min : NaN,
    max: fin ? max : NaN,
    zeroFraction: n ? zeros / n : 0,
    nanCount: nan,
    infCount: inf,
  };
}
