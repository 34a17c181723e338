/**
 * Layer sizes that cannot be sizes: a width, kernel size, stride or input dimension must be a positive integer.
 * The analyzers read what the code says (`units: 0`, `nn.Linear(0, 8)`, `units: n - 10` with n = 4, `1/0`); a
 * layer of width 0 computes nothing, and carrying 0, a negative number, NaN or Infinity into the prediction would
 * give "gain 0" or "gain 1.5" with full confidence (or a division by zero). Such a size becomes unknown here, before
 * the prediction and the rules, and the model gets one note naming each of them.
 */
import { type LayerNode, type Model, WEIGHTED_KINDS } from './model';

const validSize = (x: number) => Number.isInteger(x) && x > 0;

const SCALARS = ['inFeatures', 'outFeatures', 'depthMultiplier', 'groups', 'timeSteps'] as const;
const LISTS = ['kernelSize', 'strides', 'poolSize', 'inputShape'] as const;

const WHAT: Record<(typeof SCALARS)[number] | (typeof LISTS)[number], string> = {
  inFeatures: 'input size',
  outFeatures: 'output size',
  depthMultiplier: 'depth multiplier',
  groups: 'groups',
  timeSteps: 'time steps',
  kernelSize: 'kernel size',
  strides: 'strides',
  poolSize: 'pool size',
  inputShape: 'input shape',
};

const show = (x: number | undefined) => (x === undefined ? '?' : String(x));

/** Makes every size of `model` that is not a positive integer unknown, in place, with one note; returns the model. */
export function distrustInvalidSizes(model: Model): Model {
  const said: string[] = [];
  const tainted = new Set<number>();
  model.layers = model.layers.map((layer) => {
    let l: LayerNode = layer;
    const bad: { key: string; text: string }[] = [];
    for (const k of SCALARS) {
      const v = l[k];
      if (v !== undefined && !validSize(v)) {
        bad.push({ key: k, text: `${WHAT[k]} ${show(v)}` });
        l = { ...l, [k]: undefined };
      }
    }
    for (const k of LISTS) {
      const v = l[k];
      if (v && v.some((x) => x !== undefined && !validSize(x))) {
        bad.push({ key: k, text: `${WHAT[k]} [${v.map(show).join(', ')}]` });
        // A shape keeps its valid entries; a kernel size, stride or pool size is only as good as all its entries.
        l = { ...l, [k]: k === 'inputShape' ? v.map((x) => (x !== undefined && validSize(x) ? x : undefined)) : undefined };
      }
    }
    if (bad.length) {
      tainted.add(layer.index);
      // Sizes inferred from a layer already named are not named again: the input size, and the output size of a
      // layer without a width of its own.
      const inherited = layer.inputs.some((i) => tainted.has(i));
      const ownWidth = WEIGHTED_KINDS.has(layer.kind) && layer.kind !== 'depthwiseConv';
      const own = inherited ? bad.filter((b) => b.key !== 'inFeatures' && (b.key !== 'outFeatures' || ownWidth)) : bad;
      if (own.length) said.push(`${layer.op} (layer ${layer.index + 1}) ${own.map((b) => b.text).join(', ')}`);
    }
    return l;
  });
  if (said.length) model.notes.push(`sizes that are not positive integers are treated as unknown: ${said.join('; ')}.`);
  return model;
}
