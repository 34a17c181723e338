/**
 * Initializers of TensorFlow.js 4.x, Keras (2.x and 3) and PyTorch as data: what each name means, its
 * default arguments, and each layer's default initializer. Spellings are resolved in one place
 * (resolveInitializer); the math of realized variances lives in core/realize.ts.
 *
 * Every entry cites ../shared/reference/init-semantics.md (sections §1 tfjs, §2 Keras, §3 PyTorch), which in
 * turn cites the framework sources by file and line.
 */
import type { Framework, InitializerArgs, InitializerRef, LayerKind } from './model';

/** What the initializer samples, before the framework's quirks are applied. */
export type InitializerKind =
  | 'varianceScaling' // scale / mode / distribution (Glorot, He, LeCun are presets)
  | 'uniform' //         U(minval, maxval)
  | 'normal' //          N(mean, stddev²)
  | 'truncatedNormal' // N(mean, stddev²) truncated (tfjs/Keras at ±2σ; PyTorch at absolute [a, b])
  | 'constant' //        every element = value
  | 'orthogonal'
  | 'identity'
  | 'torchKaiming' //    kaiming_uniform_/kaiming_normal_: gain from (nonlinearity, a), fan from mode
  | 'torchXavier' //     xavier_uniform_/xavier_normal_: gain · √(2/(fan_in+fan_out))
  | 'torchDefaultLinear' // nn.Linear/ConvNd reset_parameters: kaiming_uniform_(a=√5) = U(±1/√fan_in)
  | 'torchDefaultRnn'; //   nn.RNN/LSTM/GRU: every parameter U(±1/√hidden_size)

/** The scaling family of an initializer, which is what the activation rules compare. */
export type ScaleFamily = 'he' | 'glorot' | 'lecun' | 'torchDefault' | 'fixed' | 'constant' | 'orthogonal' | 'other';

export interface InitializerSpec {
  framework: Framework;
  /** Canonical id in its framework (tfjs camelCase id, Keras snake_case id, PyTorch function name). */
  id: string;
  kind: InitializerKind;
  /** Default arguments (the framework's, §1.1 / §2.2 / §3.3). */
  defaults: InitializerArgs;
  /** For kaiming/xavier/uniform/normal in PyTorch: the distribution sampled. */
  distribution?: 'normal' | 'uniform';
  /** Class names and other spellings accepted for this id. */
  aliases: string[];
  /** The tfjs factory / Keras class name / PyTorch call used when a fix writes this initializer. */
  writtenAs: string;
}

type SpecRow = Omit<InitializerSpec, 'framework' | 'writtenAs'>;

function vs(scale: number, mode: InitializerArgs['mode'], distribution: InitializerArgs['distribution']): InitializerArgs {
  return { scale, mode, distribution };
}

const TFJS: InitializerSpec[] = (
  [
  // tfjs-layers/src/initializers.ts:597-621 (ids and registered class names); defaults as in §1.1.
  { id: 'zeros', kind: 'constant', defaults: { value: 0 }, aliases: ['Zeros'] },
  { id: 'ones', kind: 'constant', defaults: { value: 1 }, aliases: ['Ones'] },
  // 'constant' as a string throws "config must have value set" (:87-89); the value is required.
  { id: 'constant', kind: 'constant', defaults: {}, aliases: ['Constant'] },
  { id: 'randomUniform', kind: 'uniform', defaults: { minval: -0.05, maxval: 0.05 }, aliases: ['RandomUniform'] },
  { id: 'randomNormal', kind: 'normal', defaults: { mean: 0, stddev: 0.05 }, aliases: ['RandomNormal'] },
  { id: 'truncatedNormal', kind: 'truncatedNormal', defaults: { mean: 0, stddev: 0.05 }, aliases: ['TruncatedNormal'] },
  { id: 'varianceScaling', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'normal'), aliases: ['VarianceScaling'] },
  { id: 'glorotUniform', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'uniform'), aliases: ['GlorotUniform'] },
  { id: 'glorotNormal', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'normal'), aliases: ['GlorotNormal'] },
  { id: 'heNormal', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'normal'), aliases: ['HeNormal'] },
  { id: 'heUniform', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'uniform'), aliases: ['HeUniform'] },
  { id: 'leCunNormal', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'normal'), aliases: ['LeCunNormal'] },
  { id: 'leCunUniform', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'uniform'), aliases: ['LeCunUniform'] },
  { id: 'orthogonal', kind: 'orthogonal', defaults: { gain: 1 }, aliases: ['Orthogonal'] },
  { id: 'identity', kind: 'identity', defaults: { gain: 1 }, aliases: ['Identity'] },
  ] satisfies SpecRow[]
).map((s) => ({ ...s, framework: 'tfjs' as const, writtenAs: s.id }));

