/**
 * TensorFlow.js 4.x as data for the analyzer: the layer factories of `tf.layers` and what each one is in the
 * framework-neutral model, the layer and initializer classes, the arguments each initializer factory reads,
 * and the tfjs module names. Facts from ../../../../shared/reference/init-semantics.md §1 and
 * tfjs-layers 4.22 (exports_layers.ts, exports_initializers.ts, initializers.ts).
 */
import type { InitializerArgs, LayerKind } from '../../core/model';
import { allInitializers, type WeightSlot } from '../../core/initializers';
import { resolveActivation } from '../../core/activations';

export interface FactorySpec {
  kind: LayerKind;
  /** Spatial rank of convolutions and pooling layers. */
  rank?: number;
  pooling?: 'max' | 'average';
  /** Recurrent cell (only usable through tf.layers.rnn). */
  cell?: boolean;
  /** Wrapper or special constructor handled by the interpreter. */
  special?: 'rnn' | 'timeDistributed' | 'bidirectional';
  /** Layers of kind 'unknown' whose output shape we can still compute. */
  shapeOp?: 'zeroPadding2d' | 'upSampling2d' | 'cropping2D' | 'repeatVector' | 'permute' | 'identity';
}

const f = (kind: LayerKind, extra: Omit<FactorySpec, 'kind'> = {}): FactorySpec => ({ kind, ...extra });

/** Every layer factory exported by tfjs 4.22 `tf.layers` (exports_layers.ts), keyed by factory name. */
export const LAYER_FACTORIES: Readonly<Record<string, FactorySpec>> = {
  inputLayer: f('input'),
  input: f('input'),
  dense: f('dense'),
  conv1d: f('conv', { rank: 1 }),
  conv2d: f('conv', { rank: 2 }),
  conv3d: f('conv', { rank: 3 }),
  conv2dTranspose: f('convTranspose', { rank: 2 }),
  conv3dTranspose: f('convTranspose', { rank: 3 }),
  depthwiseConv2d: f('depthwiseConv', { rank: 2 }),
  separableConv2d: f('separableConv', { rank: 2 }),
  simpleRNN: f('simpleRNN'),
  lstm: f('lstm'),
  gru: f('gru'),
  simpleRNNCell: f('simpleRNN', { cell: true }),
  lstmCell: f('lstm', { cell: true }),
  gruCell: f('gru', { cell: true }),
  rnn: f('unknown', { special: 'rnn' }),
  embedding: f('embedding'),
  batchNormalization: f('batchNorm'),
  layerNormalization: f('layerNorm'),
  activation: f('activation'),
  reLU: f('activation'),
  leakyReLU: f('activation'),
  prelu: f('activation'),
  elu: f('activation'),
  thresholdedReLU: f('activation'),
  softmax: f('activation'),
  dropout: f('dropout'),
  spatialDropout1d: f('dropout'),
  alphaDropout: f('dropout'),
  gaussianDropout: f('dropout'),
  maxPooling1d: f('pooling', { rank: 1, pooling: 'max' }),
  maxPooling2d: f('pooling', { rank: 2, pooling: 'max' }),
  maxPooling3d: f('pooling', { rank: 3, pooling: 'max' }),
  maxPool1d: f('pooling', { rank: 1, pooling: 'max' }),
  maxPool2d: f('pooling', { rank: 2, pooling: 'max' }),
  averagePooling1d: f('pooling', { rank: 1, pooling: 'average' }),
  averagePooling2d: f('pooling', { rank: 2, pooling: 'average' }),
  averagePooling3d: f('pooling', { rank: 3, pooling: 'average' }),
  avgPool1d: f('pooling', { rank: 1, pooling: 'average' }),
  avgPool2d: f('pooling', { rank: 2, pooling: 'average' }),
  avgPool3d: f('pooling', { rank: 3, pooling: 'average' }),
  avgPooling1d: f('pooling', { rank: 1, pooling: 'average' }),
  avgPooling2d: f('pooling', { rank: 2, pooling: 'average' }),
  avgPooling3d: f('pooling', { rank: 3, pooling: 'average' }),
  globalMaxPooling1d: f('globalPooling', { rank: 1, pooling: 'max' }),
  globalMaxPooling2d: f('globalPooling', { rank: 2, pooling: 'max' }),
  globalMaxPool1d: f('globalPooling', { rank: 1, pooling: 'max' }),
  globalMaxPool2d: f('globalPooling', { rank: 2, pooling: 'max' }),
  globalAveragePooling1d: f('globalPooling', { rank: 1, pooling: 'average' }),
  globalAveragePooling2d: f('globalPooling', { rank: 2, pooling: 'average' }),
  globalAvgPool1d: f('globalPooling', { rank: 1, pooling: 'average' }),
  globalAvgPool2d: f('globalPooling', { rank: 2, pooling: 'average' }),
  flatten: f('flatten'),
  reshape: f('reshape'),
  add: f('add'),
  concatenate: f('concatenate'),
  timeDistributed: f('unknown', { special: 'timeDistributed' }),
  bidirectional: f('unknown', { special: 'bidirectional' }),
  // Exported but not modeled: kind 'unknown' (shape still followed where it is simple).
  zeroPadding2d: f('unknown', { shapeOp: 'zeroPadding2d' }),
  upSampling2d: f('unknown', { shapeOp: 'upSampling2d' }),
  cropping2D: f('unknown', { shapeOp: 'cropping2D' }),
  repeatVector: f('unknown', { shapeOp: 'repeatVector' }),
  permute: f('unknown', { shapeOp: 'permute' }),
  masking: f('unknown', { shapeOp: 'identity' }),
  gaussianNoise: f('unknown', { shapeOp: 'identity' }),
  rescaling: f('unknown', { shapeOp: 'identity' }),
  average: f('unknown'),
  maximum: f('unknown'),
  minimum: f('unknown'),
  multiply: f('unknown'),
  dot: f('unknown'),
  convLstm2d: f('unknown'),
  convLstm2dCell: f('unknown', { cell: true }),
  stackedRNNCells: f('unknown', { cell: true }),
  centerCrop: f('unknown'),
  resizing: f('unknown'),
  categoryEncoding: f('unknown'),
  randomWidth: f('unknown'),
};

