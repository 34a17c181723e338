/**
 * The framework-neutral model description: what every analyzer (tfjs, PyTorch, Keras) produces and what
 * the propagation, the rules, the CLI, the extension and the preview consume.
 *
 * Conventions:
 * - A value read from source that could not be resolved is `undefined` ("unknown"); it is never guessed.
 * - Offsets are 0-based UTF-16 offsets into the analyzed text (what TypeScript and VS Code use).
 * - A model is a directed acyclic graph of nodes listed in topological order (inputs before users).
 */

export type Framework = 'tfjs' | 'keras' | 'pytorch';

/** A half-open range [start, end) of offsets into the source text. */
export interface Span {
  start: number;
  end: number;
}

/** Where an initializer's value came from, which decides what a fix may rewrite. */
export type InitializerForm =
  | 'default' //       not written: the framework's layer default (a fix inserts a property / a call)
  | 'string' //        'heNormal' / "he_normal"
  | 'factory' //       tf.initializers.heNormal({seed: 1})
  | 'class' //         new tf.initializers.HeNormal() / keras.initializers.HeNormal()
  | 'serialized' //    {className: 'VarianceScaling', config: {...}}
  | 'call'; //         PyTorch nn.init.kaiming_normal_(w, ...) or w.normal_(...)

/** Arguments of an initializer as written (known values only; unknown ones are listed in `unknownArgs`). */
export interface InitializerArgs {
  // VarianceScaling family
  scale?: number;
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution?: 'normal' | 'uniform' | 'truncatedNormal' | 'untruncatedNormal';
  // fixed-scale family
  minval?: number;
  maxval?: number;
  mean?: number;
  stddev?: number;
  /** PyTorch trunc_normal_ absolute cut-offs a, b. */
  lower?: number;
  upper?: number;
  // constant / orthogonal / identity
  value?: number;
  gain?: number;
  seed?: number;
  /** PyTorch kaiming_* negative slope `a` and `nonlinearity` argument. */
  negativeSlope?: number;
  nonlinearity?: string;
}

/**
 * A reference to an initializer. `id` is the canonical id of the initializer *in its framework's table*
 * (see core/initializers.ts), e.g. tfjs 'glorotNormal', keras 'glorot_uniform', pytorch 'kaiming_uniform_'
 * or pytorch 'default_linear'.
 */
export interface InitializerRef {
  framework: Framework;
  /** Canonical id in the framework's table; undefined when the initializer could not be resolved. */
  id: string | undefined;
  args: InitializerArgs;
  /** Argument names present in the source whose value could not be resolved. */
  unknownArgs: string[];
  /** Arguments written as a falsy literal (0) that the framework silently replaces by its default (tfjs `||`). */
  falsyArgs: { name: keyof InitializerArgs; span: Span }[];
  explicit: boolean;
  form: InitializerForm;
  /** The initializer expression (string literal, call, object literal); absent for defaults. */
  span?: Span;
  /**
   * The part that names the initializer and that a swap rewrites: the string literal's contents (without
   * quotes), the factory or class identifier (`glorotNormal` in `tf.initializers.glorotNormal({seed: 7})`),
   * or the `className` string's contents of a serialized initializer.
   */
  nameSpan?: Span;
  /** The property (`kernelInitializer: ...`) or keyword argument that holds the initializer, when written. */
  propertySpan?: Span;
  /** The source text as written, for messages ("tf.initializers.glorotNormal({seed: 7})"). */
  text?: string;
  /** Set when the expression is held in a variable used by several layers (fixers must know). */
  sharedVariable?: { name: string; span: Span };
}

export interface ActivationRef {
  /** Canonical activation id (core/activations.ts), undefined when unresolvable. */
  id: string | undefined;
  /** Parameter of the activation (leaky-ReLU / PReLU slope, ELU alpha), when it has one. */
  alpha?: number;
  explicit: boolean;
  span?: Span;
  text?: string;
}

export type LayerKind =
  | 'input'
  | 'dense'
  | 'conv'
  | 'convTranspose'
  | 'depthwiseConv'
  | 'separableConv'
  | 'simpleRNN'
  | 'lstm'
  | 'gru'
  | 'embedding'
  | 'batchNorm'
  | 'layerNorm'
  | 'activation'
  | 'dropout'
  | 'pooling'
  | 'globalPooling'
  | 'flatten'
  | 'reshape'
  | 'add'
  | 'concatenate'
  | 'unknown';

