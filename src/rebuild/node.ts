/**
 * One node of the description rebuilt as tfjs layers: what every kind shares (checks, the fused activation, the
 * weight initializers to pass, how the parts are applied), with the kind's own layers made by its builder
 * (src/rebuild/layers/).
 */
import { activationSpec } from '../core/activations';
import { FRAMEWORK_FACTS, type WeightSlot } from '../core/initializers';
import type { Framework, LayerKind, LayerNode } from '../core/model';
import { RECURRENT_KINDS, WEIGHTED_KINDS } from '../core/model';
import { activationOp, tfjsActivationName } from './activations';
import type { AnyTensor, BuildNeed, BuiltLayer, Layer } from './build-types';
import { BuildError, labelOf, type Ctx } from './context';
import { fnLayerCtor, unfusedUnderGrad } from './fn-layer';
import { REBUILD_FRAMEWORKS } from './frameworks';
import { CONV_LIKE, PADDING_NOTE } from './inputs';
import { LAYER_BUILDERS } from './layers';
import type { NodeContext } from './layers/types';
import { prod, type Tensor } from './sample';
import { SLOT_NUMBER, checkRef, mixSeed, refFor } from './weights';

/** A rough parameter count before building, to refuse a model over the cap early. */
function estimateParams(node: LayerNode, kind: LayerKind, inShape: number[] | undefined): number {
  const inC = inShape?.[inShape.length - 1] ?? node.inFeatures ?? 0;
  const out = node.outFeatures ?? 0;
  const k = node.kernelSize ? prod(node.kernelSize) : 1;
  const mult = node.depthMultiplier ?? 1;
  const dir = node.wrapper === 'bidirectional' ? 2 : 1;
  const rnn = dir * (inC * out + out * out + out);
  switch (kind) {
    case 'dense':
      return inC * out + out;
    case 'conv':
    case 'convTranspose':
      return (k * inC * out) / (node.groups ?? 1) + out;
    case 'depthwiseConv':
      return k * inC * mult + inC * mult;
    case 'separableConv':
      return k * inC * mult + inC * mult * out + out;
    case 'simpleRNN':
      return rnn;
    case 'lstm':
      return 4 * rnn;
    case 'gru':
      return 3 * rnn;
    case 'embedding':
      return (node.inFeatures ?? 0) * out;
    default:
      return 0;
  }
}

/** The activation parameter the framework uses: as written, else the framework's default for that function. */
function alphaOf(fw: Framework, id: string, alpha: number | undefined): number | undefined {
  if (alpha !== undefined) return alpha;
  if (id === 'leakyRelu') return FRAMEWORK_FACTS[fw].leakyReluLayerAlpha;
  if (id === 'prelu') return FRAMEWORK_FACTS[fw].preluAlphaInit;
  return undefined;
}

/** PyTorch depthwise: Conv2d(groups = in_channels) is rebuilt as a depthwise convolution. */
function rebuiltKind(node: LayerNode, inC: number | undefined, fail: NodeContext['fail']): { kind: LayerKind; depthMultiplier?: number } {
  if (node.kind !== 'conv' || (node.groups ?? 1) <= 1) return { kind: node.kind, depthMultiplier: node.depthMultiplier };
  if (node.groups === inC && inC !== undefined && node.outFeatures && node.outFeatures % inC === 0) {
    return { kind: 'depthwiseConv', depthMultiplier: node.outFeatures / inC };
  }
  return fail(`grouped convolution (groups=${node.groups}) cannot be rebuilt in TensorFlow.js`);
}

function nodeContext(ctx: Ctx, node: LayerNode, inShapes: number[][], created: Layer[]): NodeContext {
  const { tf, fw } = ctx;
  const label = labelOf(node);
  const fail = (msg: string, need: BuildNeed = 'unsupported'): never => {
    throw new BuildError(`${label}: ${msg}`, node.index, need);
  };
  const name = `L${node.index}_${node.kind}`;
  const layers: Layer[] = [];
  const track = <L extends Layer>(l: L): L => {
    layers.push(l);
    created.push(l);
    return l;
  };
  const x0 = inShapes[0] ?? [];
  const inC = x0[x0.length - 1];
  const { kind, depthMultiplier } = rebuiltKind(node, inC, fail);
  const n: NodeContext = {
    tf,
    fw,
    node,
    kind,
    label,
    name,
    notes: [],
    layers,
    created,
    inShapes,
    x0,
    inC,
    rank: x0.length,
    spatialDims: x0.length - 1,
    depthMultiplier,
    pad: ctx.options.padding ?? 'valid',
    useBias: node.useBias !== false,
    seed: ctx.options.seed,
    fail,
    track,
    kernelSize: () => node.kernelSize ?? fail('kernel size unknown', 'size'),
    strides: (d) => node.strides ?? Array.from({ length: d }, () => 1),
    units: () => node.outFeatures ?? fail('output size (units / filters) unknown', 'size'),
    initFor: (slot: WeightSlot, kindFor: LayerKind = kind) => {
      const ref = checkRef(refFor(fw, node, kindFor, slot), node, slot);
      const drawing = REBUILD_FRAMEWORKS[ref.framework].drawing;
      if (drawing.by !== 'tfjs') return 'zeros' as const; // drawn afterwards by the framework's sampler (weights.ts)
      try {
        return drawing.initializer(tf, ref, mixSeed(ctx.options.seed, node.index, SLOT_NUMBER[slot]));
      } catch (e) {
        return fail(`${slot} initializer: ${(e as Error).message}`, 'initializer');
      }
    },
    makeActivation: (id, alpha) => {
      if (!activationSpec(id)) fail(`activation '${id}' unknown`);
      const tfName = tfjsActivationName(id, alpha);
      if (REBUILD_FRAMEWORKS[fw].nativeLeakyRelu && id === 'leakyRelu') {
        return track(tf.layers.leakyReLU({ alpha: alpha ?? FRAMEWORK_FACTS[fw].leakyReluLayerAlpha, name: `${name}_act` }));
      }
      if (tfName) return track(tf.layers.activation({ activation: tfName as 'relu', name: `${name}_act` }));
      const op = activationOp(tf, id, alpha)!;
      const Ctor = fnLayerCtor(tf);
      return track(new Ctor({ name: `${name}_act`, fn: op }));
    },
    alphaOf: (id, alpha) => alphaOf(fw, id, alpha),
  };
  return n;
}

