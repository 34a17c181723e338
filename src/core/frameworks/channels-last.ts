/**
 * The channels-last weight layout that tfjs and Keras share (reference §1.2, §2.2): Dense [in, units], conv
 * k ++ [in, filters], transposed conv k ++ [filters, in], depthwise k ++ [in, mult], recurrent [in, G·u].
 * Where the two differ (Keras conv groups, Keras GRU's two bias rows) the framework says so in `options`.
 */
import type { LayerNode } from '../model';
import { EMBEDDING_NOTE, TRANSPOSE_STRIDE_NOTE, exactDiv, gatesOf, mul, needKernel, noSlot, normLayout, recurrentKernelLayout, sizesOf } from './dims';
import type { WeightLayout, WeightSlot } from './types';

export interface ChannelsLastOptions {
  /** Keras base_conv.py:193-196 k ++ [in//groups, filters]; tfjs has no groups. */
  convGroups: boolean;
  /** Keras GRU reset_after=True (default) keeps input and recurrent biases: shape (2, 3u) (rnn/gru.py:164-171). */
  gruBiasTwoRows: boolean;
}

const DEPTHWISE_NOTE = (what: string) =>
  `${what}: the framework counts C_in·∏k as fan-in, each output really sees ∏k inputs (reference §0.1 #6)`;

export function channelsLastLayout(options: ChannelsLastOptions) {
  return (layer: LayerNode, slot: WeightSlot): WeightLayout | string => {
    const norm = normLayout(layer, slot);
    if (norm) return norm;
    const { I, O, ks, K } = sizesOf(layer);
    const none = noSlot(layer.op, slot);
    if (slot === 'bias' && layer.kind !== 'embedding') return biasLayout(layer, options) ?? none;
    switch (layer.kind) {
      case 'dense':
        // tfjs core.ts:245, Keras dense.py: [in, units].
        return slot === 'kernel' ? { shape: [I, O], trueFanIn: I } : none;
      case 'conv': {
        if (slot !== 'kernel') return none;
        if (!ks) return needKernel(layer.op);
        // tfjs convolutional.ts:546 k ++ [in, filters]; Keras k ++ [in//groups, filters].
        const ig = options.convGroups ? exactDiv(I, layer.groups ?? 1) : I;
        return { shape: [...ks, ig, O], trueFanIn: mul(ig, K) };
      }
      case 'convTranspose':
        if (slot !== 'kernel') return none;
        if (!ks) return needKernel(layer.op);
        // tfjs convolutional.ts:738/886, Keras base_conv_transpose.py:188-191: k ++ [filters, in]: fanIn counts the filters.
        return { shape: [...ks, O, I], trueFanIn: mul(I, K), note: TRANSPOSE_STRIDE_NOTE };
      case 'depthwiseConv':
        if (slot !== 'kernel') return none;
        if (!ks) return needKernel(layer.op);
        // tfjs convolutional_depthwise.ts:143-145, Keras base_depthwise_conv.py:161-164: k ++ [in, mult].
        return { shape: [...ks, I, layer.depthMultiplier ?? 1], trueFanIn: K, note: DEPTHWISE_NOTE('depthwise kernel') };
      case 'separableConv': {
        if (slot !== 'kernel' && slot !== 'pointwise') return none;
        if (!ks) return needKernel(layer.op);
        const m = layer.depthMultiplier ?? 1;
        // tfjs convolutional.ts:1127-1128, Keras base_separable_conv.py: depthwise k ++ [in, mult].
        if (slot === 'kernel') return { shape: [...ks, I, m], trueFanIn: K, note: DEPTHWISE_NOTE('separable depthwise kernel') };
        // tfjs convolutional.ts:1129-1133, Keras base_separable_conv.py:173-176: [1,…,1, in·mult, filters].
        const im = mul(I, m);
        return { shape: [...ks.map(() => 1), im, O], trueFanIn: im };
      }
      case 'simpleRNN':
      case 'lstm':
      case 'gru':
        return recurrentKernelLayout(layer, slot, false) ?? none;
      case 'embedding':
        // tfjs embeddings.ts:118-119 / Keras [inputDim, outputDim].
        return slot === 'embeddings' ? { shape: [I, O], note: EMBEDDING_NOTE } : none;
      default:
        return none;
    }
  };
}

/** tfjs/Keras apply their rank-1 fan rules to the bias shape itself. */
function biasLayout(layer: LayerNode, options: ChannelsLastOptions): WeightLayout | undefined {
  const O = layer.outFeatures;
  switch (layer.kind) {
    case 'dense':
    case 'conv':
    case 'convTranspose':
    case 'separableConv':
      return { shape: [O] };
    case 'depthwiseConv':
      return { shape: [mul(layer.inFeatures, layer.depthMultiplier ?? 1)] };
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      const Gu = mul(gatesOf(layer.kind), O);
      if (options.gruBiasTwoRows && layer.kind === 'gru') {
        return { shape: [2, Gu], hiddenSize: O, note: 'Keras GRU bias (2, 3u) assumes reset_after=True (the default)' };
      }
      return { shape: [Gu], hiddenSize: O };
    }
    default:
      return undefined;
  }
}
