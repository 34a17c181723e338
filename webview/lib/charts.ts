/**
 * The charts as element trees (webview/lib/vdom.ts), from RunData: the signal scale per layer (measured forward
 * std and backward gradient std on a log axis, the analytic prediction beside them, the healthy band shaded),
 * the histogram small multiples (activations and weights), and the sparklines of the alternatives strip.
 *
 * Colours come from CSS classes (the page maps them to --vscode-* theme variables); numbers are exposed as
 * data-* attributes for tests and the accessible table. Layer names are workspace text: they only ever appear
 * as text children. Pure.
 */
import type { LayerData, RunData, WeightData } from '../../src/preview/logic/data';
import { densityCurve, histogramView, type Histogram } from '../../src/preview/logic/histogram';
import { formatNumber, formatPercent, formatPow10, formatTicks, linearScale, logDomain, logScale, logTicks, niceTicks, type Scale } from '../../src/preview/logic/scale';
import { h, type VNode } from './vdom';

export interface SignalRow {
  index: number;
  /** Tooltip text: "layer 3 (dense 'hidden') · relu". */
  label: string;
  /** Axis label: "3 dense". */
  short: string;
  forward?: number;
  forwardMin?: number;
  forwardMax?: number;
  gradient?: number;
  gradientMin?: number;
  gradientMax?: number;
  predicted?: number;
  predictedLo?: number;
  predictedHi?: number;
  gradientPredicted?: number;
  gradientPredictedLo?: number;
  gradientPredictedHi?: number;
  nonFinite?: boolean;
  badges?: string[];
}

export function shortOp(l: Pick<LayerData, 'index' | 'op' | 'kind'>): string {
  const op = l.op.replace(/^.*\./, '');
  return `${l.index} ${op.length > 13 ? `${op.slice(0, 12)}…` : op}`;
}

export function signalRows(run: RunData): SignalRow[] {
  return run.layers.map((l) => ({
    index: l.index,
    label: `${l.label}${l.activation ? ` · ${l.activation}` : ''}`,
    short: shortOp(l),
    forward: l.output.std,
    forwardMin: l.output.stdMin,
    forwardMax: l.output.stdMax,
    gradient: l.gradient?.std,
    gradientMin: l.gradient?.stdMin,
    gradientMax: l.gradient?.stdMax,
    predicted: l.predicted.std,
    predictedLo: l.predicted.stdLo,
    predictedHi: l.predicted.stdHi,
    gradientPredicted: l.predicted.gradStd,
    gradientPredictedLo: l.predicted.gradLo,
    gradientPredictedHi: l.predicted.gradHi,
    nonFinite: l.output.nanCount + l.output.infCount > 0 || (l.gradient ? l.gradient.nanCount + l.gradient.infCount > 0 : false),
    badges: l.badges.map((b) => b.label),
  }));
}

export interface SignalChartOptions {
  width?: number;
  height?: number;
  /** Second-moment ratios of the healthy band (the vanishing/exploding thresholds). */
  thresholds: { vanishing: number; exploding: number };
  /** Second moment of the reference (input) signal: the forward band is relative to its √. */
  reference: number;
  title?: string;
  /** The first layer with NaN/Inf (marked with a line). */
  firstNonFinite?: { layer: number; direction: 'forward' | 'backward' };
  /** Show measured series (false: prediction only, while the measurement runs). */
  measured?: boolean;
}

type Series = 'forward' | 'forward-predicted' | 'gradient' | 'gradient-predicted';

const SERIES_LABEL: Record<Series, string> = {
  forward: 'activation std (measured)',
  'forward-predicted': 'activation std (predicted)',
  gradient: 'gradient std (measured)',
  'gradient-predicted': 'gradient std (predicted)',
};

function finitePos(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v > 0;
}