/** Lower-cased factory name → factory name, to map layer class names (`Conv2DTranspose`) to factories. */
const FACTORY_BY_LOWER = new Map<string, string>();
for (const k of Object.keys(LAYER_FACTORIES)) FACTORY_BY_LOWER.set(k.toLowerCase(), k);
FACTORY_BY_LOWER.set('simplernn', 'simpleRNN');
FACTORY_BY_LOWER.set('inputlayer', 'inputLayer');
FACTORY_BY_LOWER.set('convlstm2d', 'convLstm2d');

/** Layer classes registered by tfjs-layers (importable from '@tensorflow/tfjs-layers/dist/layers/...'). */
export const LAYER_CLASSES = new Set([
  'InputLayer', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'Conv2D', 'Conv3D',
  'Conv2DTranspose', 'Conv3DTranspose', 'SeparableConv2D', 'Conv1D', 'Cropping2D', 'UpSampling2D',
  'DepthwiseConv2D', 'ConvLSTM2DCell', 'ConvLSTM2D', 'Dropout', 'SpatialDropout1D', 'Dense', 'Flatten',
  'Activation', 'RepeatVector', 'Reshape', 'Permute', 'Masking', 'Embedding', 'Add', 'Multiply', 'Average',
  'Maximum', 'Minimum', 'Concatenate', 'Dot', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
  'BatchNormalization', 'LayerNormalization', 'ZeroPadding2D', 'MaxPooling1D', 'AveragePooling1D',
  'MaxPooling2D', 'AveragePooling2D', 'MaxPooling3D', 'AveragePooling3D', 'GlobalAveragePooling1D',
  'GlobalMaxPooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'RNN', 'SimpleRNNCell', 'SimpleRNN',
  'GRUCell', 'GRU', 'LSTMCell', 'LSTM', 'StackedRNNCells', 'TimeDistributed', 'Bidirectional',
]);