const KERAS: InitializerSpec[] = (
  [
  // Keras 3 keras/src/initializers/__init__.py:28-63 and random_initializers.py @v3.15.1; tf.keras 2.15 same names (§2.1-2.2).
  { id: 'zeros', kind: 'constant', defaults: { value: 0 }, aliases: ['Zeros', 'zero'] },
  { id: 'ones', kind: 'constant', defaults: { value: 1 }, aliases: ['Ones', 'one'] },
  // Keras Constant defaults to value 0.0 (constant_initializers.py:31).
  { id: 'constant', kind: 'constant', defaults: { value: 0 }, aliases: ['Constant'] },
  {
    id: 'random_uniform',
    kind: 'uniform',
    defaults: { minval: -0.05, maxval: 0.05 },
    aliases: ['RandomUniform', 'uniform'],
  },
  { id: 'random_normal', kind: 'normal', defaults: { mean: 0, stddev: 0.05 }, aliases: ['RandomNormal', 'normal'] },
  { id: 'truncated_normal', kind: 'truncatedNormal', defaults: { mean: 0, stddev: 0.05 }, aliases: ['TruncatedNormal'] },
  {
    id: 'variance_scaling',
    kind: 'varianceScaling',
    defaults: vs(1, 'fanIn', 'truncatedNormal'),
    aliases: ['VarianceScaling'],
  },
  { id: 'glorot_uniform', kind: 'varianceScaling', defaults: vs(1, 'fanAvg', 'uniform'), aliases: ['GlorotUniform'] },
  {
    id: 'glorot_normal',
    kind: 'varianceScaling',
    defaults: vs(1, 'fanAvg', 'truncatedNormal'),
    aliases: ['GlorotNormal'],
  },
  { id: 'he_normal', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'truncatedNormal'), aliases: ['HeNormal'] },
  { id: 'he_uniform', kind: 'varianceScaling', defaults: vs(2, 'fanIn', 'uniform'), aliases: ['HeUniform'] },
  { id: 'lecun_normal', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'truncatedNormal'), aliases: ['LecunNormal'] },
  { id: 'lecun_uniform', kind: 'varianceScaling', defaults: vs(1, 'fanIn', 'uniform'), aliases: ['LecunUniform'] },
  { id: 'orthogonal', kind: 'orthogonal', defaults: { gain: 1 }, aliases: ['Orthogonal', 'OrthogonalInitializer'] },
  { id: 'identity', kind: 'identity', defaults: { gain: 1 }, aliases: ['Identity', 'IdentityInitializer'] },
  ] satisfies SpecRow[]
).map((s) => ({ ...s, framework: 'keras' as const, writtenAs: s.id }));

const PYTORCH: InitializerSpec[] = (
  [
  // torch/nn/init.py (§3.3); module defaults from reset_parameters (§3.4).
  { id: 'uniform_', kind: 'uniform', defaults: { minval: 0, maxval: 1 }, aliases: ['uniform'] },
  { id: 'normal_', kind: 'normal', defaults: { mean: 0, stddev: 1 }, aliases: ['normal'] },
  {
    id: 'trunc_normal_',
    kind: 'truncatedNormal',
    defaults: { mean: 0, stddev: 1, lower: -2, upper: 2 },
    aliases: ['trunc_normal'],
  },
  { id: 'constant_', kind: 'constant', defaults: {}, aliases: ['constant', 'fill_'] },
  { id: 'zeros_', kind: 'constant', defaults: { value: 0 }, aliases: ['zeros', 'zero_'] },
  { id: 'ones_', kind: 'constant', defaults: { value: 1 }, aliases: ['ones'] },
  {
    id: 'kaiming_uniform_',
    kind: 'torchKaiming',
    distribution: 'uniform',
    defaults: { negativeSlope: 0, mode: 'fanIn', nonlinearity: 'leaky_relu' },
    aliases: ['kaiming_uniform', 'he_uniform'],
  },
  {
    id: 'kaiming_normal_',
    kind: 'torchKaiming',
    distribution: 'normal',
    defaults: { negativeSlope: 0, mode: 'fanIn', nonlinearity: 'leaky_relu' },
    aliases: ['kaiming_normal', 'he_normal'],
  },
  {
    id: 'xavier_uniform_',
    kind: 'torchXavier',
    distribution: 'uniform',
    defaults: { gain: 1 },
    aliases: ['xavier_uniform', 'glorot_uniform'],
  },
  {
    id: 'xavier_normal_',
    kind: 'torchXavier',
    distribution: 'normal',
    defaults: { gain: 1 },
    aliases: ['xavier_normal', 'glorot_normal'],
  },
  { id: 'orthogonal_', kind: 'orthogonal', defaults: { gain: 1 }, aliases: ['orthogonal'] },
  { id: 'eye_', kind: 'identity', defaults: { gain: 1 }, aliases: ['eye'] },
  // nn.Linear / nn.ConvNd: kaiming_uniform_(w, a=√5) = U(±1/√fan_in) (linear.py / conv.py reset_parameters).
  { id: 'default_linear', kind: 'torchDefaultLinear', defaults: {}, aliases: [] },
  // nn.RNN/LSTM/GRU: every parameter U(±1/√hidden_size) (rnn.py RNNBase.reset_parameters).
  { id: 'default_rnn', kind: 'torchDefaultRnn', defaults: {}, aliases: [] },
  // nn.Embedding: normal_(w) = N(0, 1) (sparse.py Embedding.reset_parameters).
  { id: 'default_embedding', kind: 'normal', defaults: { mean: 0, stddev: 1 }, aliases: [] },
  ] as SpecRow[]
).map((s) => ({ ...s, framework: 'pytorch' as const, writtenAs: `nn.init.${s.id}` }));

