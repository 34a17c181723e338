/**
 * Keras in the rebuild: samplers written here from Keras's sources as summarized in the reference (§2.2
 * VarianceScaling with the 0.8796 correction and `compute_fans`). They are deliberately independent of
 * core/realize.ts so that the tests of realize() against these samples are a real check. The Keras layout is the
 * tfjs layout (both channels last, conv kernel k + (in, out), transpose k + (filters, in)).
 */
import { FRAMEWORK_FACTS, type InitializerKind } from '../../core/initializers';
import { SampleError, arg, constant, normal, orthogonalMatrix, prod, samplerOf, truncated2, uniform } from '../sample';
import type { Fans, Sampled, Sampler, TF, WeightContext } from '../sample';
import type { RebuildFramework } from './types';

/** Keras divides the truncated-normal stddev by this literal (Keras 3 random_initializers.py:305, reference §2.2). */
export const KERAS_TRUNC_DIVISOR = 0.87962566103423978;

/** Keras `compute_fans` (Keras 3 random_initializers.py:663-699, reference §2.2) on the Keras (= tfjs) kernel shape. */
export function kerasFans(shape: number[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const rf = prod(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * rf, fanOut: shape[shape.length - 1] * rf };
}

/** Keras VarianceScaling.__call__ (Keras 3 random_initializers.py:293-318, reference §2.2). */
const varianceScaling: Sampler = (tf, ref, spec, ctx) => {
  const scale = arg(ref, spec, 'scale') ?? 1;
  const mode = arg(ref, spec, 'mode') ?? 'fanIn';
  let distribution = arg(ref, spec, 'distribution') ?? 'truncatedNormal';
  if (!(scale > 0)) throw new SampleError(`Keras requires scale > 0 (got ${scale})`);
  if (distribution === 'normal') distribution = 'truncatedNormal'; // :274-275
  const fans = kerasFans(ctx.shape);
  const n = mode === 'fanIn' ? fans.fanIn : mode === 'fanOut' ? fans.fanOut : (fans.fanIn + fans.fanOut) / 2;
  const s = scale / Math.max(1, n);
  let out: Sampled;
  if (distribution === 'truncatedNormal') {
    out = truncated2(tf, ctx.shape, 0, Math.sqrt(s) / KERAS_TRUNC_DIVISOR, ctx.seed);
  } else if (distribution === 'untruncatedNormal') {
    out = normal(tf, ctx.shape, 0, Math.sqrt(s), ctx.seed);
  } else {
    const limit = Math.sqrt(3 * s);
    out = uniform(tf, ctx.shape, -limit, limit, ctx.seed);
  }
  return { ...out, fans };
};

/** Keras 3 random_initializers.py:743-772: Orthogonal on the flat shape (∏shape[:-1], shape[-1]). */
function orthogonal(tf: TF, gain: number, ctx: WeightContext): Sampled {
  if (ctx.shape.length < 2) throw new SampleError('Orthogonal initializer requires a tensor of rank ≥ 2 (Keras raises)');
  const cols = ctx.shape[ctx.shape.length - 1];
  const rows = prod(ctx.shape) / cols;
  const q = orthogonalMatrix(tf, rows, cols, gain, ctx.seed);
  return {
    tensor: tf.tensor(q, ctx.shape, 'float32'),
    law: { distribution: 'orthogonal', mean: 0, variance: (gain * gain * Math.min(rows, cols)) / (rows * cols) },
  };
}

/** Keras Identity: gain · ops.eye(*shape) on a 2-D weight. */
function identity(tf: TF, gain: number, ctx: WeightContext): Sampled {
  if (ctx.shape.length !== 2) throw new SampleError(`identity initializer needs a 2-D weight (shape [${ctx.shape}])`);
  const tensor = tf.tidy(() => tf.mul(tf.eye(ctx.shape[0], ctx.shape[1]), gain));
  const n = prod(ctx.shape);
  const mean = (gain * Math.min(ctx.shape[0], ctx.shape[1])) / n;
  return { tensor, law: { distribution: 'identity', mean, variance: (gain * gain * Math.min(ctx.shape[0], ctx.shape[1])) / n - mean * mean } };
}

/** The Keras sampler of each initializer kind (keras/src/initializers, reference §2.2). */
const SAMPLERS: Partial<Record<InitializerKind, Sampler>> = {
  constant: (tf, ref, spec, ctx) => constant(tf, ctx.shape, arg(ref, spec, 'value') ?? 0),
  uniform: (tf, ref, spec, ctx) => uniform(tf, ctx.shape, arg(ref, spec, 'minval') ?? -0.05, arg(ref, spec, 'maxval') ?? 0.05, ctx.seed),
  normal: (tf, ref, spec, ctx) => normal(tf, ctx.shape, arg(ref, spec, 'mean') ?? 0, arg(ref, spec, 'stddev') ?? 0.05, ctx.seed),
  // Keras TruncatedNormal: a plain backend truncated normal at ±2 std, no correction (reference §2.2).
  truncatedNormal: (tf, ref, spec, ctx) => truncated2(tf, ctx.shape, arg(ref, spec, 'mean') ?? 0, arg(ref, spec, 'stddev') ?? 0.05, ctx.seed),
  varianceScaling,
  orthogonal: (tf, ref, spec, ctx) => orthogonal(tf, arg(ref, spec, 'gain') ?? 1, ctx),
  identity: (tf, ref, spec, ctx) => identity(tf, arg(ref, spec, 'gain') ?? 1, ctx),
};

export const KERAS_REBUILD: RebuildFramework = {
  drawing: { by: 'sampler', sample: samplerOf('Keras', SAMPLERS), fans: (ctx) => kerasFans(ctx.shape) },
  canDraw: (spec) => SAMPLERS[spec.kind] !== undefined,
  // Keras rnn/lstm.py unit_forget_bias (default True): the forget-gate quarter of the bias is ones.
  forgetBias: { by: 'sampler', on: (node) => node.unitForgetBias ?? FRAMEWORK_FACTS.keras.lstmUnitForgetBiasDefault },
  separablePointwiseFromDepthwise: false,
  nativeLeakyRelu: false,
  notes: { gru: 'GRU rebuilt with the reset-before formulation (tfjs has no reset_after)' },
};