/** A node of the model graph. */
export interface LayerNode {
  /** Position in `Model.layers` (topological order). */
  index: number;
  kind: LayerKind;
  /** The framework's own name of the layer constructor (`dense`, `nn.Linear`, `Conv2D`...). */
  op: string;
  /** User-given layer name or variable name, if any. */
  name?: string;
  /** Indices of the nodes whose outputs this node consumes (empty for the first layer of a model). */
  inputs: number[];

  /** Feature (channel) count of the input, as the layer's weights see it: Dense in, Conv C_in. */
  inFeatures?: number;
  /** Output features: Dense units, Conv filters, RNN units. */
  outFeatures?: number;
  /** Spatial kernel size, e.g. [3, 3]. */
  kernelSize?: number[];
  /** Conv / pooling strides, e.g. [2, 2] (default 1 in every dimension). */
  strides?: number[];
  /** Pooling window, e.g. [2, 2]. */
  poolSize?: number[];
  /** Depthwise multiplier (depthwise/separable conv). */
  depthMultiplier?: number;
  /** Conv groups (PyTorch). */
  groups?: number;
  /** Input shape without the batch dimension when given in the source (inputShape, Input(shape)). */
  inputShape?: (number | undefined)[];
  /** Sequence length for recurrent layers, when known. */
  timeSteps?: number;

  kernel?: InitializerRef;
  /** The pointwise kernel of a separable conv. */
  pointwise?: InitializerRef;
  recurrent?: InitializerRef;
  bias?: InitializerRef;
  /** Normalization scale (gamma) and shift (beta) initializers. */
  gamma?: InitializerRef;
  beta?: InitializerRef;
  useBias?: boolean;

  /** Fused activation (Dense activation:) or the function of an activation layer. */
  activation?: ActivationRef;
  /** Recurrent (gate) activation of LSTM/GRU. */
  recurrentActivation?: ActivationRef;

  /** LSTM forget-gate bias 1: true/false when known, undefined when unknown. */
  unitForgetBias?: boolean;
  /** Whether unitForgetBias was written in the source (false = framework default). */
  unitForgetBiasExplicit?: boolean;
  returnSequences?: boolean;
  /** Wrapper that hides this layer (timeDistributed, bidirectional). */
  wrapper?: 'timeDistributed' | 'bidirectional';

  /** Dropout rate. */
  rate?: number;
  /** Pooling type. */
  pooling?: 'max' | 'average';
  /** Normalization epsilon. */
  epsilon?: number;

  /** The call or constructor expression of the layer. */
  span: Span;
  /** The config object literal, where a fix inserts properties. */
  configSpan?: Span;
  /** Why the analyzer could not describe this node (for `kind: 'unknown'` or unknown sizes). */
  unknownReason?: string;
}

export interface Model {
  /** Variable name or class name of the model, or a generated "model@line". */
  name: string;
  framework: Framework;
  /** The construction site (tf.sequential(...), tf.model(...), class X(nn.Module)). */
  span: Span;
  layers: LayerNode[];
  /** Indices of the model's output nodes (defaults to the last node). */
  outputs?: number[];
  /** Work caps that were hit or constructs that were skipped, said once to the user. */
  notes: string[];
}

/** The result of analyzing one file. */
export interface AnalysisResult {
  models: Model[];
  /** Syntax errors and other problems that limit the analysis (not findings). */
  problems: { message: string; span?: Span }[];
  /** Every syntax error's place (problems show the first few): what they touch is made unknown (syntaxDamage.ts). */
  syntaxErrors?: Span[];
}

/** Turns a Span into 1-based line/column for text output. */
export interface LineCol {
  line: number;
  column: number;
}

export function lineColAt(text: string, offset: number, lineStarts?: number[]): LineCol {
  const starts = lineStarts ?? computeLineStarts(text);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Layers that own a weight matrix whose initializer the rules reason about. */
export const WEIGHTED_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>([
  'dense',
  'conv',
  'convTranspose',
  'depthwiseConv',
  'separableConv',
  'simpleRNN',
  'lstm',
  'gru',
  'embedding',
]);

export const RECURRENT_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>(['simpleRNN', 'lstm', 'gru']);

/** Layers through which a signal passes without changing what the next activation sees (shape only, or a scale). */
export const PASS_THROUGH_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>([
  'dropout',
  'pooling',
  'globalPooling',
  'flatten',
  'reshape',
]);
