/**
 * What the activation rules share: for every feed-forward weighted layer, its kernel initializer's scaling
 * family, its realized weight gain c = fan_in·E[W²], the activation its output reaches, and the per-layer
 * signal gain c·E[f(z)²] at unit input (reference §4.4).
 */
import { activationAlpha, activationSpec } from '../activations';
import type { ScaleFamily } from '../initializers';
import type { RelatedLocation } from '../findings';
import type { InitializerRef, LayerNode, Model, Span } from '../model';
import { secondMoment } from '../moments';
import { weightGain } from '../propagate';
import { scaleFamily, type Realized } from '../realize';
import type { Moment } from '../report';
import { activationAfter, consumers, FEEDFORWARD_WEIGHTED, layerLabel, type ReachedActivation } from './graph';
import type { RuleContext } from './types';
import { factor, fmt } from '../format';

export interface LayerCase {
  layer: LayerNode;
  ref: InitializerRef;
  family: ScaleFamily;
  reached?: ReachedActivation;
  /** c = true fan-in · E[W²]. */
  c: Moment;
  realized?: Realized;
  /** c · E[f(z)²] for the reached activation at unit pre-activation variance (estimate, or upper bound). */
  signalGain?: number;
}

const cache = new WeakMap<RuleContext, LayerCase[]>();

export function layerCases(ctx: RuleContext): LayerCase[] {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const cons = consumers(ctx.model);
  const cases: LayerCase[] = [];
  for (const layer of ctx.model.layers) {
    if (!FEEDFORWARD_WEIGHTED.has(layer.kind) || !layer.kernel || layer.kernel.id === undefined) continue;
    const ref = layer.kernel;
    const g = weightGain(layer, 'kernel');
    const reached = activationAfter(ctx.model, layer.index, cons);
    const f2 = reached ? unitSecondMoment(reached) : 1;
    const c = g.forward.estimate;
    cases.push({
      layer,
      ref,
      family: scaleFamily(ref),
      reached,
      c: g.forward,
      realized: g.realized,
      signalGain: c !== undefined && f2 !== undefined ? c * f2 : undefined,
    });
  }
  cache.set(ctx, cases);
  return cases;
}

export function unitSecondMoment(reached: ReachedActivation): number | undefined {
  const id = reached.activation.id!;
  return secondMoment(id, 1, activationAlpha(id, reached.activation.alpha));
}

/**
 * How far (relative) a realized scale may lie from the one an activation needs and still count as on it:
 * SELU's fan_in·Var(W) = 1, a ReLU's per-layer signal gain of 1. An initializer that already realizes the target
 * (Glorot on a square layer before SELU: c = 2·n/(n+n) = 1 exactly) must not be reported, and neither may a
 * deviation that the message would print as the target itself.
 *
 * 0.5% because: (1) it is the resolution of the numbers the messages print (c to 3 significant digits reads 1.01
 * or 0.995 at the edge, never "1"; a gain to 2 digits reads 0.99); (2) it is about one standard deviation of the
 * variance a single draw realizes for a 300×300 kernel (√(2/n_weights) = 0.47%), so a smaller deviation from the
 * formula is not distinguishable from the draw; (3) for SELU a relative error δ in c moves the variance fixed point
 * by δ/(1 − g′(1)) with g(q) = E[selu(√q z)²], g′(1) = 0.78 (moments.ts, computed), i.e. by 2.3% at the edge.
 * Deviations from a real mismatch are far larger (Glorot 784→300: 1.45; tfjs glorotNormal: 0.774; He: 2).
 */
export const ON_TARGET_TOLERANCE = 0.005;

/** Whether a realized scale is known to lie within ON_TARGET_TOLERANCE of the target (unknown: not on it). */
export function onTarget(x: number | undefined, target: number): boolean {
  return x !== undefined && Math.abs(x / target - 1) < ON_TARGET_TOLERANCE;
}

/** " (realized variance 0.774× nominal)" where the framework's sampler falls short of the formula. */
export function shortfallNote(realized: Realized | undefined): string {
  if (!realized || realized.nominalVariance <= 0) return '';
  const r = realized.variance / realized.nominalVariance;
  return Math.abs(r - 1) > 0.01 ? ` (realized variance ${fmt(r, 3)}× nominal)` : '';
}

/** "after 7 such layers the signal is ×0.0015" for a set of cases with known gains. */
export function depthNote(cases: LayerCase[]): { text: string; product: number | undefined } {
  const gains = cases.map((c) => c.signalGain).filter((g): g is number => g !== undefined);
  if (gains.length < 2) return { text: '', product: gains[0] };
  const product = gains.reduce((a, b) => a * b, 1);
  return { text: `; after ${gains.length} such layers the signal is ${factor(product)}`, product };
}

export function activationLabel(reached: ReachedActivation): string {
  return activationSpec(reached.activation.id!)?.label ?? reached.activation.id!;
}

/**
 * Where a finding about an initializer is shown: the initializer expression, or, when it is a variable shared by
 * several layers, this layer's use of it (each layer has its own fan-in and its own finding).
 */
export function initializerSpan(ref: InitializerRef, layer: LayerNode): Span {
  if (ref.sharedVariable) return ref.propertySpan ?? layer.span;
  return ref.span ?? ref.propertySpan ?? layer.span;
}

const inside = (inner: Span, outer: Span) => inner.start >= outer.start && inner.end <= outer.end;

/**
 * The activation a layer's output reaches, as a finding's related location: the activation layer it feeds, or its
 * own activation argument where that is written apart from the finding's span. None when no activation is reached
 * or it is not written anywhere else.
 */
export function activationRelated(c: LayerCase, model: Model, span: Span): RelatedLocation[] {
  const reached = c.reached;
  if (!reached) return [];
  if (reached.at !== c.layer.index) return [{ span: reached.activation.span ?? c.layer.span, message: `the ${activationLabel(reached)} this layer feeds` }];
  const own = reached.activation.span;
  if (!own || inside(own, span)) return [];
  return [{ span: own, message: `the ${reached.activation.id} activation of ${layerLabel(c.layer, model)}` }];
}
