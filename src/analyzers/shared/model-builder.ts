/**
 * What both analyzers do when they turn their layer records into the model description of core/model.ts:
 * copying a record's fields into a `LayerNode` (as plain data: arrays, initializer references and activations
 * copied), the notes every model may carry (layer cap, undecided conditions), and dropping a model built twice
 * by the same code with the same result (a builder called twice).
 */
import type { InitializerRef, LayerNode, Model } from '../../core/model';

/** A copy of an initializer reference that shares nothing with the analysis (spans and lists copied). */
export function cloneRef(r: InitializerRef | undefined): InitializerRef | undefined {
  if (!r) return undefined;
  const out: InitializerRef = { ...r, args: { ...r.args }, unknownArgs: [...r.unknownArgs], falsyArgs: r.falsyArgs.map((f) => ({ name: f.name, span: { ...f.span } })) };
  if (r.span) out.span = { ...r.span };
  if (r.nameSpan) out.nameSpan = { ...r.nameSpan };
  if (r.propertySpan) out.propertySpan = { ...r.propertySpan };
  return out;
}

const REF_FIELDS: ReadonlySet<keyof LayerNode> = new Set<keyof LayerNode>(['kernel', 'recurrent', 'bias', 'pointwise', 'gamma', 'beta']);

/**
 * Copies the `fields` that `src` has (not undefined, not an empty string) into `node`, in that order:
 * arrays and objects copied, initializer references cloned.
 */
export function copyFields<S extends object>(node: LayerNode, src: S, fields: readonly (keyof LayerNode & keyof S)[]): void {
  const to = node as unknown as Record<string, unknown>;
  for (const f of fields) {
    const v = src[f] as unknown;
    if (v === undefined || v === '') continue;
    if (REF_FIELDS.has(f)) to[f] = cloneRef(v as InitializerRef);
    else if (Array.isArray(v)) to[f] = [...v];
    else if (v !== null && typeof v === 'object') to[f] = { ...v };
    else to[f] = v;
  }
}

/** The note of a model cut at `max` layers. */
export function layerCapNote(max: number): string {
  const n = max.toLocaleString('en-US');
  return `The model has more than ${n} layers; only the first ${n} are described.`;
}

/** The note of a model built under conditions or loops the analysis could not decide (first five lines). */
export function undecidedNote(lines: number[]): string {
  const shown = [...lines].sort((a, b) => a - b).slice(0, 5).join(', ');
  return `Parts of this model depend on conditions or loops that could not be decided (line ${shown}); every branch was followed and what differs is unknown.`;
}

/**
 * Drops each model that repeats an earlier one: the same span, the same number of layers and the same
 * `signature` (computed only within such a group, where models can be equal).
 */
export function dropRepeats<T extends { model: Model }>(models: T[], signature: (m: Model) => string): T[] {
  const seen = new Map<string, { im: T; sig?: string }[]>();
  return models.filter((im) => {
    const cheap = `${im.model.span.start}:${im.model.span.end}:${im.model.layers.length}`;
    const group = seen.get(cheap);
    if (!group) {
      seen.set(cheap, [{ im }]);
      return true;
    }
    const s = signature(im.model);
    for (const g of group) if ((g.sig ??= signature(g.im.model)) === s) return false;
    group.push({ im, sig: s });
    return true;
  });
}
