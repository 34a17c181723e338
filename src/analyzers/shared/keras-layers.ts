/**
 * Keras layer semantics that tfjs-layers (4.22) and Keras (3, and tf.keras 2) share, for the shape inference
 * of both analyzers (tfjs/shapes.ts, python/keras.ts): the spatial output of convolutions and pooling windows
 * (tfjs utils/conv_utils.ts `convOutputLength` / `deconvLength`, Keras `compute_conv_output_shape`), the
 * channel axis of a channels-first or channels-last input, and the width a recurrent layer's consumers see.
 * Each analyzer keeps its own shape representation and the cases where the two frameworks' layers differ.
 */
import { type Dim, convOutputLength, deconvOutputLength, mulDims } from '../../core/conv-shapes';

/** The window of a convolution or pooling layer, per spatial axis. */
export interface Window {
  kernelSize?: readonly number[];
  strides?: readonly number[];
  dilation?: readonly number[];
  padding?: string;
}

/** An input of a rank-`n` convolution or pooling layer (without batch): its channel count and spatial sizes. */
export interface ChannelSplit {
  /** The input has n + 1 dimensions. */
  rankOk: boolean;
  /** The channel count: the first dimension (channels first) or the last. */
  channels: Dim;
  /** The n spatial sizes, when the rank is right. */
  spatial?: Dim[];
}

/** Splits `dims` into channels and spatial sizes; `last` is the last dimension when the rank is unknown. */
export function splitChannels(dims: Dim[] | undefined, n: number, channelsFirst: boolean, last: Dim): ChannelSplit {
  const rankOk = dims !== undefined && dims.length === n + 1;
  if (!rankOk) return { rankOk, channels: channelsFirst ? undefined : last };
  return { rankOk, channels: channelsFirst ? dims[0] : last, spatial: channelsFirst ? dims.slice(1) : dims.slice(0, n) };
}

/** Spatial output sizes of a convolution (`transposed`: a transposed convolution) over `spatial`. */
export function convSpatial(spatial: Dim[], w: Window, transposed: boolean): Dim[] {
  return spatial.map((len, i) =>
    transposed
      ? deconvOutputLength(len, w.strides?.[i], w.kernelSize?.[i], w.padding)
      : convOutputLength(len, w.kernelSize?.[i], w.padding, w.strides?.[i], w.dilation?.[i]),
  );
}

/** Spatial output sizes of a pooling window (`kernelSize` is the pool size; no dilation). */
export function poolSpatial(spatial: Dim[], w: Window): Dim[] {
  return spatial.map((len, i) => convOutputLength(len, w.kernelSize?.[i], w.padding, w.strides?.[i], 1));
}

/** Output channels of a convolution: `filters`, or the input channels times the depth multiplier (depthwise). */
export function convChannels(depthwise: boolean, inChannels: Dim, filters: Dim, depthMultiplier: Dim): Dim {
  return depthwise ? mulDims(inChannels, depthMultiplier) : filters;
}

/**
 * The width a recurrent layer's consumers see: its units, doubled by a Bidirectional wrapper whose merge mode
 * concatenates (`mergeFactor` 2; 1 for sum, mul, ave; undefined when unknown).
 */
export function recurrentWidth(units: Dim, wrapper: string | undefined, mergeFactor: number | undefined): Dim {
  return mulDims(units, wrapper === 'bidirectional' ? mergeFactor : 1);
}

/**
 * The output dimensions of a recurrent layer of width `width` on an input of dimensions `dims` (time steps by
 * features): the sequence when it returns sequences and the time steps are known, the last state when it does
 * not; undefined when unknown (then only the last dimension, `width`, is known).
 */
export function recurrentDims(dims: Dim[] | undefined, width: Dim, returnSequences: boolean | undefined): Dim[] | undefined {
  if (returnSequences === true) return dims && dims.length === 2 ? [dims[0], width] : undefined;
  if (returnSequences === false) return [width];
  return undefined;
}

/** The time steps of a recurrent layer's input (time steps by features), if known. */
export function timeStepsOf(dims: Dim[] | undefined): Dim {
  return dims && dims.length === 2 ? dims[0] : undefined;
}

/** A convolution layer as shape inference reads it. */
export interface ConvLayer extends Window {
  kind: 'conv' | 'convTranspose' | 'depthwiseConv' | 'separableConv';
  rank: number;
  channelsFirst: boolean;
  filters: Dim;
  depthMultiplier: Dim;
}

/**
 * A convolution on an input of dimensions `dims` (last dimension `last` when the rank is unknown): its input and
 * output channels, and its output dimensions when the input's rank is right (undefined otherwise).
 */
export function convOutput(c: ConvLayer, dims: Dim[] | undefined, last: Dim): { inChannels: Dim; outChannels: Dim; dims?: Dim[] } {
  const { channels, spatial } = splitChannels(dims, c.rank, c.channelsFirst, last);
  const outChannels = convChannels(c.kind === 'depthwiseConv', channels, c.filters, c.depthMultiplier);
  if (!spatial) return { inChannels: channels, outChannels };
  const out = convSpatial(spatial, c, c.kind === 'convTranspose');
  return { inChannels: channels, outChannels, dims: c.channelsFirst ? [outChannels, ...out] : [...out, outChannels] };
}
