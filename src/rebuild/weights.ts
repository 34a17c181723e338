/**
 * The weights of a rebuilt layer: which initializer each tfjs variable stands for (as written, else the
 * framework's layer default), and, for frameworks whose weights tfjs cannot draw itself, drawing them with the
 * framework's semantics (src/rebuild/frameworks/<fw>.ts) and writing them into the variable.
 */
import type * as TFNS from '@tensorflow/tfjs';
import { defaultInitializerRef, initializerSpec, type WeightSlot } from '../core/initializers';
import type { Framework, InitializerRef, LayerKind, LayerNode } from '../core/model';
import { RECURRENT_KINDS } from '../core/model';
import type { BuiltLayer, BuiltWeight } from './build-types';
import { BuildError, labelOf, type Ctx } from './context';
import { REBUILD_FRAMEWORKS } from './frameworks';
import { SampleError, prod, type Sampled, type TF, type WeightContext } from './sample';

/** A deterministic, never-zero 31-bit seed per (seed, layer, slot): tfjs treats seed 0 as "unseeded" for normals. */
export function mixSeed(seed: number, layer: number, slot: number): number {
  let h = 2166136261 ^ Math.trunc(seed);
  for (const v of [layer, slot, seed * 31 + 7]) {
    h = Math.imul(h ^ (v & 0xffff), 16777619);
    h = Math.imul(h ^ (v >>> 16), 16777619);
    h ^= h >>> 13;
  }
  return (h >>> 1) % 2147483646 + 1;
}

export const SLOT_NUMBER: Record<WeightSlot, number> = { kernel: 1, recurrent: 2, bias: 3, pointwise: 4, embeddings: 5, gamma: 6, beta: 7 };

/** tfjs variable names → weight slot (moving_mean / moving_variance are state, not initialized from the description). */
const SLOT_OF_VARIABLE: Readonly<Record<string, WeightSlot>> = {
  kernel: 'kernel',
  depthwise_kernel: 'kernel',
  recurrent_kernel: 'recurrent',
  pointwise_kernel: 'pointwise',
  bias: 'bias',
  embeddings: 'embeddings',
  gamma: 'gamma',
  beta: 'beta',
};

export function slotOfVariable(name: string): WeightSlot | undefined {
  const last = name.split('/').pop()!.replace(/_\d+$/, '');
  return Object.prototype.hasOwnProperty.call(SLOT_OF_VARIABLE, last) ? SLOT_OF_VARIABLE[last] : undefined;
}

/** The field of the description that holds each slot's initializer (an embedding's table is its `kernel`). */
const SLOT_FIELD: Record<WeightSlot, 'kernel' | 'recurrent' | 'pointwise' | 'bias' | 'gamma' | 'beta'> = {
  kernel: 'kernel',
  embeddings: 'kernel',
  recurrent: 'recurrent',
  pointwise: 'pointwise',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
};

/** The initializer reference of a weight slot: as written, else the framework's layer default. */
export function refFor(fw: Framework, node: LayerNode, kind: LayerKind, slot: WeightSlot): InitializerRef | undefined {
  const given = node[SLOT_FIELD[slot]];
  if (given) return given;
  const dflt = defaultInitializerRef(fw, kind, slot);
  if (dflt) return dflt;
  const from = REBUILD_FRAMEWORKS[fw].separableDefaultsOf;
  if (from && (slot === 'pointwise' || kind === 'separableConv')) {
    return defaultInitializerRef(fw, from, slot === 'pointwise' ? 'kernel' : slot);
  }
  if (slot === 'pointwise') return refFor(fw, node, kind, 'kernel');
  return undefined;
}

export function checkRef(ref: InitializerRef | undefined, node: LayerNode, slot: WeightSlot): InitializerRef {
  const where = `${labelOf(node)}: ${slot} initializer`;
  if (!ref) throw new BuildError(`${where} unknown`, node.index, 'initializer');
  if (ref.id === undefined) {
    throw new BuildError(`${where}${ref.text ? ` '${ref.text}'` : ''} could not be resolved`, node.index, 'initializer');
  }
  if (ref.unknownArgs.length) {
    throw new BuildError(`${where} '${ref.id}': argument ${ref.unknownArgs.join(', ')} unknown`, node.index, 'initializer');
  }
  if (!initializerSpec(ref.framework, ref.id)) {
    throw new BuildError(`${where}: '${ref.id}' is not a ${ref.framework} initializer`, node.index, 'initializer');
  }
  return ref;
}

