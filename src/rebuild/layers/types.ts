/** What a layer builder (one per layer kind, src/rebuild/layers/) is given and returns. */
import type { WeightSlot } from '../../core/initializers';
import type { Framework, LayerKind, LayerNode } from '../../core/model';
import type { BuildNeed, BuiltLayer, Layer } from '../build-types';
import type { TfjsInitializer } from '../frameworks/types';
import type { TF, Tensor } from '../sample';

export interface NodeContext {
  tf: TF;
  /** The model's framework. */
  fw: Framework;
  node: LayerNode;
  /** The kind rebuilt (a PyTorch grouped conv with groups = C_in is rebuilt as a depthwise conv). */
  kind: LayerKind;
  label: string;
  /** The tfjs layer name. */
  name: string;
  notes: string[];
  /** The tfjs layers of this node, in creation order. */
  layers: Layer[];
  /** Every layer created by the rebuild (disposed on failure). */
  created: Layer[];
  inShapes: number[][];
  /** The first input's shape without the batch dimension, its channels, rank and spatial rank. */
  x0: number[];
  inC: number | undefined;
  rank: number;
  spatialDims: number;
  /** Depth multiplier of a depthwise / separable conv (builders settle it). */
  depthMultiplier: number | undefined;
  pad: 'valid' | 'same';
  useBias: boolean;
  seed: number;
  fail(msg: string, need?: BuildNeed): never;
  /** Register a created tfjs layer as part of this node. */
  track<L extends Layer>(l: L): L;
  kernelSize(): number[];
  strides(d: number): number[];
  units(): number;
  /** The initializer to give the tfjs layer for a slot: tfjs's own, or zeros to be overwritten by a sampler. */
  initFor(slot: WeightSlot, kindFor?: LayerKind): TfjsInitializer | 'zeros';
  makeActivation(id: string, alpha: number | undefined): Layer;
  /** The activation parameter the framework uses (written, else its default). */
  alphaOf(id: string, alpha: number | undefined): number | undefined;
}

export interface NodeParts {
  /** The node's tfjs layer (applied to the inputs, then the fused activation if any). */
  main?: Layer;
  /** How to apply the node when it is not `main` (identity nodes). */
  apply?: BuiltLayer['apply'];
  /** The layer's computation without its bias by unfused tfjs ops, for the backward pass (fn-layer.ts). */
  direct?: (x: Tensor, kernel: Tensor) => Tensor;
  /** The activation at the output, when the builder decides it (recurrent and activation layers). */
  activationId?: string;
}

export type LayerBuilder = (n: NodeContext) => NodeParts;

/** A node that passes its (first) input on unchanged. */
export const IDENTITY: BuiltLayer['apply'] = (xs) => ({ out: xs[0] });
