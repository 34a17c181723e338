/**
 * The builder of each layer kind: a `Record<LayerKind, …>`, so a kind added to core/model.ts does not compile
 * until the rebuild says how to build it (or that it cannot).
 */
import type { LayerKind } from '../../core/model';
import { conv, convTranspose, dense, depthwiseConv } from './convolution';
import { embedding, recurrent } from './recurrent';
import { separableConv } from './separable';
import { activation, add, concatenate, dropout, flatten, globalPooling, input, normalization, pooling, reshape } from './shaping';
import type { LayerBuilder } from './types';

const unsupported: LayerBuilder = (n) => n.fail(`layer kind '${n.kind}' cannot be rebuilt`);

export const LAYER_BUILDERS: Readonly<Record<LayerKind, LayerBuilder>> = {
  input,
  dense,
  conv,
  convTranspose,
  depthwiseConv,
  separableConv,
  simpleRNN: recurrent,
  lstm: recurrent,
  gru: recurrent,
  embedding,
  batchNorm: normalization,
  layerNorm: normalization,
  activation,
  dropout,
  pooling,
  globalPooling,
  flatten,
  reshape,
  add,
  concatenate,
  unknown: unsupported,
};
