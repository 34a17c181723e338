/**
 * The CodeLens above each model: its layer count and the predicted scale of the signal entering its read-out
 * ("10 layers · signal ×7.6e-4 after 8 weighted layers"), with bounds when sizes are unknown, and the Preview
 * lens's arguments, and the model under the cursor for a Preview asked from elsewhere. Numbers are formatted as
 * everywhere else (`core/format`).
 *
 * Pure: no vscode import.
 */
import { WEIGHTED_KINDS, type Span } from '../../core/model';
import type { FileReport, Moment, ModelReport } from '../../core/report';
import type { SignalThresholds } from '../../core/rules/types';
import { layerCount } from '../../engine/summary';
import { factor } from '../../core/format';
import { findingCounts } from './diagnostics';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Weighted layers the signal goes through before the read-out. */
export function weightedBeforeReadout(model: ModelReport): number {
  const readout = model.prediction.readout;
  if (readout === undefined) return 0;
  return model.model.layers.filter((l) => l.index < readout && WEIGHTED_KINDS.has(l.kind)).length;
}

/** Bounds past these are no information (the engine bounds unknown sizes over 1 … 2³⁰). */
const HUGE = 1e12;
const TINY = 1e-12;

function ratioText(m: Moment): string | undefined {
  const exact = m.estimate !== undefined && m.lo === m.hi;
  if (exact) return factor(m.estimate!);
  const hasLo = m.lo > TINY;
  const hasHi = Number.isFinite(m.hi) && m.hi < HUGE;
  const range = hasLo && hasHi ? `${factor(m.lo)}–${factor(m.hi)}` : hasLo ? `≥ ${factor(m.lo)}` : hasHi ? `≤ ${factor(m.hi)}` : undefined;
  if (m.estimate !== undefined) return range ? `${factor(m.estimate)} (${range} for the unknown sizes)` : factor(m.estimate);
  return range ? `${range} (sizes unknown)` : undefined;
}

/** Where the signal stands against the thresholds, when that is known for every value of the unknown sizes. */
export function signalVerdict(m: Moment | undefined, thresholds?: SignalThresholds): 'vanishing' | 'exploding' | undefined {
  if (!m || !thresholds) return undefined;
  if (m.hi < thresholds.vanishing) return 'vanishing';
  if (m.lo > thresholds.exploding) return 'exploding';
  return undefined;
}

/** `10 layers · signal ×7.6e-4 after 8 weighted layers (vanishing)` */
export function modelLensTitle(model: ModelReport, thresholds?: SignalThresholds): string {
  const head = plural(layerCount(model.model.layers), 'layer');
  const p = model.prediction;
  const stop = p.stoppedAt;
  const unknown = `${head} · signal unknown${stop ? ` (prediction stops at layer ${stop.index + 1}: ${stop.reason})` : ''}`;
  // Without a weighted layer there is no read-out to speak of, unless layers that are not described (a syntax
  // error, a layer not modelled) may be weighted ones.
  if (p.readout === undefined) return model.model.layers.some((l) => l.kind === 'unknown') ? unknown : `${head} · no weighted layer`;
  const before = weightedBeforeReadout(model);
  const after = before > 0 ? ` after ${plural(before, 'weighted layer')}` : ' at the read-out';
  const ratio = p.readoutRatio ? ratioText(p.readoutRatio) : undefined;
  if (!ratio) return unknown;
  const verdict = signalVerdict(p.readoutRatio, thresholds);
  return `${head} · signal ${ratio}${after}${verdict ? ` (${verdict})` : ''}`;
}

export interface ModelLens {
  /** Where the lens stands: the model's construction. */
  span: Span;
  title: string;
  /** Findings inside the model's construction or layers. */
  findings: number;
  /** Arguments of `initlens.preview`: which model of which document. */
  preview: { modelName: string; modelIndex: number; offset: number };
}

export function modelLenses(report: FileReport, thresholds?: SignalThresholds): ModelLens[] {
  // One pass over the findings (a file with 130 models and 1,100 findings: not 130 passes).
  const counts = findingCounts(report);
  return report.models.map((m, i) => {
    const findings = counts[i];
    const base = modelLensTitle(m, thresholds);
    return {
      span: m.model.span,
      title: findings ? `${base} · ${plural(findings, 'finding')}` : base,
      findings,
      preview: { modelName: m.model.name, modelIndex: i, offset: m.model.span.start },
    };
  });
}

/** Index of the model whose construction spans the offset (the innermost), else the nearest one before it, else 0. */
export function modelIndexAt(models: readonly ModelReport[], offset: number): number {
  let best = -1;
  let bestLen = Infinity;
  models.forEach((m, i) => {
    const spans = [m.model.span, ...m.model.layers.map((l) => l.span)];
    const lo = Math.min(...spans.map((s) => s.start));
    const hi = Math.max(...spans.map((s) => s.end));
    if (offset >= lo && offset <= hi && hi - lo < bestLen) {
      best = i;
      bestLen = hi - lo;
    }
  });
  if (best >= 0) return best;
  let before = 0;
  models.forEach((m, i) => {
    if (m.model.span.start <= offset) before = i;
  });
  return before;
}
