/**
 * What a syntax error does to a model description: the parsers recover from errors (TypeScript and lezer both
 * keep going), but what they recover is a guess. An unterminated string in `activation: 'relu''` swallows the
 * `kernelInitializer` after it, a stray `.` drops a `model.add(...)` call, and the description read from such code
 * says "default initializer" or "fan-in 64" with full confidence. InitLens must not report from a guess, so the
 * parts of a model that a syntax error touches become unknown here, before the prediction and the rules run:
 *
 * - an initializer or activation whose own text holds an error becomes unknown (`id` undefined);
 * - a layer whose text holds an error becomes a node of kind 'unknown' (the prediction stops there and says why),
 *   and so does a layer written inside such a layer's text (the recovered tree can nest the next layer there);
 * - an error inside the model's text but in no layer (a broken `model.add`, a broken line of `forward`) may have
 *   dropped or reordered layers, so every layer written after it becomes unknown too;
 * - where the framework infers a layer's input size from the layer before (tfjs and Keras layers are
 *   shape-inferring; PyTorch states `in_features` in the constructor), the input size of every layer downstream
 *   of an unknown one becomes unknown.
 *
 * Layers written before the first error, and their findings, stay as they are: while a user types inside one
 * layer, the rest of the model is still checked.
 */
import { FRAMEWORK_FACTS } from './initializers';
import { type ActivationRef, type InitializerRef, type LayerNode, type Model, type Span, WEIGHTED_KINDS } from './model';


const INITIALIZER_KEYS = ['kernel', 'pointwise', 'recurrent', 'bias', 'gamma', 'beta'] as const;
const ACTIVATION_KEYS = ['activation', 'recurrentActivation'] as const;

/** The syntax errors of a text, indexed for "the first error inside this span" (binary search). */
export interface ErrorIndex {
  /** Error start offsets, ascending. */
  starts: number[];
  /** The first error start in [span.start, span.end], if any. */
  firstIn(span: Span | undefined): number | undefined;
}

export function errorIndex(errors: readonly Span[]): ErrorIndex {
  const starts = errors.map((e) => e.start).sort((a, b) => a - b);
  return {
    starts,
    firstIn(span) {
      if (!span || starts.length === 0) return undefined;
      const i = lowerBound(starts, span.start);
      return i < starts.length && starts[i] <= span.end ? starts[i] : undefined;
    },
  };
}

/** The first index of the ascending `xs` whose value is ≥ x. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * "Which of these intervals covers this offset?" in O(log n): intervals sorted by start, with the running
 * maximum of their ends; the one with the largest end among those starting at or before the offset covers it,
 * if any does.
 */
export function coverIndex(intervals: readonly { start: number; end: number; at: number }[]): (offset: number) => number | undefined {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const starts = sorted.map((r) => r.start);
  const widest: { end: number; at: number }[] = [];
  for (const r of sorted) widest.push(widest.length && widest[widest.length - 1].end >= r.end ? widest[widest.length - 1] : r);
  return (offset) => {
    const i = lowerBound(starts, offset + 1) - 1; // the last interval starting at or before the offset
    return i >= 0 && widest[i].end >= offset ? widest[i].at : undefined;
  };
}

function distrustInitializer(ref: InitializerRef): InitializerRef {
  return { ...ref, id: undefined, args: {}, unknownArgs: [], falsyArgs: [], sharedVariable: undefined };
}

function distrustActivation(ref: ActivationRef): ActivationRef {
  return { ...ref, id: undefined, alpha: undefined };
}

/** The smallest and largest offsets of a model's layers, initializers and activations (its text). */
function modelExtent(model: Model): Span {
  let start = model.span.start;
  let end = model.span.end;
  const take = (s: Span | undefined) => {
    if (!s) return;
    if (s.start < start) start = s.start;
    if (s.end > end) end = s.end;
  };
  for (const l of model.layers) {
    take(l.span);
    for (const k of ACTIVATION_KEYS) take(l[k]?.span);
  }
  return { start, end };
}

