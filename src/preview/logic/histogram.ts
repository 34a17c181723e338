/**
 * Histograms for the small multiples: rebinning onto a common range, merging the histograms of several seeds,
 * and the view (bars as fractions, with one dominant bin, such as the exact zeros of a ReLU, clipped so that the
 * rest of the distribution stays readable). Pure.
 */

import type { Histogram } from '../../rebuild/stats';

/** Equal-width bins over [lo, hi], as the measurement (src/rebuild/stats.ts) makes them. */
export type { Histogram };

/** Equal-width binning of finite values into `bins` bins over [min, max] (a point mass gets a unit-wide range). */
export function binValues(values: ArrayLike<number>, bins: number): Histogram | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(lo <= hi) || bins <= 0) return undefined;
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    let b = Math.floor((x - lo) / w);
    if (b >= bins) b = bins - 1;
    if (b < 0) b = 0;
    counts[b]++;
  }
  return { lo, hi, counts };
}

/**
 * Spreads each bin's count over [lo, hi] with `bins` bins, assuming values are uniform within a source bin
 * (counts are preserved exactly). A source bin of zero width (a point mass) goes whole into the bin holding it.
 */
export function rebin(h: Histogram, lo: number, hi: number, bins: number): Histogram {
  const out = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  const n = h.counts.length;
  const sw = (h.hi - h.lo) / n;
  const binOf = (x: number) => Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / w)));
  for (let i = 0; i < n; i++) {
    const c = h.counts[i];
    if (!c) continue;
    const a = h.lo + i * sw;
    const b = a + sw;
    if (!(sw > 0) || !(w > 0)) {
      out[binOf(a)] += c;
      continue;
    }
    const first = binOf(a);
    const last = binOf(b - sw * 1e-9);
    if (first === last) {
      out[first] += c;
      continue;
    }
    let assigned = 0;
    for (let k = first; k <= last; k++) {
      const x0 = Math.max(a, lo + k * w);
      const x1 = Math.min(b, lo + (k + 1) * w);
      const part = k === last ? c - assigned : (c * Math.max(0, x1 - x0)) / sw;
      out[k] += part;
      assigned += part;
    }
  }
  return { lo, hi, counts: out };
}

/** Merges histograms (e.g. one per seed) onto their common range. */
export function mergeHistograms(hs: readonly (Histogram | undefined)[], bins?: number): Histogram | undefined {
  const list = hs.filter((h): h is Histogram => !!h && h.counts.length > 0);
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const lo = Math.min(...list.map((h) => h.lo));
  const hi = Math.max(...list.map((h) => h.hi));
  const nb = bins ?? Math.max(...list.map((h) => h.counts.length));
  const total = new Array<number>(nb).fill(0);
  for (const h of list) {
    const r = rebin(h, lo, hi, nb);
    for (let i = 0; i < nb; i++) total[i] += r.counts[i];
  }
  return { lo, hi, counts: total };
}

export interface HistogramBar {
  x0: number;
  x1: number;
  /** Fraction of all counted values in this bin. */
  fraction: number;
  /** Drawn taller than the axis allows (cut, and labelled with its value). */
  clipped: boolean;
}

export interface HistogramView {
  lo: number;
  hi: number;
  bars: HistogramBar[];
  /** Top of the y axis (a fraction). */
  yMax: number;
  total: number;
}

/**
 * Bars as fractions. When one bin holds more than `spikeRatio` × the tallest of the others (dead ReLUs put their
 * zeros in one bin), the axis is set by the others and that bin is drawn clipped.
 */
export function histogramView(h: Histogram, spikeRatio = 4): HistogramView {
  const total = h.counts.reduce((a, b) => a + b, 0);
  const n = h.counts.length;
  const w = (h.hi - h.lo) / n;
  const fr = h.counts.map((c) => (total > 0 ? c / total : 0));
  let top = 0;
  let topIdx = -1;
  fr.forEach((f, i) => {
    if (f > top) {
      top = f;
      topIdx = i;
    }
  });
  const second = Math.max(0, ...fr.filter((_, i) => i !== topIdx));
  const spike = second > 0 && top > spikeRatio * second;
  const yMax = spike ? second * 1.25 : top > 0 ? top * 1.05 : 1;
  const bars = fr.map((fraction, i) => ({ x0: h.lo + i * w, x1: h.lo + (i + 1) * w, fraction, clipped: spike && i === topIdx }));
  return { lo: h.lo, hi: h.hi, bars, yMax, total };
}

/** Fraction of the histogram's mass at or below x (bins straddling x count in proportion). */
export function fractionBelow(h: Histogram, x: number): number {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (!total) return 0;
  const n = h.counts.length;
  const w = (h.hi - h.lo) / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = h.lo + i * w;
    const b = a + w;
    if (b <= x) s += h.counts[i];
    else if (a < x) s += (h.counts[i] * (x - a)) / w;
  }
  return s / total;
}

/** Density of an intended weight distribution, for an overlay curve: points (x, density) over [lo, hi]. */
export function densityCurve(
  dist: { distribution: string; mean: number; std: number },
  lo: number,
  hi: number,
  points = 60,
): { x: number; y: number }[] | undefined {
  const { mean, std } = dist;
  if (!(std > 0)) return undefined;
  const out: { x: number; y: number }[] = [];
  if (dist.distribution === 'normal') {
    for (let i = 0; i <= points; i++) {
      const x = lo + ((hi - lo) * i) / points;
      const z = (x - mean) / std;
      out.push({ x, y: Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI)) });
    }
    return out;
  }
  if (dist.distribution === 'uniform') {
    const a = mean - Math.sqrt(3) * std;
    const b = mean + Math.sqrt(3) * std;
    const d = 1 / (b - a);
    const xs = [lo, Math.max(lo, a), Math.max(lo, a), Math.min(hi, b), Math.min(hi, b), hi];
    const ys = [0, 0, d, d, 0, 0];
    return xs.map((x, i) => ({ x, y: ys[i] }));
  }
  return undefined;
}