const BY_FRAMEWORK: Record<Framework, InitializerSpec[]> = { tfjs: TFJS, keras: KERAS, pytorch: PYTORCH };

const LOOKUP: Record<Framework, Map<string, InitializerSpec>> = {
  tfjs: new Map(),
  keras: new Map(),
  pytorch: new Map(),
};
for (const fw of Object.keys(BY_FRAMEWORK) as Framework[]) {
  for (const s of BY_FRAMEWORK[fw]) {
    LOOKUP[fw].set(s.id, s);
    for (const a of s.aliases) LOOKUP[fw].set(a, s);
  }
}

/**
 * Resolve a spelling (string id, class name, factory name) to its spec, exactly as the framework would.
 * tfjs does not accept snake_case in direct calls ('glorot_uniform' throws "Unknown initializer",
 * tfjs generic_utils.ts:242-252), so it resolves to undefined there.
 */
export function resolveInitializer(framework: Framework, name: string): InitializerSpec | undefined {
  return LOOKUP[framework].get(name);
}

export function initializerSpec(framework: Framework, id: string): InitializerSpec | undefined {
  return LOOKUP[framework].get(id);
}

export function allInitializers(framework: Framework): readonly InitializerSpec[] {
  return BY_FRAMEWORK[framework];
}

export type WeightSlot = 'kernel' | 'recurrent' | 'bias' | 'pointwise' | 'embeddings' | 'gamma' | 'beta';

/**
 * Each framework's default initializer for a layer's weight slot (reference §1.4, §2.3, §3.4 and the
 * cheat sheet §5). Undefined when the layer has no such weight.
 */
export function defaultInitializerId(framework: Framework, kind: LayerKind, slot: WeightSlot): string | undefined {
  const table = LAYER_DEFAULTS[framework];
  const row = table[kind];
  return row?.[slot];
}

type SlotTable = Partial<Record<WeightSlot, string>>;

const TFJS_DEFAULTS: Partial<Record<LayerKind, SlotTable>> = {
  // core.ts:193-201 dense glorotNormal; convolutional.ts:414 conv; convolutional_depthwise.ts:109 depthwise.
  dense: { kernel: 'glorotNormal', bias: 'zeros' },
  conv: { kernel: 'glorotNormal', bias: 'zeros' },
  convTranspose: { kernel: 'glorotNormal', bias: 'zeros' },
  depthwiseConv: { kernel: 'glorotNormal', bias: 'zeros' },
  // convolutional.ts:1067-1070: separable defaults to glorotUniform (pointwise too, :1104-1105).
  separableConv: { kernel: 'glorotUniform', pointwise: 'glorotUniform', bias: 'zeros' },
  // recurrent.ts:985-1004, 1324-1358, 1644-1676.
  simpleRNN: { kernel: 'glorotNormal', recurrent: 'orthogonal', bias: 'zeros' },
  gru: { kernel: 'glorotNormal', recurrent: 'orthogonal', bias: 'zeros' },
  lstm: { kernel: 'glorotNormal', recurrent: 'orthogonal', bias: 'zeros' },
  // embeddings.ts:87-88 randomUniform (±0.05).
  embedding: { embeddings: 'randomUniform' },
  // normalization.ts:281-291, 495.
  batchNorm: { gamma: 'ones', beta: 'zeros' },
  layerNorm: { gamma: 'ones', beta: 'zeros' },
};

