/**
 * How the rebuild (src/rebuild/build.ts) draws each framework's weights in TensorFlow.js, and the few places a
 * framework's layer differs from the tfjs layer that stands for it. One `RebuildFramework` per framework,
 * registered in ./index.ts as a `Record<Framework, …>` (rebuild imports core; core never imports rebuild).
 */
import type { InitializerSpec } from '../../core/initializers';
import type { InitializerRef, LayerKind, LayerNode } from '../../core/model';
import type { Fans, Sampled, TF, WeightContext } from '../sample';

export type TfjsInitializer = ReturnType<TF['initializers']['zeros']>;

/** Who draws the weights: tfjs's own initializer object when the layer is built, or a sampler afterwards. */
export type Drawing =
  | {
      by: 'tfjs';
      /** The tfjs initializer object, built exactly as the user's code builds it (the seed is the rebuild's). */
      initializer(tf: TF, ref: InitializerRef, seed: number): TfjsInitializer;
      /** Fans by tfjs's rule, recorded for the weight. */
      fans(shape: number[]): Fans | undefined;
    }
  | {
      by: 'sampler';
      sample(tf: TF, ref: InitializerRef, ctx: WeightContext): Sampled;
      /** Fans recorded for a weight of rank ≥ 2 whose sampler did not report them. */
      fans(ctx: WeightContext): Fans;
    };

export interface RebuildFramework {
  drawing: Drawing;
  /** Whether the rebuild can draw this initializer (test/rebuild/frameworks.test.ts checks every spec). */
  canDraw(spec: InitializerSpec): boolean;
  /** A recurrent bias the framework keeps as two vectors (PyTorch b_ih + b_hh), rebuilt as their sum: two draws. */
  twoRecurrentBiases?: { weightNote: string; layerNote: string };
  /**
   * The LSTM forget-gate quarter of the bias is ones: written by tfjs's LSTM layer itself ('layer', tfjs
   * unitForgetBias as written) or over the drawn bias ('sampler', Keras unit_forget_bias); undefined: never.
   */
  forgetBias?: { by: 'layer' | 'sampler'; on(node: LayerNode): boolean };
  /** tfjs SeparableConv2D draws the pointwise kernel with the depthwise initializer (reference §0.1 #5). */
  separablePointwiseFromDepthwise: boolean;
  /** The layer kind whose defaults a separable convolution takes when the framework has none (PyTorch: two Conv2d). */
  separableDefaultsOf?: LayerKind;
  /** A leaky ReLU is rebuilt as tfjs's own LeakyReLU layer (else as an op). */
  nativeLeakyRelu: boolean;
  /** Notes said on layers whose rebuild differs from the framework's (tfjs has no GRU reset_after, one RNN bias). */
  notes: { gru?: string; separable?: string };
}
