/**
 * Keras (tf.keras 2.x and Keras 3) as data: layer classes (signature, kind, which keyword holds which
 * initializer), initializer classes and their arguments, and channels-last shape inference (Keras conv_utils).
 * Facts from ../shared/reference/init-semantics.md §2.
 */
import { mulDims } from '../../core/conv-shapes';
import { convOutput, poolSpatial, recurrentDims, recurrentWidth, splitChannels, timeStepsOf } from '../shared/keras-layers';
import { resolveActivation } from '../../core/activations';
import { FRAMEWORK_FACTS, allInitializers, defaultInitializerRef, resolveInitializer } from '../../core/initializers';
import type { ActivationRef, InitializerArgs, LayerKind } from '../../core/model';
import type { Dim, LayerRec, Shape, SlotName, V } from './values';
import { intOf, intsOf, numOf, strOf } from './values';

export interface KerasLayerSpec {
  kind: LayerKind | 'bidirectional' | 'timeDistributed';
  params: string[];
  rank?: number;
  pooling?: 'max' | 'average';
  /** Activation layers: fixed activation name (Keras spelling), or 'param' for Activation(name). */
  act?: string;
  /** Initializer keyword per description slot. */
  slots?: Partial<Record<SlotName, string>>;
  unknown?: string;
}

const W = { kernel: 'kernel_initializer', bias: 'bias_initializer' } as const;
const CONV = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'];
const CONVT = ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'];
const DW = ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'depthwise_initializer', 'bias_initializer'];
const SEP = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias', 'depthwise_initializer', 'pointwise_initializer', 'bias_initializer'];
const RNN_SLOTS = { kernel: 'kernel_initializer', recurrent: 'recurrent_initializer', bias: 'bias_initializer' } as const;
const NORM_SLOTS = { gamma: 'gamma_initializer', beta: 'beta_initializer' } as const;
const POOL = ['pool_size', 'strides', 'padding', 'data_format'];
const GPOOL = ['data_format', 'keepdims'];
const conv = (rank: number): KerasLayerSpec => ({ kind: 'conv', params: CONV, rank, slots: W });
const convT = (rank: number): KerasLayerSpec => ({ kind: 'convTranspose', params: CONVT, rank, slots: W });
const pool = (rank: number, pooling: 'max' | 'average'): KerasLayerSpec => ({ kind: 'pooling', params: POOL, rank, pooling });
const gpool = (rank: number, pooling: 'max' | 'average'): KerasLayerSpec => ({ kind: 'globalPooling', params: GPOOL, rank, pooling });
const unk = (why: string): KerasLayerSpec => ({ kind: 'unknown', params: [], unknown: why });

