/**
 * What both fixers do first: find, among the models an analysis of the text found, the one a finding is about,
 * and the layer of it a fix intent names. "Not found" is an ordinary answer (undefined): the text changed, or the
 * model is not one the analyzer can edit.
 */
import type { LayerNode, Model, Span } from '../../core/model';

export const sameSpan = (a: Span | undefined, b: Span | undefined): boolean => !!a && !!b && a.start === b.start && a.end === b.end;

/** An analyzer's internal model: the description it produced and its per-node records. */
interface InternalModelLike<N> {
  model: Model;
  nodes: N[];
}

/** The analysis's record of `model`: by span and name, else by span alone; undefined when its layers no longer line up. */
export function matchModel<M extends InternalModelLike<unknown>>(candidates: readonly M[], model: Model): M | undefined {
  const im =
    candidates.find((m) => sameSpan(m.model.span, model.span) && m.model.name === model.name) ??
    candidates.find((m) => sameSpan(m.model.span, model.span));
  return im && im.model.layers.length === model.layers.length ? im : undefined;
}

/** Where a fix intent applies: the analysis, its record of the model, and the layer the intent names. */
export interface FixSite<I, M, R> {
  internal: I;
  im: M;
  index: number;
  layer: LayerNode;
  /** The analyzer's record of the layer (its constructor call, its arguments). */
  rec: R;
}

/**
 * The layer `index` of the matched model with the analyzer's record of it (`node`); undefined when either is
 * missing.
 */
export function fixSite<I, M extends InternalModelLike<unknown>>(
  internal: I,
  im: M,
  index: number,
): (Omit<FixSite<I, M, never>, 'rec'> & { node: M['nodes'][number] }) | undefined {
  const layer = im.model.layers[index];
  const node = im.nodes[index];
  return layer && node ? { internal, im, index, layer, node } : undefined;
}

/** What every fixer holds: the site it edits, and the analyzed text. */
export abstract class FixerBase<I extends { text: string }, M, R> {
  protected readonly internal: I;
  protected readonly im: M;
  protected readonly index: number;
  protected readonly layer: LayerNode;
  protected readonly rec: R;
  protected readonly text: string;

  constructor(site: FixSite<I, M, R>) {
    ({ internal: this.internal, im: this.im, index: this.index, layer: this.layer, rec: this.rec } = site);
    this.text = site.internal.text;
  }
}
