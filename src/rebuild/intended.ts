/**
 * The intended statistics of a rebuilt weight: what core/realize.ts says the initializer gives for it, with the
 * sizes the rebuild actually has (they can differ from the description after a spatial reduction) and the few
 * places where a framework composes one weight from several draws:
 * - tfjs SeparableConv2D draws the pointwise kernel with the *depthwise* initializer (reference §0.1 #5);
 * - PyTorch RNNs have two bias vectors b_ih + b_hh, rebuilt as one (their sum: twice the mean and variance);
 * - an LSTM with unit_forget_bias (Keras default, tfjs when written) has a forget-gate quarter of ones.
 */
import type { WeightSlot } from '../core/initializers';
import type { Framework, InitializerRef, LayerNode } from '../core/model';
import { RECURRENT_KINDS } from '../core/model';
import { computeFans, realize, type Realized } from '../core/realize';
import type { BuiltLayer, BuiltWeight } from './build';
import { REBUILD_FRAMEWORKS } from './frameworks';

export interface IntendedWeight {
  distribution: Realized['distribution'] | 'mixture';
  mean: number;
  variance: number;
  std: number;
  /** What was composed, when the weight is not one initializer's draw. */
  note?: string;
}

/** The node with the sizes the rebuild has (input channels from the rebuilt input). */
function rebuiltNode(layer: BuiltLayer): LayerNode {
  const node = layer.node;
  const x = layer.inputShapes[0];
  const inC = x?.[x.length - 1];
  if (layer.kind === 'embedding' || inC === undefined) return node;
  const n: LayerNode = { ...node, inFeatures: inC };
  if (layer.kind === 'depthwiseConv') {
    const out = layer.outputShape[layer.outputShape.length - 1];
    if (out !== undefined) n.outFeatures = out;
    if (n.depthMultiplier === undefined && out !== undefined) n.depthMultiplier = out / inC;
  }
  return n;
}

export function intendedWeight(framework: Framework, layer: BuiltLayer, w: BuiltWeight): IntendedWeight | undefined {
  try {
    const node = rebuiltNode(layer);
    let ref: InitializerRef = w.ref;
    let note: string | undefined;
    if (REBUILD_FRAMEWORKS[framework].separablePointwiseFromDepthwise && layer.kind === 'separableConv' && w.slot === 'pointwise') {
      const k = layer.weights.find((x) => x.slot === 'kernel')?.ref;
      if (k) {
        ref = k;
        note = 'tfjs draws the pointwise kernel with the depthwise initializer';
      }
    }
    const slot: WeightSlot = w.slot;
    const r = realize(ref, computeFans(ref.framework, node, slot), { hiddenSize: node.outFeatures });
    if (!r) return undefined;
    let mean = r.mean;
    let variance = r.variance;
    const twoBiases = REBUILD_FRAMEWORKS[ref.framework].twoRecurrentBiases;
    if (w.slot === 'bias' && twoBiases && RECURRENT_KINDS.has(layer.kind)) {
      mean *= 2;
      variance *= 2;
      note = twoBiases.weightNote;
    }
    const forgetBias = w.slot === 'bias' && layer.kind === 'lstm' && (REBUILD_FRAMEWORKS[framework].forgetBias?.on(node) ?? false);
    if (forgetBias) {
      // Three quarters from the initializer, one quarter exactly 1.
      const second = 0.75 * (variance + mean * mean) + 0.25;
      mean = 0.75 * mean + 0.25;
      variance = second - mean * mean;
      return { distribution: 'mixture', mean, variance, std: Math.sqrt(variance), note: 'unit forget bias: a quarter of ones' };
    }
    return { distribution: r.distribution, mean, variance, std: Math.sqrt(variance), note };
  } catch {
    return undefined;
  }
}