function pathOf(points: ({ x: number; y: number } | undefined)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

function marker(shape: 'circle' | 'square' | 'diamond' | 'triangle', x: number, y: number, r: number, attrs: Record<string, string | number>): VNode {
  switch (shape) {
    case 'circle':
      return h('circle', { cx: x, cy: y, r, ...attrs });
    case 'square':
      return h('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, ...attrs });
    case 'diamond':
      return h('polygon', { points: `${x},${y - r * 1.3} ${x + r * 1.3},${y} ${x},${y + r * 1.3} ${x - r * 1.3},${y}`, ...attrs });
    case 'triangle':
      return h('polygon', { points: `${x},${y - r * 1.3} ${x + r * 1.2},${y + r} ${x - r * 1.2},${y + r}`, ...attrs });
  }
}

/** Signal scale per layer: the main chart. */
export function signalChart(rows: readonly SignalRow[], o: SignalChartOptions): VNode {
  const W = o.width ?? 980;
  const H = o.height ?? 360;
  const m = { top: 34, right: 14, bottom: rows.length > 24 ? 40 : 84, left: 54 };
  const measured = o.measured !== false;
  const fwdLo = Math.sqrt(o.reference * o.thresholds.vanishing);
  const fwdHi = Math.sqrt(o.reference * o.thresholds.exploding);
  const gradLo = Math.sqrt(o.thresholds.vanishing);
  const gradHi = Math.sqrt(o.thresholds.exploding);
  const values: number[] = [];
  for (const r of rows) {
    if (measured) values.push(...[r.forward, r.gradient, r.forwardMin, r.forwardMax, r.gradientMin, r.gradientMax].filter(finitePos));
    values.push(...[r.predicted, r.gradientPredicted].filter(finitePos));
  }
  const domain = logDomain(values, { include: [fwdLo, fwdHi], minDecades: 3, maxDecades: 16 });
  const y = logScale(domain, [H - m.bottom, m.top]);
  const n = Math.max(1, rows.length);
  const step = (W - m.left - m.right) / n;
  const x = (i: number) => m.left + step * (i + 0.5);
  const clampY = (v: number) => Math.max(m.top, Math.min(H - m.bottom, y(v)));
  const yOf = (v: number | undefined) => (finitePos(v) ? clampY(v) : undefined);
  const out: VNode[] = [];

  // Background, healthy band, grid.
  out.push(h('rect', { class: 'chart-bg', x: 0, y: 0, width: W, height: H }));
  const bandTop = clampY(fwdHi);
  const bandBottom = clampY(fwdLo);
  out.push(
    h('rect', { class: 'band', x: m.left, y: bandTop, width: W - m.left - m.right, height: Math.max(0, bandBottom - bandTop), 'data-lo': fwdLo, 'data-hi': fwdHi },
      h('title', {}, `healthy band: activation std between ${formatNumber(fwdLo)} and ${formatNumber(fwdHi)} (second moment ×${formatNumber(o.thresholds.vanishing)} to ×${formatNumber(o.thresholds.exploding)} of the input's)`),
    ),
  );
  if (Math.abs(gradLo - fwdLo) > 1e-9 * gradLo || Math.abs(gradHi - fwdHi) > 1e-9 * gradHi) {
    for (const v of [gradLo, gradHi]) out.push(h('line', { class: 'band-grad', x1: m.left, x2: W - m.right, y1: clampY(v), y2: clampY(v) }));
  }
  for (const t of logTicks(domain, 10)) {
    const ty = y(t);
    out.push(h('line', { class: 'grid', x1: m.left, x2: W - m.right, y1: ty, y2: ty }));
    out.push(h('text', { class: 'tick-label', x: m.left - 6, y: ty + 3.5, 'text-anchor': 'end' }, formatPow10(t)));
  }
  out.push(h('line', { class: 'axis', x1: m.left, x2: m.left, y1: m.top, y2: H - m.bottom }));
  out.push(h('line', { class: 'axis', x1: m.left, x2: W - m.right, y1: H - m.bottom, y2: H - m.bottom }));
  out.push(
    h('text', { class: 'axis-title', x: 14, y: (m.top + H - m.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(m.top + H - m.bottom) / 2})` }, 'std (log scale)'),
  );

  // x labels.
  const labelEvery = Math.max(1, Math.ceil(rows.length / (rows.length > 24 ? 25 : 24)));
  rows.forEach((r, i) => {
    if (i % labelEvery !== 0 && i !== rows.length - 1) return;
    const lx = x(i);
    const ly = H - m.bottom + 12;
    if (rows.length > 24) out.push(h('text', { class: 'tick-label', x: lx, y: ly, 'text-anchor': 'middle' }, String(r.index)));
    else out.push(h('text', { class: 'tick-label', x: lx, y: ly, 'text-anchor': 'end', transform: `rotate(-40 ${lx} ${ly})` }, r.short));
  });
  if (rows.length > 24) out.push(h('text', { class: 'axis-title', x: (m.left + W - m.right) / 2, y: H - 8, 'text-anchor': 'middle' }, 'layer'));

  // The first layer with NaN/Inf.
  if (o.firstNonFinite && measured) {
    const i = rows.findIndex((r) => r.index === o.firstNonFinite!.layer);
    if (i >= 0) {
      out.push(h('line', { class: 'overflow-line', x1: x(i), x2: x(i), y1: m.top, y2: H - m.bottom, 'data-layer': rows[i].index }));
      out.push(h('text', { class: 'overflow-label', x: x(i) + 4, y: m.top + 10 }, `NaN/Inf ${o.firstNonFinite.direction === 'forward' ? 'from here' : 'in the gradient here'}`));
    }
  }

  // Prediction bounds (unknown sizes) and seed ranges.
  rows.forEach((r, i) => {
    if (finitePos(r.predictedLo) && r.predictedHi !== undefined && r.predictedHi > r.predictedLo * 1.0001) {
      const hi = Number.isFinite(r.predictedHi) ? clampY(r.predictedHi) : m.top;
      out.push(h('rect', { class: 'pred-range', x: x(i) - 3, y: hi, width: 6, height: Math.max(1, clampY(r.predictedLo) - hi) }));
    }
    if (!measured) return;
    for (const [lo, hi, cls] of [
      [r.forwardMin, r.forwardMax, 'whisker whisker-forward'],
      [r.gradientMin, r.gradientMax, 'whisker whisker-gradient'],
    ] as const) {
      if (finitePos(lo) && finitePos(hi) && hi > lo * 1.0001) out.push(h('line', { class: cls, x1: x(i), x2: x(i), y1: clampY(lo), y2: clampY(hi) }));
    }
  });

  // Lines.
  const line = (series: Series, get: (r: SignalRow) => number | undefined) => {
    const pts = rows.map((r, i) => {
      const v = yOf(get(r));
      return v === undefined ? undefined : { x: x(i), y: v };
    });
    out.push(h('path', { class: `line s-${series}`, d: pathOf(pts), fill: 'none' }));
  };
  line('forward-predicted', (r) => r.predicted);
  line('gradient-predicted', (r) => r.gradientPredicted);
  if (measured) {
    line('forward', (r) => r.forward);
    line('gradient', (r) => r.gradient);
  }
  // Points with their numbers.
  const points = (series: Series, get: (r: SignalRow) => number | undefined, shape: 'circle' | 'square' | 'diamond' | 'triangle', r0: number) => {
    rows.forEach((row, i) => {
      const v = get(row);
      if (v === undefined) return;
      const py = finitePos(v) ? clampY(v) : H - m.bottom;
      const clipped = finitePos(v) && (y(v) < m.top - 0.5 || y(v) > H - m.bottom + 0.5);
      out.push(
        marker(finitePos(v) ? shape : 'triangle', x(i), py, r0, {
          class: `pt pt-${series}${finitePos(v) ? '' : ' pt-nonfinite'}${clipped ? ' pt-clipped' : ''}`,
          'data-series': series,
          'data-layer': row.index,
          'data-value': Number.isFinite(v) ? v : String(v),
        }),
      );
    });
  };
  points('forward-predicted', (r) => r.predicted, 'diamond', 3.2);
  points('gradient-predicted', (r) => r.gradientPredicted, 'diamond', 3.2);
  if (measured) {
    points('forward', (r) => r.forward, 'circle', 3.2);
    points('gradient', (r) => r.gradient, 'square', 2.8);
  }

  // Hit areas: one focusable column per layer (click or Enter reveals the layer in the editor).
  rows.forEach((r, i) => {
    const tip = [
      r.label,
      measured && r.forward !== undefined ? `activation std ${formatNumber(r.forward)} measured` : undefined,
      r.predicted !== undefined ? `${formatNumber(r.predicted)} predicted` : undefined,
      measured && r.gradient !== undefined ? `gradient std ${formatNumber(r.gradient)} measured` : undefined,
      r.gradientPredicted !== undefined ? `${formatNumber(r.gradientPredicted)} predicted` : undefined,
      r.badges && r.badges.length ? r.badges.join(', ') : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    out.push(
      h(
        'rect',
        {
          class: 'layer-hit',
          x: x(i) - step / 2,
          y: m.top,
          width: step,
          height: H - m.bottom - m.top,
          tabindex: 0,
          role: 'button',
          'aria-label': `${tip}. Reveal in the editor`,
          'data-layer': r.index,
        },
        h('title', {}, tip),
      ),
    );
  });

  // Legend.
  const legend: VNode[] = [];
  let lx = m.left;
  const items: [Series, 'circle' | 'square' | 'diamond'][] = measured
    ? [
        ['forward', 'circle'],
        ['forward-predicted', 'diamond'],
        ['gradient', 'square'],
        ['gradient-predicted', 'diamond'],
      ]
    : [
        ['forward-predicted', 'diamond'],
        ['gradient-predicted', 'diamond'],
      ];
  for (const [s, shape] of items) {
    legend.push(h('line', { class: `line s-${s}`, x1: lx, x2: lx + 18, y1: 14, y2: 14 }));
    legend.push(marker(shape, lx + 9, 14, 3, { class: `pt pt-${s}` }));
    legend.push(h('text', { class: 'legend-label', x: lx + 23, y: 18 }, SERIES_LABEL[s]));
    lx += 34 + SERIES_LABEL[s].length * 6.1;
  }
  legend.push(h('rect', { class: 'band', x: lx, y: 8, width: 14, height: 12 }));
  legend.push(h('text', { class: 'legend-label', x: lx + 18, y: 18 }, 'healthy'));

  return h(
    'svg',
    { class: 'chart chart-signal', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': o.title ?? 'Signal scale per layer', xmlns: 'http://www.w3.org/2000/svg' },
    h('title', {}, o.title ?? 'Signal scale per layer'),
    ...out,
    h('g', { class: 'legend' }, ...legend),
  );
}

/** A tiny signal chart for the alternatives strip. */
export function sparkline(rows: readonly SignalRow[], o: { width?: number; height?: number; thresholds: { vanishing: number; exploding: number }; reference: number }): VNode {
  const W = o.width ?? 150;
  const H = o.height ?? 52;
  const pad = 3;
  const fwdLo = Math.sqrt(o.reference * o.thresholds.vanishing);
  const fwdHi = Math.sqrt(o.reference * o.thresholds.exploding);
  const values = rows.flatMap((r) => [r.forward, r.gradient].filter(finitePos));
  const domain = logDomain(values, { include: [fwdLo, fwdHi], minDecades: 3, maxDecades: 16 });
  const y = logScale(domain, [H - pad, pad]);
  const n = Math.max(1, rows.length);
  const x = (i: number) => pad + ((W - 2 * pad) * (i + 0.5)) / n;
  const clampY = (v: number) => Math.max(pad, Math.min(H - pad, y(v)));
  const pts = (get: (r: SignalRow) => number | undefined) => rows.map((r, i) => (finitePos(get(r)) ? { x: x(i), y: clampY(get(r)!) } : undefined));
  return h(
    'svg',
    { class: 'chart sparkline', viewBox: `0 0 ${W} ${H}`, width: W, height: H, 'aria-hidden': 'true', xmlns: 'http://www.w3.org/2000/svg' },
    h('rect', { class: 'band', x: pad, y: clampY(fwdHi), width: W - 2 * pad, height: Math.max(0, clampY(fwdLo) - clampY(fwdHi)) }),
    h('path', { class: 'line s-gradient', d: pathOf(pts((r) => r.gradient)), fill: 'none' }),
    h('path', { class: 'line s-forward', d: pathOf(pts((r) => r.forward)), fill: 'none' }),
  );
}

export interface HistogramChartOptions {
  width?: number;
  height?: number;
  /** Vertical markers: value and class (mean, ±std, intended ±std). */
  markers?: { value: number; cls: string; title: string }[];
  /** An overlay density (intended weight distribution). */
  density?: { distribution: string; mean: number; std: number };
  cls?: string;
}

/** One small histogram. */
export function histogramChart(hist: Histogram, o: HistogramChartOptions = {}): VNode {
  const W = o.width ?? 220;
  const H = o.height ?? 86;
  const m = { top: 6, right: 6, bottom: 16, left: 6 };
  const view = histogramView(hist);
  const markerValues = (o.markers ?? []).map((k) => k.value).filter((v) => Number.isFinite(v));
  const lo = Math.min(view.lo, ...markerValues);
  const hi = Math.max(view.hi, ...markerValues);
  const x: Scale = linearScale([lo, hi], [m.left, W - m.right]);
  const y = linearScale([0, view.yMax], [H - m.bottom, m.top]);
  const parts: VNode[] = [h('rect', { class: 'chart-bg', x: 0, y: 0, width: W, height: H })];
  for (const b of view.bars) {
    if (b.fraction <= 0) continue;
    const top = b.clipped ? m.top : y(Math.min(b.fraction, view.yMax));
    const x0 = x(b.x0);
    const w = Math.max(0.8, x(b.x1) - x0 - 0.4);
    parts.push(h('rect', { class: `bar${b.clipped ? ' bar-clipped' : ''}`, x: x0, y: top, width: w, height: Math.max(0, H - m.bottom - top), 'data-fraction': b.fraction }));
    if (b.clipped) {
      parts.push(h('path', { class: 'clip-mark', d: `M${x0 - 1},${m.top + 6}l${w / 2 + 1},-3l${w / 2 + 1},3` }));
      const tx = x0 + w + 3;
      const right = tx > W - 40;
      parts.push(h('text', { class: 'clip-label', x: right ? x0 - 3 : tx, y: m.top + 9, 'text-anchor': right ? 'end' : 'start' }, `${formatPercent(b.fraction)}`));
    }
  }
  if (o.density) {
    const curve = densityCurve(o.density, lo, hi, 60);
    if (curve) {
      const binWidth = (view.hi - view.lo) / Math.max(1, view.bars.length);
      // Density × bin width = the fraction a bin would hold.
      const pts = curve.map((p) => ({ x: x(p.x), y: Math.max(m.top, y(Math.min(view.yMax, p.y * binWidth))) }));
      parts.push(h('path', { class: 'density', d: pathOf(pts), fill: 'none' }));
    }
  }
  for (const k of o.markers ?? []) {
    if (!Number.isFinite(k.value)) continue;
    parts.push(h('line', { class: `marker ${k.cls}`, x1: x(k.value), x2: x(k.value), y1: m.top, y2: H - m.bottom }, h('title', {}, k.title)));
  }
  parts.push(h('line', { class: 'axis', x1: m.left, x2: W - m.right, y1: H - m.bottom, y2: H - m.bottom }));
  const ticks = niceTicks(lo, hi, 3).filter((t) => x(t) >= m.left + 6 && x(t) <= W - m.right - 6);
  const labels = formatTicks(ticks);
  ticks.forEach((t, i) => {
    parts.push(h('line', { class: 'axis', x1: x(t), x2: x(t), y1: H - m.bottom, y2: H - m.bottom + 3 }));
    parts.push(h('text', { class: 'tick-label', x: x(t), y: H - 3, 'text-anchor': 'middle' }, labels[i]));
  });
  return h('svg', { class: `chart histogram ${o.cls ?? ''}`.trim(), viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', xmlns: 'http://www.w3.org/2000/svg' }, ...parts);
}

/** The activation histogram of a layer with its mean and ±std marked. */
export function activationHistogram(l: LayerData): VNode | undefined {
  if (!l.histogram) return undefined;
  const { mean, std } = l.output;
  return histogramChart(l.histogram, {
    cls: 'histogram-activation',
    markers: [
      { value: mean, cls: 'marker-mean', title: `mean ${formatNumber(mean)}` },
      { value: mean - std, cls: 'marker-std', title: `mean − std` },
      { value: mean + std, cls: 'marker-std', title: `mean + std` },
    ],
  });
}

/** A weight's histogram with the realized (solid) and intended (dashed) ±std and the intended density. */
export function weightHistogram(w: WeightData): VNode | undefined {
  if (!w.histogram) return undefined;
  const { mean, std } = w.realized;
  const markers = [
    { value: mean - std, cls: 'marker-realized', title: `realized −std ${formatNumber(std)}` },
    { value: mean + std, cls: 'marker-realized', title: `realized +std ${formatNumber(std)}` },
  ];
  if (w.intended) {
    markers.push(
      { value: w.intended.mean - w.intended.std, cls: 'marker-intended', title: `intended −std ${formatNumber(w.intended.std)}` },
      { value: w.intended.mean + w.intended.std, cls: 'marker-intended', title: `intended +std ${formatNumber(w.intended.std)}` },
    );
  }
  return histogramChart(w.histogram, { cls: 'histogram-weight', markers, density: w.intended && std > 0 ? w.intended : undefined });
}

/** Several small charts with titles and a few lines of text each, as one SVG (the export of a grid of cards). */
export function smallMultiplesSvg(items: readonly { title: string; chart: VNode; lines: string[] }[], o: { columns?: number; title: string }): VNode {
  const cols = Math.max(1, o.columns ?? 4);
  const cw = 236;
  const ch = 86;
  const lineH = 13;
  const maxLines = Math.max(0, ...items.map((i) => i.lines.length));
  const cellH = 18 + ch + maxLines * lineH + 12;
  const rows = Math.ceil(items.length / cols);
  const W = cols * cw + 16;
  const H = 30 + rows * cellH;
  const cells = items.map((it, k) => {
    const x0 = 8 + (k % cols) * cw;
    const y0 = 30 + Math.floor(k / cols) * cellH;
    const chart: VNode = { ...it.chart, attrs: { ...it.chart.attrs, x: x0, y: y0 + 16, width: cw - 16, height: ch } };
    return h(
      'g',
      {},
      h('text', { class: 'legend-label', x: x0, y: y0 + 11, 'font-weight': 600 }, it.title),
      chart,
      ...it.lines.map((t, i) => h('text', { class: 'tick-label', x: x0, y: y0 + 16 + ch + 12 + i * lineH }, t)),
    );
  });
  return h(
    'svg',
    { class: 'chart small-multiples', viewBox: `0 0 ${W} ${H}`, width: W, height: H, xmlns: 'http://www.w3.org/2000/svg' },
    h('rect', { class: 'chart-bg', x: 0, y: 0, width: W, height: H }),
    h('text', { class: 'axis-title', x: 8, y: 18, 'font-weight': 600 }, o.title),
    ...cells,
  );
}