/** Record the weights of a built layer, and draw those that tfjs did not draw with the framework's semantics. */
export function initWeights(ctx: Ctx, b: BuiltLayer): void {
  const seen = new Set<string>();
  const fanIns: { kernel?: number; pointwise?: number } = {};
  for (const l of b.tfLayers) {
    for (const v of l.weights) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      b.params += prod(v.shape as number[]);
      const slot = slotOfVariable(v.originalName);
      if (!slot) continue;
      const w = initWeight(ctx, b, v, slot, mixSeed(ctx.options.seed, b.node.index, SLOT_NUMBER[slot] + 16 * (seen.size + 1)), fanIns);
      if (slot === 'kernel' && w.fans) fanIns.kernel ??= w.fans.fanIn;
      if (slot === 'pointwise' && w.fans) fanIns.pointwise = w.fans.fanIn;
      b.weights.push(w);
    }
  }
  ctx.paramsSoFar += b.params;
  if (ctx.paramsSoFar > ctx.maxParams) {
    throw new BuildError(`${b.label}: the model exceeds the rebuild cap of ${ctx.maxParams.toLocaleString('en-US')} parameters`, b.node.index, 'smaller');
  }
}

function initWeight(
  ctx: Ctx,
  b: BuiltLayer,
  v: TFNS.LayerVariable,
  slot: WeightSlot,
  seed: number,
  fanIns: { kernel?: number; pointwise?: number },
): BuiltWeight {
  const node = b.node;
  let ref = refFor(ctx.fw, node, b.kind, slot)!;
  // tfjs SeparableConv2D draws the pointwise kernel with depthwiseInitializer (reference §0.1 #5).
  if (REBUILD_FRAMEWORKS[ctx.fw].separablePointwiseFromDepthwise && b.kind === 'separableConv' && slot === 'pointwise') {
    ref = refFor(ctx.fw, node, b.kind, 'kernel') ?? ref;
  }
  const shape = v.shape as number[];
  const w: BuiltWeight = { slot, name: v.name, shape, ref, sampledBy: ref.framework, variable: v };
  const drawing = REBUILD_FRAMEWORKS[ref.framework].drawing;
  if (drawing.by === 'tfjs') {
    const fans = drawing.fans(shape);
    if (fans) w.fans = fans;
    return w;
  }
  const wctx: WeightContext = { kind: b.kind, slot, shape, hiddenSize: node.outFeatures, depthMultiplier: node.depthMultiplier, seed };
  try {
    // PyTorch's bias bound uses the fan-in of the weight it belongs to.
    const weightFanIn = slot === 'bias' ? (b.kind === 'separableConv' ? fanIns.pointwise : fanIns.kernel) : undefined;
    const s = drawWeight(ctx.tf, ref, b, { ...wctx, weightFanIn }, w);
    v.write(s.tensor);
    s.tensor.dispose();
    w.law = s.law;
    if (s.fans) w.fans = s.fans;
    else if (shape.length >= 2) w.fans = drawing.fans(wctx);
  } catch (e) {
    const msg = e instanceof SampleError ? e.message : (e as Error).message;
    throw new BuildError(`${b.label}: ${slot} initializer '${ref.id}': ${msg}`, node.index, 'initializer');
  }
  return w;
}

/** One draw of the framework's sampler, composed where the framework composes the weight from several parts. */
function drawWeight(tf: TF, ref: InitializerRef, b: BuiltLayer, wctx: WeightContext, w: BuiltWeight): Sampled {
  const rf = REBUILD_FRAMEWORKS[ref.framework];
  if (rf.drawing.by !== 'sampler') throw new SampleError(`${ref.framework} weights are drawn by tfjs`);
  const sample = rf.drawing.sample;
  let s = sample(tf, ref, wctx);
  if (rf.twoRecurrentBiases && wctx.slot === 'bias' && RECURRENT_KINDS.has(b.kind)) {
    // b_ih + b_hh: two independent draws summed.
    const s2 = sample(tf, ref, { ...wctx, seed: wctx.seed + 1 });
    const sum = tf.add(s.tensor, s2.tensor);
    s.tensor.dispose();
    s2.tensor.dispose();
    s = { ...s, tensor: sum, law: { ...s.law, mean: 2 * s.law.mean, variance: 2 * s.law.variance } };
    w.note = rf.twoRecurrentBiases.weightNote;
  }
  if (rf.forgetBias?.by === 'sampler' && wctx.slot === 'bias' && b.kind === 'lstm' && rf.forgetBias.on(b.node)) {
    const u = wctx.shape[0] / 4;
    const t = s.tensor;
    s = { ...s, tensor: tf.tidy(() => tf.concat([t.slice([0], [u]), tf.ones([u]), t.slice([2 * u], [2 * u])])) };
    t.dispose();
    w.note = 'unit_forget_bias: forget-gate bias 1';
  }
  return s;
}