/**
 * Makes unknown the parts of `model` that the given syntax errors touch (see the file comment), in place, and
 * returns it. `lineOf` names the error's line in the reason shown to the user.
 */
export function distrustSyntaxDamage(model: Model, errors: ErrorIndex, lineOf: (offset: number) => number): Model {
  if (errors.starts.length === 0) return model;
  const errorIn = errors.firstIn;
  const extent = modelExtent(model);
  const initializerError = (ref: InitializerRef | undefined) => (ref ? errorIn(ref.span) ?? errorIn(ref.sharedVariable?.span) : undefined);
  let touched = errorIn(extent) !== undefined;
  for (const l of model.layers) for (const k of INITIALIZER_KEYS) if (initializerError(l[k]) !== undefined) touched = true;
  if (!touched) return model;

  // The first error in the model's text that lies in no layer (nor a layer's activation): after it, layers may be
  // missing or misplaced.
  const written: { start: number; end: number; at: number }[] = [];
  for (const l of model.layers) {
    written.push({ start: l.span.start, end: l.span.end, at: 0 });
    for (const k of ACTIVATION_KEYS) {
      const span = l[k]?.span;
      if (span) written.push({ start: span.start, end: span.end, at: 0 });
    }
  }
  const inLayers = coverIndex(written);
  let structural: number | undefined;
  for (let i = lowerBound(errors.starts, extent.start); i < errors.starts.length && errors.starts[i] <= extent.end; i++) {
    if (inLayers(errors.starts[i]) === undefined) {
      structural = errors.starts[i];
      break;
    }
  }

  const layers: LayerNode[] = model.layers.map((layer) => {
    let l = layer;
    for (const k of INITIALIZER_KEYS) if (initializerError(l[k]) !== undefined) l = { ...l, [k]: distrustInitializer(l[k]!) };
    for (const k of ACTIVATION_KEYS) if (errorIn(l[k]?.span) !== undefined) l = { ...l, [k]: distrustActivation(l[k]!) };
    return l;
  });
  // Broken regions: the text of each layer that holds an error, and everything after a structural error. A layer
  // written inside a broken region is unknown even if its own text parses (an unterminated string can swallow the
  // next `model.add(...)` into the broken layer's config, where the recovered tree finds it as a nested layer).
  const ownError = model.layers.map((l) => errorIn(l.span));
  const regions: { start: number; end: number; at: number }[] = [];
  model.layers.forEach((l, i) => {
    if (ownError[i] !== undefined) regions.push({ start: l.span.start, end: l.span.end, at: ownError[i]! });
  });
  if (structural !== undefined) regions.push({ start: structural, end: Infinity, at: structural });
  const inRegion = coverIndex(regions);
  const unknownAt = new Map<number, number>(); // layer index → error offset that made it unknown
  model.layers.forEach((l, i) => {
    const at = ownError[i] ?? inRegion(l.span.start);
    if (at !== undefined) unknownAt.set(l.index, at);
  });

  const inferred = FRAMEWORK_FACTS[model.framework].infersInputSize;
  const downstream = new Set<number>();
  for (const l of layers) {
    if (l.inputs.some((i) => unknownAt.has(i) || downstream.has(i))) downstream.add(l.index);
  }
  const out = layers.map((l) => {
    const at = unknownAt.get(l.index);
    if (at !== undefined) {
      return {
        index: l.index,
        kind: 'unknown' as const,
        op: l.op,
        name: l.name,
        inputs: l.inputs,
        span: l.span,
        configSpan: l.configSpan,
        unknownReason: `syntax error at line ${lineOf(at)}`,
      };
    }
    // Downstream of an unknown layer, sizes the framework infers are unknown: every input size, and the output
    // size of layers that have no size of their own (activation, dropout, normalization, pooling...).
    if (inferred && downstream.has(l.index)) return { ...l, inFeatures: undefined, outFeatures: WEIGHTED_KINDS.has(l.kind) && l.kind !== 'depthwiseConv' ? l.outFeatures : undefined };
    return l;
  });
  // In place: the analyzers keep what they parsed per Model object (for the fixes), so the object stays the same.
  model.layers = out;
  return model;
}
