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
