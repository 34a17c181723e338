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
  let finite = 0;
  let nan = 0;
  let inf = 0;
  let zeros = 0;
  let sat = 0;
  let min = Infinity;
  let max = -Infinity;
  const units = opts.units && opts.units > 0 && n % opts.units === 0 ? opts.units : 0;
  const alive = units ? new Uint8Array(units) : undefined;
  const satKind = opts.saturation;
  for (let i = 0; i < n; i++) {
    const x = data[i];
    if (x !== x) {
      nan++;
      continue;
    }
    if (x === Infinity || x === -Infinity) {
      inf++;
      if (alive) alive[i % units] = 1;
      continue;
    }
    finite++;
    s1 += x;
    s2 += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (x === 0) zeros++;
    else if (alive) alive[i % units] = 1;
    if (satKind === 'symmetric' ? x > 0.99 || x < -0.99 : satKind === 'unit' ? x > 0.995 || x < 0.005 : false) sat++;
  }
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
    const counts = new Array<number>(bins).fill(0);
    const w = (hi - lo) / bins;
    for (let i = 0; i < n; i++) {
      const x = data[i];
      if (!Number.isFinite(x)) continue;
      let b = Math.floor((x - lo) / w);
      if (b >= bins) b = bins - 1;
      if (b < 0) b = 0;
      counts[b]++;
    }
    stats.histogram = { lo, hi, counts };
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
