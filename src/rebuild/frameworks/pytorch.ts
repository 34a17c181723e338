/**
 * PyTorch in the rebuild: samplers written here from PyTorch's sources as summarized in the reference (§3.2-3.4
 * fan rules, kaiming/xavier untruncated, trunc_normal_ with absolute cut-offs, module defaults), drawing on the
 * PyTorch layout and converting to the tfjs layout. Deliberately independent of core/realize.ts so that the tests
 * of realize() against these samples are a real check.
 */
import type { InitializerKind } from '../../core/initializers';
import { SampleError, arg, constant, normal, orthogonalMatrix, prod, samplerOf, transposeArray, truncNormalAbsolute, uniform, uniformOrNormal } from '../sample';
import type { Fans, Sampled, Sampler, TF, Tensor, WeightContext } from '../sample';
import type { RebuildFramework } from './types';

/**
 * The PyTorch weight shape of a tfjs-layout weight: Linear (out, in), ConvNd (out, in/groups, k…),
 * ConvTransposeNd (in, out/groups, k…), depthwise Conv (in·mult, 1, k…), RNN weight_ih (G·H, in) and
 * weight_hh (G·H, H), Embedding (num, dim) (reference §3.2). Undefined for 1-D weights (biases, norms).
 */
export function torchShape(ctx: WeightContext): number[] | undefined {
  const s = ctx.shape;
  if (s.length < 2) return undefined;
  switch (ctx.kind) {
    case 'dense':
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return [s[1], s[0]];
    case 'embedding':
      return [s[0], s[1]];
    case 'conv':
    case 'convTranspose': {
      // tfjs conv [k…, in, out] → torch (out, in, k…); tfjs transpose [k…, filters, in] → torch (in, filters, k…).
      const k = s.slice(0, -2);
      return [s[s.length - 1], s[s.length - 2], ...k];
    }
    case 'depthwiseConv':
    case 'separableConv': {
      const k = s.slice(0, -2);
      if (ctx.slot === 'pointwise') return [s[s.length - 1], s[s.length - 2], ...k];
      // depthwise [k…, in, mult] → torch Conv(groups=in) weight (in·mult, 1, k…)
      return [s[s.length - 2] * s[s.length - 1], 1, ...k];
    }
    default:
      return [s[s.length - 1], ...s.slice(0, -1)];
  }
}

/** PyTorch `_calculate_fan_in_and_fan_out` on the torch-layout shape (init.py; reference §3.2). */
export function torchFans(ctx: WeightContext): Fans {
  const t = torchShape(ctx);
  if (!t) {
    throw new SampleError(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (PyTorch raises ValueError)',
    );
  }
  const rf = prod(t.slice(2));
  return { fanIn: t[1] * rf, fanOut: t[0] * rf };
}

// PyTorch calculate_gain (init.py: calculate_gain; reference §3.1). Written here independently of core/moments.

export function torchGain(nonlinearity: string, param: number | undefined): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new SampleError(`Unsupported nonlinearity ${nonlinearity} (torch.nn.init.calculate_gain raises ValueError)`);
  }
}

/**
 * Convert a PyTorch-layout weight (see torchShape) to the tfjs layout of `ctx.shape`.
 */
function torchToTfjs(tf: TF, data: Float32Array, tshape: number[], ctx: WeightContext): Tensor {
  const r = ctx.shape.length;
  switch (ctx.kind) {
    case 'dense':
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return transposeArray(tf, data, tshape, [1, 0]);
    case 'embedding':
      return tf.tensor(data, ctx.shape, 'float32');
    case 'depthwiseConv':
    case 'separableConv':
    default: {
      if ((ctx.kind === 'depthwiseConv' || ctx.kind === 'separableConv') && ctx.slot !== 'pointwise') {
        // (in·mult, 1, k…) → (in, mult, k…) → [k…, in, mult]
        const inC = ctx.shape[r - 2];
        const mult = ctx.shape[r - 1];
        const k = ctx.shape.slice(0, -2);
        const perm = [...k.map((_, i) => i + 2), 0, 1];
        return transposeArray(tf, data, [inC, mult, ...k], perm);
      }
      // torch (a, b, k…) → tfjs [k…, b, a] (conv, transpose, pointwise)
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i + 2), 1, 0];
      return transposeArray(tf, data, tshape, perm);
    }
  }
}

function torchOrthogonal(tf: TF, gain: number, ctx: WeightContext): Sampled {
  // init.py orthogonal_: rows = size(0), cols = numel/rows on the PyTorch layout.
  const t = torchShape(ctx);
  if (!t) throw new SampleError('Only tensors with 2 or more dimensions are supported (orthogonal_ raises ValueError)');
  const rows = t[0];
  const cols = prod(t) / rows;
  const q = orthogonalMatrix(tf, rows, cols, gain, ctx.seed);
  return {
    tensor: torchToTfjs(tf, q, t, ctx),
    law: { distribution: 'orthogonal', mean: 0, variance: (gain * gain * Math.min(rows, cols)) / (rows * cols) },
  };
}

