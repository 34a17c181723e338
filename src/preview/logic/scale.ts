/**
 * Scales, ticks and number formatting for the hand-written SVG charts (numbers through core/format). Pure.
 */
import { fmt, pct } from '../../core/format';

export interface Scale {
  (x: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  let [d0, d1] = domain;
  if (!(d1 !== d0)) {
    d0 -= 0.5;
    d1 += 0.5;
  }
  const [r0, r1] = range;
  const f = ((x: number) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  f.domain = [d0, d1];
  f.range = range;
  return f;
}

/** A log10 scale; values ≤ 0 map below the range start (callers clamp or mark them). */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const lin = linearScale([l0, l1], range);
  const f = ((x: number) => (x > 0 ? lin(Math.log10(x)) : lin(l0 - 1))) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/**
 * A log domain covering the values (positive, finite ones), padded to whole decades, at least `minDecades` wide,
 * at most `maxDecades` (centered on the data's geometric middle when wider: the rest is clipped and marked).
 */
export function logDomain(values: readonly number[], opts: { minDecades?: number; maxDecades?: number; include?: number[] } = {}): [number, number] {
  const vs = [...values, ...(opts.include ?? [])].filter((v) => v > 0 && Number.isFinite(v));
  if (vs.length === 0) return [0.1, 10];
  let lo = Math.floor(Math.log10(Math.min(...vs)) + 1e-9);
  let hi = Math.ceil(Math.log10(Math.max(...vs)) - 1e-9);
  if (hi <= lo) hi = lo + 1;
  const minD = opts.minDecades ?? 2;
  while (hi - lo < minD) {
    if ((hi - lo) % 2 === 0) hi++;
    else lo--;
  }
  const maxD = opts.maxDecades ?? 40;
  if (hi - lo > maxD) {
    const mid = Math.round((hi + lo) / 2);
    lo = mid - Math.floor(maxD / 2);
    hi = lo + maxD;
  }
  return [pow10(lo), pow10(hi)];
}

/** 10^e exactly as written in decimal (10 ** -4 is 0.00009999999999999999). */
export function pow10(e: number): number {
  return Number(`1e${e}`);
}

/** Ticks of a log axis: every decade, thinned to at most `maxTicks`. */
export function logTicks(domain: [number, number], maxTicks = 8): number[] {
  const lo = Math.round(Math.log10(domain[0]));
  const hi = Math.round(Math.log10(domain[1]));
  const n = hi - lo + 1;
  const step = Math.max(1, Math.ceil(n / maxTicks));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) if ((e - lo) % step === 0) out.push(pow10(e));
  return out;
}

/** "Nice" linear ticks (1, 2, 5 × 10^k steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const start = Math.ceil(lo / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = start; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Tick label of a log axis: 1e-3, 0.01, 0.1, 1, 10, 100, 1e3. */
export function formatPow10(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e >= -2 && e <= 2) return String(pow10(e));
  return `1e${e}`;
}

/** A number for a label: the core formatter's (3 significant digits here) with a typographic minus; NaN spelled out. */
export function formatNumber(v: number | undefined, digits = 3): string {
  if (v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  return fmt(v, digits).replace(/-/g, '−');
}

/**
 * Labels for a row of ticks: `minDigits` significant digits, more where two ticks would read the same (a narrow
 * range: 0.501, 0.502, 0.503 are not "0.5", "0.5", "0.5").
 */
export function formatTicks(ticks: readonly number[], minDigits = 2): string[] {
  for (let digits = minDigits; digits < 12; digits++) {
    const labels = ticks.map((t) => formatNumber(t, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map((t) => String(t));
}

/** A fraction as a percentage: "12%", "0.4%", "<0.1%". */
export function formatPercent(f: number | undefined): string {
  if (f === undefined || !Number.isFinite(f)) return '–';
  if (f === 0) return '0%';
  const p = f * 100;
  if (p < 0.1) return '<0.1%';
  return pct(f);
}