/** keras.layers classes by class name (aliases included). */
export const KERAS_LAYERS: Readonly<Record<string, KerasLayerSpec>> = {
  InputLayer: { kind: 'input', params: ['input_shape', 'batch_size', 'dtype'] },
  Dense: { kind: 'dense', params: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'], slots: W },
  Conv1D: conv(1),
  Conv2D: conv(2),
  Conv3D: conv(3),
  Convolution1D: conv(1),
  Convolution2D: conv(2),
  Convolution3D: conv(3),
  Conv1DTranspose: convT(1),
  Conv2DTranspose: convT(2),
  Conv3DTranspose: convT(3),
  Convolution2DTranspose: convT(2),
  DepthwiseConv2D: { kind: 'depthwiseConv', params: DW, rank: 2, slots: { kernel: 'depthwise_initializer', bias: 'bias_initializer' } },
  DepthwiseConv1D: { kind: 'depthwiseConv', params: DW, rank: 1, slots: { kernel: 'depthwise_initializer', bias: 'bias_initializer' } },
  SeparableConv1D: { kind: 'separableConv', params: SEP, rank: 1, slots: { kernel: 'depthwise_initializer', pointwise: 'pointwise_initializer', bias: 'bias_initializer' } },
  SeparableConv2D: { kind: 'separableConv', params: SEP, rank: 2, slots: { kernel: 'depthwise_initializer', pointwise: 'pointwise_initializer', bias: 'bias_initializer' } },
  SimpleRNN: { kind: 'simpleRNN', params: ['units', 'activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer'], slots: RNN_SLOTS },
  LSTM: {
    kind: 'lstm',
    params: ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'unit_forget_bias'],
    slots: RNN_SLOTS,
  },
  GRU: {
    kind: 'gru',
    params: ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer'],
    slots: RNN_SLOTS,
  },
  Embedding: { kind: 'embedding', params: ['input_dim', 'output_dim', 'embeddings_initializer'], slots: { kernel: 'embeddings_initializer' } },
  BatchNormalization: { kind: 'batchNorm', params: ['axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer'], slots: NORM_SLOTS },
  LayerNormalization: { kind: 'layerNorm', params: ['axis', 'epsilon', 'center', 'scale'], slots: NORM_SLOTS },
  GroupNormalization: { kind: 'layerNorm', params: ['groups', 'axis', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer'], slots: NORM_SLOTS },
  UnitNormalization: unk('UnitNormalization is not modelled'),
  Activation: { kind: 'activation', params: ['activation'], act: 'param' },
  ReLU: { kind: 'activation', params: ['max_value', 'negative_slope', 'threshold'], act: 'relu' },
  LeakyReLU: { kind: 'activation', params: ['negative_slope'], act: 'leaky_relu' },
  PReLU: { kind: 'activation', params: ['alpha_initializer'], act: 'prelu' },
  ELU: { kind: 'activation', params: ['alpha'], act: 'elu' },
  Softmax: { kind: 'activation', params: ['axis'], act: 'softmax' },
  Dropout: { kind: 'dropout', params: ['rate', 'noise_shape', 'seed'] },
  SpatialDropout1D: { kind: 'dropout', params: ['rate'] },
  SpatialDropout2D: { kind: 'dropout', params: ['rate'] },
  SpatialDropout3D: { kind: 'dropout', params: ['rate'] },
  AlphaDropout: { kind: 'dropout', params: ['rate'] },
  GaussianDropout: { kind: 'dropout', params: ['rate'] },
  MaxPooling1D: pool(1, 'max'),
  MaxPooling2D: pool(2, 'max'),
  MaxPooling3D: pool(3, 'max'),
  MaxPool1D: pool(1, 'max'),
  MaxPool2D: pool(2, 'max'),
  MaxPool3D: pool(3, 'max'),
  AveragePooling1D: pool(1, 'average'),
  AveragePooling2D: pool(2, 'average'),
  AveragePooling3D: pool(3, 'average'),
  AvgPool1D: pool(1, 'average'),
  AvgPool2D: pool(2, 'average'),
  AvgPool3D: pool(3, 'average'),
  GlobalAveragePooling1D: gpool(1, 'average'),
  GlobalAveragePooling2D: gpool(2, 'average'),
  GlobalAveragePooling3D: gpool(3, 'average'),
  GlobalAvgPool1D: gpool(1, 'average'),
  GlobalAvgPool2D: gpool(2, 'average'),
  GlobalAvgPool3D: gpool(3, 'average'),
  GlobalMaxPooling1D: gpool(1, 'max'),
  GlobalMaxPooling2D: gpool(2, 'max'),
  GlobalMaxPooling3D: gpool(3, 'max'),
  GlobalMaxPool1D: gpool(1, 'max'),
  GlobalMaxPool2D: gpool(2, 'max'),
  GlobalMaxPool3D: gpool(3, 'max'),
  Flatten: { kind: 'flatten', params: ['data_format'] },
  Reshape: { kind: 'reshape', params: ['target_shape'] },
  Add: { kind: 'add', params: [] },
  Concatenate: { kind: 'concatenate', params: ['axis'] },
  Bidirectional: { kind: 'bidirectional', params: ['layer', 'merge_mode'] },
  TimeDistributed: { kind: 'timeDistributed', params: ['layer'] },
  Lambda: unk('Lambda layers are not modelled'),
  GaussianNoise: unk('GaussianNoise adds noise in training (not modelled)'),
  Rescaling: unk('Rescaling is not modelled'),
  Normalization: unk('the Normalization preprocessing layer is not modelled'),
  Multiply: unk('Multiply is not modelled'),
  Average: unk('Average is not modelled'),
  Maximum: unk('Maximum is not modelled'),
  Minimum: unk('Minimum is not modelled'),
  Subtract: unk('Subtract is not modelled'),
  Dot: unk('Dot is not modelled'),
  Attention: unk('attention is not modelled'),
  MultiHeadAttention: unk('attention is not modelled'),
  ZeroPadding1D: unk('padding layers are not modelled'),
  ZeroPadding2D: unk('padding layers are not modelled'),
  UpSampling2D: unk('upsampling is not modelled'),
  RepeatVector: unk('RepeatVector is not modelled'),
  Permute: unk('Permute is not modelled'),
  Cropping2D: unk('cropping is not modelled'),
  ConvLSTM2D: unk('ConvLSTM2D is not modelled'),
  Masking: unk('Masking is not modelled'),
};

/**
 * keras.initializers classes, functions (he_normal(seed=…): tf.keras 2 functions / Keras 3 aliases) and lower-case
 * aliases: canonical id and positional arguments, from the registry (core/frameworks/keras/initializers.ts).
 */
export const KERAS_INIT_CLASSES: Readonly<Record<string, { id: string; positional: (keyof InitializerArgs)[] }>> = Object.fromEntries(
  allInitializers('keras').flatMap((s) => [s.className!, s.id, ...s.aliases].map((name) => [name, { id: s.id, positional: s.positional }])),
);

/** The class a fix writes for a Keras initializer id. */
export const KERAS_INIT_CLASS_BY_ID: Readonly<Record<string, string>> = Object.fromEntries(
  allInitializers('keras').map((s) => [s.id, s.className!]),
);

/** Keyword names of InitializerArgs in Keras initializer constructors. */
export const KERAS_ARG_NAMES: Partial<Record<keyof InitializerArgs, string>> = {
  scale: 'scale',
  mode: 'mode',
  distribution: 'distribution',
  minval: 'minval',
  maxval: 'maxval',
  mean: 'mean',
  stddev: 'stddev',
  value: 'value',
  gain: 'gain',
  seed: 'seed',
};

const MODES: Record<string, InitializerArgs['mode']> = { fan_in: 'fanIn', fan_out: 'fanOut', fan_avg: 'fanAvg' };
const DISTS: Record<string, InitializerArgs['distribution']> = {
  normal: 'normal',
  truncated_normal: 'truncatedNormal',
  untruncated_normal: 'untruncatedNormal',
  uniform: 'uniform',
};
export const KERAS_MODE_TEXT: Record<string, string> = { fanIn: 'fan_in', fanOut: 'fan_out', fanAvg: 'fan_avg' };
export const KERAS_DIST_TEXT: Record<string, string> = {
  normal: 'normal',
  truncatedNormal: 'truncated_normal',
  untruncatedNormal: 'untruncated_normal',
  uniform: 'uniform',
};

/** An initializer argument value as InitializerArgs holds it, undefined when it cannot be known. */
export function kerasArgValue(key: keyof InitializerArgs, v: V): InitializerArgs[keyof InitializerArgs] | undefined {
  if (key === 'mode') {
    const s = strOf(v);
    return s !== undefined ? MODES[s] : undefined;
  }
  if (key === 'distribution') {
    const s = strOf(v);
    return s !== undefined ? DISTS[s] : undefined;
  }
  if (key === 'seed' && v.k === 'none') return undefined;
  return numOf(v);
}

export function kerasActivationByName(name: string, explicit: boolean): ActivationRef {
  const hit = resolveActivation('keras', name);
  const ref: ActivationRef = { id: hit?.id, explicit };
  if (hit?.alpha !== undefined) ref.alpha = hit.alpha;
  return ref;
}


/** A shape tuple `(None, 28, 28)`: None and unknown entries are undefined; undefined when not a tuple. */
export function shapeOf(v: V | undefined): Dim[] | undefined {
  if (!v) return undefined;
  const n = intOf(v);
  if (n !== undefined) return [n];
  if (v.k !== 'list' || v.anyLen) return undefined;
  return v.items.map((x) => (x.k === 'none' ? undefined : intOf(x)));
}

/** Fills a Keras layer record's sizes and options from its constructor arguments (initializers and activations are the interpreter's). */
export function configureKerasLayer(rec: LayerRec, spec: KerasLayerSpec, get: (name: string) => V | undefined): void {
  const i = (name: string) => intOf(get(name));
  const rank = spec.rank ?? 2;
  rec.rank = rank;
  const bool = (name: string, dflt: boolean): boolean | undefined => {
    const v = get(name);
    if (!v) return dflt;
    return v.k === 'bool' ? v.v : v.k === 'num' ? v.v !== 0 : undefined;
  };
  const df = get('data_format');
  if (df && strOf(df) === 'channels_first') rec.channelsFirst = true;
  else if (df && strOf(df) !== 'channels_last' && df.k !== 'none') rec.unknownReason = 'data_format unknown';
  switch (spec.kind) {
    case 'dense':
      rec.outFeatures = i('units');
      rec.useBias = bool('use_bias', true);
      break;
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv': {
      if (spec.kind !== 'depthwiseConv') rec.outFeatures = i('filters');
      rec.kernelSize = intsOf(get('kernel_size'), rank);
      rec.strides = get('strides') ? intsOf(get('strides'), rank) : Array.from({ length: rank }, () => 1);
      rec.dilation = get('dilation_rate') ? intsOf(get('dilation_rate'), rank) : Array.from({ length: rank }, () => 1);
      const p = get('padding');
      rec.padding = p ? strOf(p)?.toLowerCase() : 'valid';
      if (spec.kind === 'depthwiseConv' || spec.kind === 'separableConv') rec.depthMultiplier = get('depth_multiplier') ? i('depth_multiplier') : 1;
      const g = get('groups');
      if (g && intOf(g) !== 1) {
        const gi = intOf(g);
        if (gi === undefined) rec.unknownReason = 'groups unknown';
        else rec.groups = gi;
      }
      rec.useBias = bool('use_bias', true);
      break;
    }
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      rec.outFeatures = i('units');
      rec.useBias = bool('use_bias', true);
      const rs = get('return_sequences');
      rec.returnSequences = rs ? (rs.k === 'bool' ? rs.v : undefined) : false;
      if (spec.kind === 'lstm') {
        const u = get('unit_forget_bias');
        rec.layers[0].unitForgetBias = u ? (u.k === 'bool' ? u.v : undefined) : FRAMEWORK_FACTS.keras.lstmUnitForgetBiasDefault;
        rec.layers[0].unitForgetBiasExplicit = !!u;
      }
      break;
    }
    case 'embedding': {
      rec.inFeatures = i('input_dim');
      rec.outFeatures = i('output_dim');
      const il = get('input_length');
      if (il) rec.timeSteps = intOf(il);
      break;
    }
    case 'batchNorm':
    case 'layerNorm': {
      const e = get('epsilon');
      rec.epsilon = e ? numOf(e) : FRAMEWORK_FACTS.keras.normEpsilon;
      const center = bool('center', true);
      const scale = bool('scale', true);
      if (center === false || scale === false) rec.note = 'center/scale disabled';
      if (rec.cls.endsWith('GroupNormalization')) rec.note = 'GroupNormalization described as a layer normalization (per-group statistics)';
      break;
    }
    case 'dropout': {
      const r = get('rate');
      rec.rate = r ? numOf(r) : undefined;
      break;
    }
    case 'pooling': {
      rec.pooling = spec.pooling;
      rec.poolSize = get('pool_size') ? intsOf(get('pool_size'), rank) : Array.from({ length: rank }, () => 2);
      const st = get('strides');
      rec.strides = st && st.k !== 'none' ? intsOf(st, rank) : rec.poolSize;
      const p = get('padding');
      rec.padding = p ? strOf(p)?.toLowerCase() : 'valid';
      break;
    }
    case 'globalPooling':
      rec.pooling = spec.pooling;
      if (get('keepdims') && get('keepdims')!.k === 'bool' && (get('keepdims') as { v: boolean }).v) rec.unknownReason = 'keepdims=True is not modelled';
      break;
    case 'reshape':
      rec.targetShape = shapeOf(get('target_shape'));
      break;
    case 'input': {
      rec.inputShape = shapeOf(get('input_shape') ?? get('shape'));
      break;
    }
    default:
      break;
  }
}

