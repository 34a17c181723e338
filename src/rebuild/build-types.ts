/** The rebuild's public types: options, the rebuilt model, its layers and weights, and why a rebuild failed. */
import type * as TFNS from '@tensorflow/tfjs';
import type { WeightSlot } from '../core/initializers';
import type { Framework, InitializerRef, LayerKind, LayerNode } from '../core/model';
import type { Fans, SampledLaw, TF, Tensor } from './sample';

export type Layer = TFNS.layers.Layer;
export type SymbolicTensor = TFNS.SymbolicTensor;
export type AnyTensor = Tensor | SymbolicTensor;
export type Kwargs = { training?: boolean };

export interface BuildOptions {
  seed: number;
  /** Shape of the model input without the batch dimension, used where the description does not know it. */
  inputShape?: number[];
  /**
   * Reduced spatial size for convolutional inputs: spatial dimensions larger than this are reduced to it, and
   * unknown spatial dimensions take it. Default 32.
   */
  spatialSize?: number;
  /** Sequence length for recurrent or embedding inputs whose length is unknown. */
  timeSteps?: number;
  /** Convolution padding (not in the description). Default 'valid', every framework's default. */
  padding?: 'valid' | 'same';
  /** Cap on the total number of parameters. Default 50 000 000. */
  maxParams?: number;
}

export const DEFAULT_MAX_PARAMS = 50_000_000;
export const DEFAULT_SPATIAL_SIZE = 32;

/** One weight tensor of a rebuilt layer. */
export interface BuiltWeight {
  slot: WeightSlot;
  /** The tfjs variable name. */
  name: string;
  shape: number[];
  /** The initializer used (written in the source, or the framework's layer default). */
  ref: InitializerRef;
  /** Who drew the values: tfjs's own initializer object, or this module's Keras / PyTorch sampler. */
  sampledBy: Framework;
  /** The law the Keras/PyTorch sampler drew from (undefined for tfjs, where tfjs decides). */
  law?: SampledLaw;
  /** Fans as the source framework computed them (Keras/PyTorch samplers; tfjs fans by tfjs's rule, computed here). */
  fans?: Fans;
  variable: TFNS.LayerVariable;
  note?: string;
}

/** One node of the description, rebuilt. */
export interface BuiltLayer {
  index: number;
  node: LayerNode;
  kind: LayerKind;
  /** Human label: "layer 3 (dense 'hidden')". */
  label: string;
  /** Input shapes without the batch dimension. */
  inputShapes: number[][];
  /** Output shape without the batch dimension. */
  outputShape: number[];
  /** Canonical id of the activation at the output (fused or activation layer), if any. */
  activation?: string;
  /** Whether `apply` also returns the pre-activation (weighted layer with a non-linear fused activation). */
  hasPreActivation: boolean;
  weights: BuiltWeight[];
  params: number;
  /** The tfjs layers created for this node, in application order. */
  tfLayers: Layer[];
  notes: string[];
  /** Run the node on concrete or symbolic inputs. */
  apply(xs: AnyTensor[], kwargs?: Kwargs): { pre?: AnyTensor; out: AnyTensor };
}

/** Where a node's inputs come from: another node, or a model input. */
export type Source = { node: number } | { input: number };

export interface ModelInput {
  /** Shape without the batch dimension. */
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Vocabulary size, for integer inputs (embedding indices are drawn uniformly in [0, vocab)). */
  vocab?: number;
  /** The node whose input this is. */
  consumer: number;
}

export interface BuiltModel {
  ok: true;
  tf: TF;
  framework: Framework;
  name: string;
  seed: number;
  layers: BuiltLayer[];
  /** Input sources of each node (parallel to `layers`). */
  sources: Source[][];
  inputs: ModelInput[];
  /** Node indices of the model outputs. */
  outputs: number[];
  /** The functional tfjs model (inputs → outputs), for summaries; undefined if tfjs could not assemble it. */
  model?: TFNS.LayersModel;
  params: number;
  notes: string[];
  /** Dispose every weight. The built model is unusable afterwards. */
  dispose(): void;
}

/** What the caller could supply to make a failed rebuild work (the panel asks the user for it). */
export type BuildNeed = 'inputShape' | 'timeSteps' | 'size' | 'initializer' | 'smaller' | 'unsupported';

export interface BuildFailure {
  ok: false;
  reason: string;
  /** Index of the layer the failure is about. */
  layer?: number;
  need?: BuildNeed;
}

export type BuildResult = BuiltModel | BuildFailure;

