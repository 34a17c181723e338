/**
 * PyTorch's weight layout (reference §3.2): Linear (out, in), ConvNd (out, in/groups, *k), ConvTransposeNd
 * (in, out/groups, *k), depthwise = Conv with groups = C_in, RNN weight_ih (G·H, in) and weight_hh (G·H, H),
 * Embedding (num, dim). A bias is bounded by its *weight's* fan_in (reset_parameters), which `fanIn` carries.
 */
import type { LayerNode } from '../../model';
import { EMBEDDING_NOTE, TRANSPOSE_STRIDE_NOTE, exactDiv, gatesOf, mul, needKernel, noSlot, normLayout, recurrentKernelLayout, sizesOf } from '../dims';
import type { WeightLayout, WeightSlot } from '../types';

const BIAS_NOTE = "PyTorch bias: reset_parameters bounds it by the weight's fan_in; kaiming_/xavier_/orthogonal_ reject 1-D tensors";

function bias(shape: (number | undefined)[], weightFanIn: number | undefined): WeightLayout {
  const out: WeightLayout = { shape, note: BIAS_NOTE };
  if (weightFanIn !== undefined) out.fanIn = weightFanIn;
  return out;
}

export function torchWeightLayout(layer: LayerNode, slot: WeightSlot): WeightLayout | string {
  const norm = normLayout(layer, slot);
  if (norm) return norm;
  const { I, O, ks, K } = sizesOf(layer);
  const none = noSlot(layer.op, slot);
  switch (layer.kind) {
    case 'dense':
      if (slot === 'kernel') return { shape: [O, I], trueFanIn: I };
      return slot === 'bias' ? bias([O], I) : none;
    case 'conv': {
      const ig = exactDiv(I, layer.groups ?? 1);
      if (slot === 'bias') return bias([O], mul(ig, K));
      if (slot !== 'kernel') return none;
      if (!ks) return needKernel(layer.op);
      // conv.py _ConvNd: (out, in/groups, *k).
      return { shape: [O, ig, ...ks], trueFanIn: mul(ig, K) };
    }
    case 'convTranspose': {
      const g = layer.groups ?? 1;
      if (slot === 'bias') return bias([O], mul(exactDiv(O, g), K));
      if (slot !== 'kernel') return none;
      if (!ks) return needKernel(layer.op);
      // ConvTransposeNd: (in, out/groups, *k).
      return { shape: [I, exactDiv(O, g), ...ks], trueFanIn: mul(exactDiv(I, g), K), note: TRANSPOSE_STRIDE_NOTE };
    }
    case 'depthwiseConv': {
      // Conv with groups = C_in: (C_in·mult, 1, *k); fan_in = kh·kw is the true one.
      const ig = exactDiv(I, layer.groups ?? I);
      const out = O ?? mul(I, layer.depthMultiplier ?? 1);
      if (slot === 'bias') return bias([out], mul(ig, K));
      if (slot !== 'kernel') return none;
      if (!ks) return needKernel(layer.op);
      return { shape: [out, ig, ...ks], trueFanIn: mul(ig, K) };
    }
    case 'separableConv':
      return 'PyTorch has no separable convolution layer';
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      if (slot === 'bias') return { shape: [mul(gatesOf(layer.kind), O)], hiddenSize: O };
      return recurrentKernelLayout(layer, slot, true) ?? none;
    case 'embedding':
      // (num_embeddings, embedding_dim).
      return slot === 'embeddings' ? { shape: [I, O], note: EMBEDDING_NOTE } : none;
    default:
      return none;
  }
}