/** The factory a layer class corresponds to (`Conv2D` → `conv2d`), or undefined. */
export function factoryForClass(className: string): string | undefined {
  if (className === 'RNN') return 'rnn';
  return FACTORY_BY_LOWER.get(className.toLowerCase());
}

/** Classes of `tf.layers` itself (exports_layers.ts:1370): usable with `new` or `extends`. */
export const TF_LAYERS_CLASSES = new Set(['Layer', 'RNN', 'RNNCell']);

/** tfjs initializer factories (exports_initializers.ts) = the canonical ids (the registry, core/frameworks/tfjs). */
export const INITIALIZER_FACTORIES = new Set(allInitializers('tfjs').map((s) => s.id));

/** Initializer class names (initializers.ts), importable from '@tensorflow/tfjs-layers/dist/initializers'. */
export const INITIALIZER_CLASS_BY_ID: Readonly<Record<string, string>> = Object.fromEntries(
  allInitializers('tfjs').map((s) => [s.id, s.className!]),
);

export const INITIALIZER_ID_BY_CLASS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(INITIALIZER_CLASS_BY_ID).map(([id, cls]) => [cls, id]),
);

const SEED_ONLY: (keyof InitializerArgs)[] = ['seed'];

/** The argument fields each initializer reads (others are ignored by tfjs, and rejected by TypeScript). */
export const INITIALIZER_ARG_KEYS: Readonly<Record<string, (keyof InitializerArgs)[]>> = {
  zeros: [],
  ones: [],
  constant: ['value'],
  randomUniform: ['minval', 'maxval', 'seed'],
  randomNormal: ['mean', 'stddev', 'seed'],
  truncatedNormal: ['mean', 'stddev', 'seed'],
  identity: ['gain'],
  varianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  glorotUniform: SEED_ONLY,
  glorotNormal: SEED_ONLY,
  heNormal: SEED_ONLY,
  heUniform: SEED_ONLY,
  leCunNormal: SEED_ONLY,
  leCunUniform: SEED_ONLY,
  orthogonal: ['gain', 'seed'],
};

/** Factories that dereference their argument: calling them without an object throws a TypeError (§1.1). */
export const INITIALIZER_ARGS_REQUIRED = new Set([
  'constant', 'randomUniform', 'randomNormal', 'truncatedNormal', 'varianceScaling', 'orthogonal', 'identity',
]);

/**
 * Which argument fields tfjs replaces by its default when falsy (`||`, reference §0.1 #11), per id.
 * `seed: 0` means "unseeded" wherever a normal sampler is used (rand_util.ts:64).
 */
export const FALSY_ARGS: Readonly<Record<string, (keyof InitializerArgs)[]>> = {
  randomUniform: ['minval', 'maxval'],
  randomNormal: ['mean', 'stddev', 'seed'],
  truncatedNormal: ['mean', 'stddev', 'seed'],
  orthogonal: ['seed'],
};

/** VarianceScaling ids that sample a (truncated) normal, for which `seed: 0` means unseeded. */
export function samplesNormal(id: string, distribution: string | undefined): boolean {
  if (id === 'glorotNormal' || id === 'heNormal' || id === 'leCunNormal') return true;
  if (id === 'varianceScaling') return distribution === undefined || distribution === 'normal';
  return false;
}

export const VALID_MODES = new Set(['fanIn', 'fanOut', 'fanAvg']);
export const VALID_DISTRIBUTIONS = new Set(['normal', 'uniform', 'truncatedNormal']);

/** The config property that holds each weight slot's initializer, per layer kind. */
export function initializerProperty(kind: LayerKind, slot: WeightSlot): string | undefined {
  switch (slot) {
    case 'kernel':
      if (kind === 'depthwiseConv' || kind === 'separableConv') return 'depthwiseInitializer';
      if (kind === 'embedding' || kind === 'batchNorm' || kind === 'layerNorm') return undefined;
      return 'kernelInitializer';
    case 'recurrent':
      return 'recurrentInitializer';
    case 'bias':
      return 'biasInitializer';
    case 'pointwise':
      // tfjs 4.x reads depthwiseInitializer for the pointwise kernel (convolutional.ts:1104-1105).
      return undefined;
    case 'embeddings':
      return 'embeddingsInitializer';
    case 'gamma':
      return 'gammaInitializer';
    case 'beta':
      return 'betaInitializer';
  }
}

