/**
 * Per-layer badges in the manner of DeepDiagnosis (Wardat et al., ICSE 2022, arXiv:2112.04036), which flags a
 * layer as having dying ReLUs when most of its outputs are ≤ 0, saturated activations when most of them sit on
 * the flat part of a sigmoid/tanh, and vanishing or exploding values from their magnitude. Here at
 * initialization, on one synthetic batch:
 * - dead:       a ReLU / ReLU6 layer with ≥ 70% of its outputs ≤ 0 (they are exactly 0 after the ReLU);
 * - saturated:  a tanh-like layer with > 50% of |y| > 0.99, or a sigmoid-like one with > 50% of y within 0.005 of
 *               0 or 1 (the flat part, where the derivative is below 0.02);
 * - vanishing / exploding: the output's second moment relative to the reference (the model input's, or the first
 *               layer's output for integer inputs) below / above the thresholds of the `vanishing-signal` and
 *               `exploding-signal` rules (1e-2 / 1e2 by default: std ×0.1 / ×10);
 * - gradient vanishing / exploding: the same for the gradient w.r.t. the layer's input, relative to the unit
 *               gradient at the output, or, upstream of a pooling layer, to the gradient entering that pooling layer:
 *               average pooling divides each element's gradient by the window size and max pooling routes it to one
 *               element of the window, so per-element gradients shrink through pooling by design, not because of the
 *               initialization (a conv net would otherwise always look "vanishing");
 * - non-finite: NaN or ±Inf values (an overflow: where it starts is a finding, not an error of the preview).
 * Pure.
 */
import { formatNumber, formatPercent } from './scale';

export const DEAD_THRESHOLD = 0.7;
export const SATURATED_THRESHOLD = 0.5;

export type BadgeKind = 'dead' | 'saturated' | 'vanishing' | 'exploding' | 'gradVanishing' | 'gradExploding' | 'nonFinite';

export interface Badge {
  kind: BadgeKind;
  /** One or two words, shown on the badge. */
  label: string;
  /** A sentence, for the tooltip and screen readers. */
  detail: string;
}

export interface BadgeInput {
  activation?: string;
  /** An output of the model (its read-out). */
  isOutput?: boolean;
  /** Output statistics (finite elements). */
  secondMoment: number;
  zeroFraction: number;
  saturatedFraction?: number;
  nanCount: number;
  infCount: number;
  /** Gradient w.r.t. the layer's input. */
  gradientSecondMoment?: number;
  gradientNonFinite?: number;
}

export interface BadgeContext {
  /** Second moment the forward ratios are relative to. */
  reference: number;
  /** Second moment the gradient ratio is relative to (default 1: the unit gradient at the output). */
  gradientReference?: number;
  thresholds: { vanishing: number; exploding: number };
}

/** Activations whose outputs are exactly 0 for negative inputs (a unit can die). */
const DYING = new Set(['relu', 'relu6']);
/** Read-out activations whose scale is not a signal scale (no vanishing/exploding badge). */
const READOUT = new Set(['softmax', 'logSoftmax']);
/** Activations whose output, at the model's output, is a probability (mean ½ at initialization), not a signal scale. */
const PROBABILITY_AT_OUTPUT = new Set(['sigmoid', 'hardSigmoid']);

export function badgesFor(l: BadgeInput, ctx: BadgeContext): Badge[] {
  const out: Badge[] = [];
  const nonFinite = l.nanCount + l.infCount;
  if (nonFinite > 0) {
    out.push({
      kind: 'nonFinite',
      label: 'overflow',
      detail: `${l.nanCount ? `${l.nanCount.toLocaleString('en-US')} NaN` : ''}${l.nanCount && l.infCount ? ' and ' : ''}${l.infCount ? `${l.infCount.toLocaleString('en-US')} ±Inf` : ''} values in the output`,
    });
  }
  if (l.activation && DYING.has(l.activation) && l.zeroFraction >= DEAD_THRESHOLD) {
    out.push({ kind: 'dead', label: 'dead', detail: `${formatPercent(l.zeroFraction)} of the outputs are 0 (≥ ${DEAD_THRESHOLD * 100}%: dying ReLU)` });
  }
  if (l.saturatedFraction !== undefined && l.saturatedFraction > SATURATED_THRESHOLD) {
    out.push({ kind: 'saturated', label: 'saturated', detail: `${formatPercent(l.saturatedFraction)} of the outputs are on the flat part of ${l.activation ?? 'the activation'} (> ${SATURATED_THRESHOLD * 100}%)` });
  }
  const readout = l.activation !== undefined && (READOUT.has(l.activation) || (!!l.isOutput && PROBABILITY_AT_OUTPUT.has(l.activation)));
  if (!readout && ctx.reference > 0 && Number.isFinite(l.secondMoment)) {
    const ratio = l.secondMoment / ctx.reference;
    if (ratio < ctx.thresholds.vanishing) {
      out.push({ kind: 'vanishing', label: 'vanishing', detail: `second moment ×${formatNumber(ratio)} of the input's (std ×${formatNumber(Math.sqrt(ratio))}), below ×${formatNumber(ctx.thresholds.vanishing)}` });
    } else if (ratio > ctx.thresholds.exploding) {
      out.push({ kind: 'exploding', label: 'exploding', detail: `second moment ×${formatNumber(ratio)} of the input's (std ×${formatNumber(Math.sqrt(ratio))}), above ×${formatNumber(ctx.thresholds.exploding)}` });
    }
  }
  const gref = ctx.gradientReference ?? 1;
  const g = l.gradientSecondMoment !== undefined && gref > 0 ? l.gradientSecondMoment / gref : undefined;
  if (g !== undefined && Number.isFinite(g)) {
    if (g < ctx.thresholds.vanishing) {
      out.push({ kind: 'gradVanishing', label: 'grad vanishing', detail: `gradient second moment ×${formatNumber(g)} of the ${gref === 1 ? 'output gradient' : 'gradient entering the next pooling layer'}'s` });
    } else if (g > ctx.thresholds.exploding) {
      out.push({ kind: 'gradExploding', label: 'grad exploding', detail: `gradient second moment ×${formatNumber(g)} of the ${gref === 1 ? 'output gradient' : 'gradient entering the next pooling layer'}'s` });
    }
  }
  if ((l.gradientNonFinite ?? 0) > 0 && nonFinite === 0) {
    out.push({ kind: 'nonFinite', label: 'grad overflow', detail: `${(l.gradientNonFinite ?? 0).toLocaleString('en-US')} non-finite gradient values` });
  }
  return out;
}
