/** The model inputs of a rebuild: which nodes read a model input, and that input's shape (filled where unknown). */
import { RECURRENT_KINDS, type LayerKind, type LayerNode, type Model } from '../core/model';
import { DEFAULT_SPATIAL_SIZE, type ModelInput, type Source } from './build-types';
import { BuildError, labelOf, type Ctx } from './context';

export const CONV_LIKE: ReadonlySet<LayerKind> = new Set(['conv', 'convTranspose', 'depthwiseConv', 'separableConv', 'pooling', 'globalPooling']);
export const PADDING_NOTE = "padding is not in the description: convolutions and pooling use 'valid' (every framework's default)";

export function planInputs(ctx: Ctx, model: Model): { sources: Source[][]; inputs: ModelInput[] } {
  const inputs: ModelInput[] = [];
  const sources: Source[][] = [];
  const consumers = new Map<number, number[]>();
  for (const n of model.layers) for (const j of n.inputs) consumers.set(j, [...(consumers.get(j) ?? []), n.index]);
  for (const node of model.layers) {
    if (node.kind === 'unknown') {
      throw new BuildError(`${labelOf(node)}: not understood${node.unknownReason ? ` (${node.unknownReason})` : ''}`, node.index, 'unsupported');
    }
    if (node.kind !== 'input' && node.inputs.length > 0) {
      for (const j of node.inputs) {
        if (!(j >= 0 && j < node.index)) throw new BuildError(`${labelOf(node)}: input ${j} is not an earlier layer`, node.index);
      }
      sources.push(node.inputs.map((j) => ({ node: j })));
      continue;
    }
    // A model input: an input node, or the first layer of a model (no inputs).
    let firstUser = node;
    if (node.kind === 'input') {
      const users = consumers.get(node.index);
      if (users?.length) firstUser = model.layers[users[0]];
    }
    inputs.push(inputOf(ctx, node, firstUser));
    sources.push([{ input: inputs.length - 1 }]);
  }
  return { sources, inputs };
}

function inputOf(ctx: Ctx, node: LayerNode, user: LayerNode): ModelInput {
  const o = ctx.options;
  const label = labelOf(node);
  if (user.kind === 'embedding') {
    const vocab = user.inFeatures;
    if (!vocab) throw new BuildError(`${labelOf(user)}: vocabulary size (input dimension) unknown`, user.index, 'size');
    const t = node.inputShape?.[0] ?? user.timeSteps ?? o.inputShape?.[0] ?? o.timeSteps;
    if (!t) throw new BuildError(`${labelOf(user)}: sequence length of the embedding input unknown`, user.index, 'timeSteps');
    return { shape: [t], dtype: 'int32', vocab, consumer: node.index };
  }
  let shape: (number | undefined)[] | undefined = node.inputShape?.slice();
  if (!shape || shape.length === 0) shape = o.inputShape?.slice();
  if (!shape || shape.length === 0) shape = derivedShape(ctx, user);
  if (!shape) {
    throw new BuildError(`${label}: input shape unknown (give it as inputShape)`, node.index, 'inputShape');
  }
  // Fill unknown entries: the time axis of a recurrent input, spatial axes of a convolutional input.
  const spatial = CONV_LIKE.has(user.kind) && shape.length >= 2;
  const target = o.spatialSize ?? DEFAULT_SPATIAL_SIZE;
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    const last = i === shape.length - 1;
    if (d !== undefined && Number.isFinite(d) && d > 0) {
      if (spatial && !last && d > target) {
        ctx.notes.push(`${label}: spatial size ${d} reduced to ${target}`);
        ctx.reduced = true;
        out.push(target);
      } else out.push(d);
      continue;
    }
    const fill =
      o.inputShape && o.inputShape.length === shape.length && o.inputShape[i] > 0
        ? o.inputShape[i]
        : RECURRENT_KINDS.has(user.kind) && i === 0 && shape.length === 2
          ? (user.timeSteps ?? o.timeSteps)
          : spatial && !last
            ? target
            : undefined;
    if (!fill) throw new BuildError(`${label}: input dimension ${i + 1} of [${shape.map((x) => x ?? '?')}] unknown`, node.index, 'inputShape');
    if (spatial && !last && !o.spatialSize && !(o.inputShape && o.inputShape[i] > 0)) {
      ctx.notes.push(`${label}: unknown spatial size taken as ${target}`);
    }
    out.push(fill);
  }
  return { shape: out, dtype: 'float32', consumer: node.index };
}

/** The input shape implied by the first layer's sizes, when no shape is written. */
function derivedShape(ctx: Ctx, user: LayerNode): (number | undefined)[] | undefined {
  const f = user.inFeatures;
  switch (user.kind) {
    case 'dense':
    case 'batchNorm':
    case 'layerNorm':
    case 'activation':
    case 'dropout':
      return f ? [f] : undefined;
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv': {
      const d = user.kernelSize?.length;
      if (!d || !f) return undefined;
      return [...Array.from({ length: d }, () => undefined), f];
    }
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return f ? [undefined, f] : undefined;
    default:
      return undefined;
  }
}