/** torch.nn.init.eye_ on the torch (out, in) layout, then transposed to tfjs [in, out]; eye_ takes no gain. */
function eye(tf: TF, ctx: WeightContext): Sampled {
  if (ctx.shape.length !== 2) throw new SampleError(`identity initializer needs a 2-D weight (shape [${ctx.shape}])`);
  const t = torchShape(ctx)!;
  const tensor = tf.tidy(() => tf.transpose(tf.eye(t[0], t[1])));
  const n = prod(ctx.shape);
  const mean = Math.min(ctx.shape[0], ctx.shape[1]) / n;
  return { tensor, law: { distribution: 'identity', mean, variance: mean - mean * mean } };
}

/** kaiming_uniform_/kaiming_normal_ (init.py): std = gain/√fan on the torch-layout fans. */
const kaiming: Sampler = (tf, ref, spec, ctx) => {
  const fans = torchFans(ctx);
  const mode = arg(ref, spec, 'mode') ?? 'fanIn';
  if (mode === 'fanAvg') throw new SampleError("kaiming mode must be 'fan_in' or 'fan_out'");
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  const gain = torchGain(arg(ref, spec, 'nonlinearity') ?? 'leaky_relu', arg(ref, spec, 'negativeSlope') ?? 0);
  return { ...uniformOrNormal(tf, ctx.shape, spec.distribution, gain / Math.sqrt(fan), ctx.seed), fans };
};

/** xavier_uniform_/xavier_normal_ (init.py): std = gain·√(2/(fan_in + fan_out)). */
const xavier: Sampler = (tf, ref, spec, ctx) => {
  const fans = torchFans(ctx);
  const std = (arg(ref, spec, 'gain') ?? 1) * Math.sqrt(2 / (fans.fanIn + fans.fanOut));
  return { ...uniformOrNormal(tf, ctx.shape, spec.distribution, std, ctx.seed), fans };
};

/** Weight: kaiming_uniform_(a=√5) = U(±1/√fan_in); bias: U(±1/√fan_in of the weight) (0 if fan_in = 0). */
const defaultLinear: Sampler = (tf, _ref, _spec, ctx) => {
  const fanIn = ctx.slot === 'bias' ? ctx.weightFanIn : torchFans(ctx).fanIn;
  if (fanIn === undefined) throw new SampleError('fan-in of the weight unknown');
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return { ...uniform(tf, ctx.shape, -bound, bound, ctx.seed), fans: ctx.slot === 'bias' ? undefined : torchFans(ctx) };
};

/** The PyTorch sampler of each initializer kind (torch/nn/init.py and the modules' reset_parameters). */
const SAMPLERS: Record<InitializerKind, Sampler | undefined> = {
  constant: (tf, ref, spec, ctx) => {
    const v = arg(ref, spec, 'value');
    if (v === undefined) throw new SampleError(`${ref.id} needs a value`);
    return constant(tf, ctx.shape, v);
  },
  uniform: (tf, ref, spec, ctx) => uniform(tf, ctx.shape, arg(ref, spec, 'minval') ?? 0, arg(ref, spec, 'maxval') ?? 1, ctx.seed),
  normal: (tf, ref, spec, ctx) => normal(tf, ctx.shape, arg(ref, spec, 'mean') ?? 0, arg(ref, spec, 'stddev') ?? 1, ctx.seed),
  truncatedNormal: (tf, ref, spec, ctx) =>
    truncNormalAbsolute(
      tf,
      ctx.shape,
      arg(ref, spec, 'mean') ?? 0,
      arg(ref, spec, 'stddev') ?? 1,
      arg(ref, spec, 'lower') ?? -2,
      arg(ref, spec, 'upper') ?? 2,
      ctx.seed,
    ),
  torchKaiming: kaiming,
  torchXavier: xavier,
  torchDefaultLinear: defaultLinear,
  torchDefaultRnn: (tf, _ref, _spec, ctx) => {
    // rnn.py: every parameter U(±1/√hidden_size).
    const h = ctx.hiddenSize;
    if (!h) throw new SampleError('hidden size unknown');
    const bound = 1 / Math.sqrt(h);
    return uniform(tf, ctx.shape, -bound, bound, ctx.seed);
  },
  orthogonal: (tf, ref, spec, ctx) => torchOrthogonal(tf, arg(ref, spec, 'gain') ?? 1, ctx),
  identity: (tf, _ref, _spec, ctx) => eye(tf, ctx),
  varianceScaling: undefined, // PyTorch has no VarianceScaling
};

export const PYTORCH_REBUILD: RebuildFramework = {
  drawing: { by: 'sampler', sample: samplerOf('PyTorch', SAMPLERS), fans: torchFans },
  canDraw: (spec) => SAMPLERS[spec.kind] !== undefined,
  // nn.RNN/LSTM/GRU have b_ih and b_hh; tfjs one bias: their sum, two independent draws.
  twoRecurrentBiases: { weightNote: 'b_ih + b_hh', layerNote: "PyTorch's b_ih + b_hh rebuilt as one bias (their sum)" },
  separablePointwiseFromDepthwise: false,
  // PyTorch has no separable module: both convolutions of a depthwise-separable pair are Conv2d defaults.
  separableDefaultsOf: 'conv',
  nativeLeakyRelu: false,
  notes: { gru: 'GRU rebuilt with the reset-before formulation (tfjs has no reset_after)' },
};