/** Default initializer refs of a Keras layer's slots (the interpreter replaces the written ones). */
export function kerasDefaultSlots(rec: LayerRec): void {
  const slots = rec.layers[0].slots;
  const kind = rec.kind;
  const k = defaultInitializerRef('keras', kind, kind === 'embedding' ? 'embeddings' : 'kernel');
  if (k) slots.kernel = k;
  const r = defaultInitializerRef('keras', kind, 'recurrent');
  if (r) slots.recurrent = r;
  const p = defaultInitializerRef('keras', kind, 'pointwise');
  if (p) slots.pointwise = p;
  if (rec.useBias !== false) {
    const b = defaultInitializerRef('keras', kind, 'bias');
    if (b) slots.bias = b;
  }
  const g = defaultInitializerRef('keras', kind, 'gamma');
  if (g) slots.gamma = g;
  const bt = defaultInitializerRef('keras', kind, 'beta');
  if (bt) slots.beta = bt;
}

export function kerasInitId(name: string): string | undefined {
  return resolveInitializer('keras', name)?.id;
}

// -------------------------------------------------------------------------------------------------------------
// Shape inference (channels-last; Keras conv_utils.conv_output_length / deconv_output_length)

const mul = mulDims;

export function lastOf(s: Shape | undefined): number | undefined {
  if (!s) return undefined;
  if (s.dims) return s.dims.length ? s.dims[s.dims.length - 1] : undefined;
  return s.feat;
}