/** Checks shared by every kind: wrappers, the parameter cap, and sizes that differ from the description. */
function checkNode(ctx: Ctx, n: NodeContext): void {
  const { node, kind, inC } = n;
  if (node.wrapper === 'timeDistributed' && kind !== 'dense' && kind !== 'activation' && kind !== 'dropout') {
    n.fail(`a time-distributed ${kind} cannot be rebuilt`);
  }
  const est = estimateParams(node, kind, n.x0);
  if (ctx.paramsSoFar + est > ctx.maxParams) {
    n.fail(
      `the model exceeds the rebuild cap of ${ctx.maxParams.toLocaleString('en-US')} parameters (about ${(ctx.paramsSoFar + est).toLocaleString('en-US')} up to here)`,
      'smaller',
    );
  }
  if (node.inFeatures !== undefined && inC !== undefined && kind !== 'embedding' && kind !== 'input' && node.inFeatures !== inC) {
    if (WEIGHTED_KINDS.has(kind) || kind === 'batchNorm' || kind === 'layerNorm') {
      n.notes.push(
        `described with ${node.inFeatures} input features, rebuilt with ${inC}` +
          (ctx.reduced ? ' (the spatial size was reduced)' : ' (padding, strides or shapes differ from the description)'),
      );
    }
  }
}

export function buildNode(ctx: Ctx, node: LayerNode, inShapes: number[][], created: Layer[]): BuiltLayer {
  const n = nodeContext(ctx, node, inShapes, created);
  const { kind } = n;
  checkNode(ctx, n);

  // The fused activation at the output of a (non-recurrent) weighted layer.
  const act = node.activation;
  let actLayer: Layer | undefined;
  let activationId: string | undefined;
  if (WEIGHTED_KINDS.has(kind) && !RECURRENT_KINDS.has(kind) && kind !== 'embedding' && act) {
    if (act.id === undefined) n.fail(`activation${act.text ? ` '${act.text}'` : ''} could not be resolved`);
    if (act.id !== 'linear') {
      activationId = act.id;
      actLayer = n.makeActivation(act.id!, n.alphaOf(act.id!, act.alpha));
    }
  }
  if (CONV_LIKE.has(kind) && kind !== 'globalPooling' && !ctx.options.padding && !ctx.notes.includes(PADDING_NOTE)) {
    ctx.notes.push(PADDING_NOTE);
  }

  const parts = LAYER_BUILDERS[kind](n);
  return {
    index: node.index,
    node: kind !== node.kind || n.depthMultiplier !== node.depthMultiplier ? { ...node, kind, depthMultiplier: n.depthMultiplier } : node,
    kind,
    label: n.label,
    inputShapes: inShapes,
    outputShape: [],
    activation: parts.activationId ?? activationId,
    hasPreActivation: actLayer !== undefined,
    weights: [],
    params: 0,
    tfLayers: n.layers,
    notes: n.notes,
    apply: parts.apply ?? applyParts(n, parts.main!, actLayer, parts.direct),
  };
}

/** The node's layer, then its activation; under tf.grads dense / conv2d run unfused (see unfusedUnderGrad). */
function applyParts(
  n: NodeContext,
  main: Layer,
  actLayer: Layer | undefined,
  direct: ((x: Tensor, kernel: Tensor) => Tensor) | undefined,
): BuiltLayer['apply'] {
  const multi = n.kind === 'add' || n.kind === 'concatenate';
  const unfused = direct ? unfusedUnderGrad(n.tf, main, direct) : undefined;
  return (xs, kwargs) => {
    const input = multi ? xs : xs[0];
    const y = (unfused?.(xs[0]) ?? main.apply(input as Tensor, kwargs)) as AnyTensor;
    if (!actLayer) return { out: y };
    return { pre: y, out: actLayer.apply(y as Tensor, kwargs) as AnyTensor };
  };
}