/** tfjs module specifiers that export the tf namespace (or a part of it). */
export function tfjsModulePath(spec: string): string[] | undefined {
  if (
    spec === '@tensorflow/tfjs' ||
    spec === '@tensorflow/tfjs-node' ||
    spec === '@tensorflow/tfjs-node-gpu' ||
    spec === '@tensorflow/tfjs-layers' ||
    spec === '@tensorflow/tfjs-core' ||
    spec === '@tensorflow/tfjs/dist/index' ||
    spec === '@tensorflow/tfjs-layers/dist/index'
  )
    return [];
  if (spec === '@tensorflow/tfjs-layers/dist/initializers') return ['#initClasses'];
  if (spec === '@tensorflow/tfjs-layers/dist/exports_initializers') return ['initializers'];
  if (spec === '@tensorflow/tfjs-layers/dist/exports_layers') return ['layers'];
  if (spec.startsWith('@tensorflow/tfjs-layers/dist/layers/') || spec === '@tensorflow/tfjs-layers/dist/engine/input_layer')
    return ['#layerClasses'];
  return undefined;
}

/** Core-API ops that create an initialized tensor (tfjs-core), with their default arguments. */
export const CORE_INIT_OPS: Readonly<Record<string, { id: string; params: (keyof InitializerArgs)[]; defaults: InitializerArgs }>> = {
  // tfjs-core ops/random_normal.ts: randomNormal(shape, mean = 0, stdDev = 1, dtype, seed); no `||`.
  randomNormal: { id: 'randomNormal', params: ['mean', 'stddev'], defaults: { mean: 0, stddev: 1 } },
  // ops/truncated_normal.ts: truncatedNormal(shape, mean = 0, stdDev = 1, dtype, seed).
  truncatedNormal: { id: 'truncatedNormal', params: ['mean', 'stddev'], defaults: { mean: 0, stddev: 1 } },
  // ops/random_uniform.ts: randomUniform(shape, minval = 0, maxval = 1, dtype, seed).
  randomUniform: { id: 'randomUniform', params: ['minval', 'maxval'], defaults: { minval: 0, maxval: 1 } },
  randomStandardNormal: { id: 'randomNormal', params: [], defaults: { mean: 0, stddev: 1 } },
  zeros: { id: 'zeros', params: [], defaults: { value: 0 } },
  ones: { id: 'ones', params: [], defaults: { value: 1 } },
  fill: { id: 'constant', params: ['value'], defaults: {} },
};

/** Core activation ops (`tf.relu(x)` / `x.relu()`) spelled as the tfjs activation names of core/activations.ts. */
const CORE_ACTIVATION_OPS = ['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softmax', 'logSoftmax'];

/** Core activation ops → tfjs activation id and default parameter. */
export const CORE_ACTIVATIONS: Readonly<Record<string, { id: string; alpha?: number }>> = {
  ...Object.fromEntries(CORE_ACTIVATION_OPS.map((op) => [op, resolveActivation('tfjs', op)!])),
  // tfjs-core ops/leaky_relu.ts:45 defaults alpha to 0.2 (the layer uses 0.3; 'leakyRelu' is no activation name).
  leakyRelu: { id: 'leakyRelu', alpha: 0.2 },
};

/** Core ops that change the values of a tensor in ways the analyzer does not model. */
export const CORE_UNMODELED_OPS = new Set([
  'mul', 'div', 'sub', 'pow', 'square', 'sqrt', 'exp', 'log', 'abs', 'neg', 'clipByValue', 'maximum', 'minimum',
  'batchNorm', 'conv1d', 'conv2d', 'conv3d', 'depthwiseConv2d', 'maxPool', 'avgPool', 'concat', 'mean', 'sum',
]);
