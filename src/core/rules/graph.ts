/**
 * Graph questions the rules ask of a model description: who consumes a node, which activation a weighted
 * layer's output reaches, whether a normalization or a residual add stands in between.
 */
import { activationSpec, type ActivationFamily } from '../activations';
import type { ActivationRef, LayerNode, Model } from '../model';
import { PASS_THROUGH_KINDS, WEIGHTED_KINDS } from '../model';

export function consumers(model: Model): number[][] {
  const out: number[][] = model.layers.map(() => []);
  for (const l of model.layers) for (const i of l.inputs) if (i >= 0 && i < out.length) out[i].push(l.index);
  return out;
}

export interface ReachedActivation {
  activation: ActivationRef;
  /** The layer that applies it: the weighted layer itself (fused) or an activation layer downstream. */
  at: number;
  family: ActivationFamily;
}

/**
 * The activation a weighted layer's output goes through first: its fused activation when it is not linear,
 * else the first activation layer reached through pass-through layers (dropout, pooling, flatten, reshape).
 * Returns undefined when a normalization layer, another weighted layer, a merge or the model output comes
 * first, or when the path is unknown. With several consumers, every path must reach an activation of the
 * same family for a result.
 */
export function activationAfter(model: Model, index: number, cons = consumers(model)): ReachedActivation | undefined {
  const layer = model.layers[index];
  const fused = layer.activation;
  if (fused && fused.id !== undefined && fused.id !== 'linear') {
    const spec = activationSpec(fused.id);
    return spec ? { activation: fused, at: index, family: spec.family } : undefined;
  }
  if (fused && fused.id === undefined) return undefined; // unknown fused activation: say nothing
  let found: ReachedActivation | undefined;
  const seen = new Set<number>();
  const visit = (i: number): boolean => {
    for (const c of cons[i]) {
      if (seen.has(c)) continue;
      seen.add(c);
      const node = model.layers[c];
      if (node.kind === 'activation') {
        if (!node.activation || node.activation.id === undefined) return false;
        const spec = activationSpec(node.activation.id);
        if (!spec) return false;
        if (found && found.family !== spec.family) return false;
        found ??= { activation: node.activation, at: c, family: spec.family };
        continue;
      }
      if (PASS_THROUGH_KINDS.has(node.kind)) {
        if (!visit(c)) return false;
        continue;
      }
      return false;
    }
    return true;
  };
  if (!visit(index)) return undefined;
  return found;
}

/**
 * Walks the nodes downstream of `index` and answers whether one for which `hit` holds is reached before (or
 * without) passing a node for which `stop` holds.
 */
function reaches(model: Model, index: number, cons: number[][], hit: (n: LayerNode) => boolean, stop: (n: LayerNode) => boolean): boolean {
  const seen = new Set<number>();
  const stack = [...cons[index]];
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    const node = model.layers[c];
    if (hit(node)) return true;
    if (stop(node)) continue;
    stack.push(...cons[c]);
  }
  return false;
}

const isWeighted = (n: LayerNode) => WEIGHTED_KINDS.has(n.kind);
const isAdd = (n: LayerNode) => n.kind === 'add';

/** True when the layer's output reaches another weighted layer (through anything but a residual add). */
export function feedsWeightedLayer(model: Model, index: number, cons = consumers(model)): boolean {
  // A residual add ends the branch: zero-init there is deliberate.
  return reaches(model, index, cons, isWeighted, isAdd);
}

/** True when the layer's output reaches a residual add before any weighted layer (last layer of a branch). */
export function endsResidualBranch(model: Model, index: number, cons = consumers(model)): boolean {
  return reaches(model, index, cons, isAdd, isWeighted);
}

const ORDINALS = new WeakMap<Model, number[]>();

/** A layer's position as users count layers in code: input placeholders are not layers. */
export function layerOrdinal(model: Model, layer: LayerNode): number {
  let ordinals = ORDINALS.get(model);
  if (!ordinals) {
    let n = 0;
    ordinals = model.layers.map((l) => (l.kind === 'input' ? 0 : ++n));
    ORDINALS.set(model, ordinals);
  }
  return ordinals[layer.index] || layer.index + 1;
}

/** "dense 'hidden1' (layer 3)": the op, the user's name if any, and the layer's position in the model. */
export function layerLabel(layer: LayerNode, model?: Model): string {
  const name = layer.name ? ` '${layer.name}'` : '';
  const position = model ? layerOrdinal(model, layer) : layer.index + 1;
  return `${layer.op}${name} (layer ${position})`;
}

export const FEEDFORWARD_WEIGHTED = new Set(['dense', 'conv', 'convTranspose', 'depthwiseConv', 'separableConv']);

const isNorm = (n: LayerNode | undefined) => n?.kind === 'batchNorm' || n?.kind === 'layerNorm';

/**
 * True when every path into the layer comes, through pass-through layers only, from a normalization layer: the
 * scale of its input is set by the normalization (γ), not by the initialization of the layers before it.
 */
export function normalizedInput(model: Model, index: number): boolean {
  const layer = model.layers[index];
  if (!layer || !layer.inputs.length) return false;
  const seen = new Set<number>();
  const stack = [...layer.inputs];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const n = model.layers[i];
    if (isNorm(n)) continue;
    if (n && PASS_THROUGH_KINDS.has(n.kind) && n.inputs.length) {
      stack.push(...n.inputs);
      continue;
    }
    return false;
  }
  return true;
}

const PRE_NORM = new WeakMap<Model, Set<number>>();
/** Branches larger than this are not searched (a residual branch is a few layers; the stream side is the whole model). */
const BRANCH_WALK_CAP = 4096;

/**
 * The nodes inside pre-norm residual branches: for a residual add `s + b`, the nodes b depends on that are not
 * reached through s, when the branch is entered from s only through normalization layers (GPT-2 / pre-activation
 * ResNet: `x + f(norm(x))`). Small initial scales there are deliberate: the branch starts near zero and the
 * stream near identity (Radford et al. 2019; Xiong et al. 2020, arXiv:2002.04745), whatever the stream's scale,
 * since the normalization rescales it.
 */
export function preNormResidualBranches(model: Model): Set<number> {
  const hit = PRE_NORM.get(model);
  if (hit) return hit;
  const out = new Set<number>();
  for (const add of model.layers) {
    if (add.kind !== 'add' || add.inputs.length < 2) continue;
    for (const s of add.inputs) {
      for (const b of add.inputs) {
        if (b === s) continue;
        const branch = branchNodes(model, s, b);
        if (branch) for (const i of branch) out.add(i);
      }
    }
  }
  PRE_NORM.set(model, out);
  return out;
}

/** The nodes of the branch from stream node `s` to branch output `b`, when it is a pre-norm branch; else undefined. */
function branchNodes(model: Model, s: number, b: number): Set<number> | undefined {
  const nodes = new Set<number>();
  const stack = [b];
  let entries = 0;
  while (stack.length) {
    const i = stack.pop()!;
    if (i === s || nodes.has(i)) continue;
    const n = model.layers[i];
    if (!n || !n.inputs.length || nodes.size >= BRANCH_WALK_CAP) return undefined; // another source: not a branch of s
    nodes.add(i);
    for (const j of n.inputs) {
      if (j === s) {
        if (!isNorm(n)) return undefined; // entered without a normalization
        entries++;
      } else stack.push(j);
    }
  }
  return entries > 0 ? nodes : undefined;
}