const withLast = (s: Shape, last: Dim): Shape => (s.dims ? { dims: [...s.dims.slice(0, -1), last], feat: last } : { feat: last });

export interface KerasInferred {
  out: Shape;
  inFeatures?: number;
  outFeatures?: number;
  timeSteps?: number;
}

/** Output shape and feature counts of a Keras layer on inputs of the given shapes. */
export function inferKeras(rec: LayerRec, ins: Shape[]): KerasInferred {
  if (rec.wrapper === 'timeDistributed') {
    const inp = ins[0] ?? {};
    if (inp.dims && inp.dims.length >= 2) {
      const r = inferCore(rec, [{ dims: inp.dims.slice(1) }]);
      return { ...r, out: r.out.dims ? { dims: [inp.dims[0], ...r.out.dims], feat: lastOf(r.out) } : { feat: lastOf(r.out) } };
    }
    const r = inferCore(rec, [{ feat: lastOf(inp) }]);
    return { ...r, out: { feat: lastOf(r.out) } };
  }
  return inferCore(rec, ins);
}

function inferCore(rec: LayerRec, ins: Shape[]): KerasInferred {
  const inp: Shape = ins[0] ?? {};
  const F = lastOf(inp);
  switch (rec.kind) {
    case 'input': {
      const dims = rec.inputShape;
      return dims ? { out: { dims, feat: dims[dims.length - 1] }, outFeatures: dims[dims.length - 1] } : { out: {} };
    }
    case 'dense':
      return { out: withLast(inp, rec.outFeatures), inFeatures: F, outFeatures: rec.outFeatures };
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      const u = recurrentWidth(rec.outFeatures, rec.wrapper, rec.mergeFactor);
      const dims = recurrentDims(inp.dims, u, rec.returnSequences);
      return { out: dims ? { dims, feat: u } : { feat: u }, inFeatures: F, outFeatures: rec.outFeatures, timeSteps: timeStepsOf(inp.dims) };
    }
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv': {
      const cf = rec.channelsFirst === true;
      const layer = { ...rec, kind: rec.kind, rank: rec.rank ?? 2, channelsFirst: cf, filters: rec.outFeatures, depthMultiplier: rec.depthMultiplier };
      const { inChannels: C, outChannels: outC, dims } = convOutput(layer, inp.dims, F);
      if (!dims) return { out: cf ? {} : { feat: outC }, inFeatures: C, outFeatures: outC };
      return { out: { dims, feat: outC }, inFeatures: C, outFeatures: outC };
    }
    case 'pooling': {
      // Keras: a channels-first pooling output is left unknown.
      const { spatial: spatialIn } = splitChannels(inp.dims, rec.rank ?? 2, false, F);
      if (!spatialIn || rec.channelsFirst) return { out: rec.channelsFirst ? {} : { feat: F }, inFeatures: F, outFeatures: F };
      const spatial = poolSpatial(spatialIn, { kernelSize: rec.poolSize, strides: rec.strides, padding: rec.padding });
      return { out: { dims: [...spatial, F], feat: F }, inFeatures: F, outFeatures: F };
    }
    case 'globalPooling': {
      const C = rec.channelsFirst ? inp.dims?.[0] : F;
      return { out: { dims: [C], feat: C }, inFeatures: C, outFeatures: C };
    }
    case 'flatten': {
      if (inp.dims) {
        let p: Dim = 1;
        for (const d of inp.dims) p = mul(p, d);
        return { out: { dims: [p], feat: p }, inFeatures: F, outFeatures: p };
      }
      return { out: {}, inFeatures: F };
    }
    case 'reshape': {
      const t = rec.targetShape;
      if (!t) return { out: {} };
      let dims = [...t];
      const neg = dims.findIndex((d) => d === -1);
      if (neg >= 0) {
        let total: Dim = 1;
        for (const d of inp.dims ?? [undefined]) total = mul(total, d);
        let known: Dim = 1;
        dims.forEach((d, j) => {
          if (j !== neg) known = mul(known, d);
        });
        dims[neg] = total !== undefined && known ? total / known : undefined;
        if (dims[neg] !== undefined && !Number.isInteger(dims[neg])) dims = dims.map(() => undefined);
      }
      return { out: { dims, feat: dims[dims.length - 1] }, inFeatures: F, outFeatures: dims[dims.length - 1] };
    }
    case 'embedding': {
      const T = rec.timeSteps ?? (inp.dims && inp.dims.length === 1 ? inp.dims[0] : undefined);
      return { out: { dims: [T, rec.outFeatures], feat: rec.outFeatures }, inFeatures: rec.inFeatures, outFeatures: rec.outFeatures, timeSteps: T };
    }
    case 'add':
      return { out: ins.find((s) => s.dims) ?? inp, inFeatures: F, outFeatures: F };
    case 'concatenate': {
      const lasts = ins.map(lastOf);
      const sum = lasts.every((x) => x !== undefined) ? (lasts as number[]).reduce((a, b) => a + b, 0) : undefined;
      const base = ins.find((s) => s.dims);
      return { out: base ? withLast(base, sum) : { feat: sum }, outFeatures: sum };
    }
    case 'unknown':
      return { out: {} };
    default:
      // normalization, activation, dropout: shape unchanged
      return { out: inp, inFeatures: F, outFeatures: F };
  }
}