const KERAS_DEFAULTS: Partial<Record<LayerKind, SlotTable>> = {
  // Keras 3 layers/core/dense.py:84-90, base_conv.py:90-103, rnn/*.py, core/embedding.py (§2.3).
  dense: { kernel: 'glorot_uniform', bias: 'zeros' },
  conv: { kernel: 'glorot_uniform', bias: 'zeros' },
  convTranspose: { kernel: 'glorot_uniform', bias: 'zeros' },
  depthwiseConv: { kernel: 'glorot_uniform', bias: 'zeros' },
  separableConv: { kernel: 'glorot_uniform', pointwise: 'glorot_uniform', bias: 'zeros' },
  simpleRNN: { kernel: 'glorot_uniform', recurrent: 'orthogonal', bias: 'zeros' },
  gru: { kernel: 'glorot_uniform', recurrent: 'orthogonal', bias: 'zeros' },
  lstm: { kernel: 'glorot_uniform', recurrent: 'orthogonal', bias: 'zeros' },
  embedding: { embeddings: 'random_uniform' },
  batchNorm: { gamma: 'ones', beta: 'zeros' },
  layerNorm: { gamma: 'ones', beta: 'zeros' },
};

const PYTORCH_DEFAULTS: Partial<Record<LayerKind, SlotTable>> = {
  // linear.py/conv.py reset_parameters: weight and bias U(±1/√fan_in) (§3.4).
  dense: { kernel: 'default_linear', bias: 'default_linear' },
  conv: { kernel: 'default_linear', bias: 'default_linear' },
  convTranspose: { kernel: 'default_linear', bias: 'default_linear' },
  depthwiseConv: { kernel: 'default_linear', bias: 'default_linear' },
  // rnn.py: every parameter U(±1/√H).
  simpleRNN: { kernel: 'default_rnn', recurrent: 'default_rnn', bias: 'default_rnn' },
  gru: { kernel: 'default_rnn', recurrent: 'default_rnn', bias: 'default_rnn' },
  lstm: { kernel: 'default_rnn', recurrent: 'default_rnn', bias: 'default_rnn' },
  embedding: { embeddings: 'default_embedding' },
  batchNorm: { gamma: 'ones_', beta: 'zeros_' },
  layerNorm: { gamma: 'ones_', beta: 'zeros_' },
};

const LAYER_DEFAULTS: Record<Framework, Partial<Record<LayerKind, SlotTable>>> = {
  tfjs: TFJS_DEFAULTS,
  keras: KERAS_DEFAULTS,
  pytorch: PYTORCH_DEFAULTS,
};

/** A reference to a layer's default initializer, as analyzers put it into the model description. */
export function defaultInitializerRef(framework: Framework, kind: LayerKind, slot: WeightSlot): InitializerRef | undefined {
  const id = defaultInitializerId(framework, kind, slot);
  if (!id) return undefined;
  return { framework, id, args: {}, unknownArgs: [], falsyArgs: [], explicit: false, form: 'default' };
}

/** Framework facts that are not initializers (reference §5 cheat sheet). */
export const FRAMEWORK_FACTS: Record<
  Framework,
  { label: string; lstmUnitForgetBiasDefault: boolean; recurrentActivation: string; normEpsilon: number; leakyReluLayerAlpha: number; preluAlphaInit: number }
> = {
  // tfjs recurrent.ts:1676 (unitForgetBias undefined = off), recurrentActivation hardSigmoid (:1325,1645); normalization.ts eps 1e-3; advanced_activations.ts:82,146.
  tfjs: { label: 'TensorFlow.js', lstmUnitForgetBiasDefault: false, recurrentActivation: 'hardSigmoid', normEpsilon: 1e-3, leakyReluLayerAlpha: 0.3, preluAlphaInit: 0 },
  // Keras rnn/lstm.py unit_forget_bias=True; eps 1e-3; LeakyReLU layer 0.3; PReLU zeros.
  keras: { label: 'Keras', lstmUnitForgetBiasDefault: true, recurrentActivation: 'sigmoid', normEpsilon: 1e-3, leakyReluLayerAlpha: 0.3, preluAlphaInit: 0 },
  // PyTorch: no forget-gate bias of 1; eps 1e-5; LeakyReLU 0.01; PReLU 0.25.
  pytorch: { label: 'PyTorch', lstmUnitForgetBiasDefault: false, recurrentActivation: 'sigmoid', normEpsilon: 1e-5, leakyReluLayerAlpha: 0.01, preluAlphaInit: 0.25 },
};
