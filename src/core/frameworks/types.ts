/**
 * What the core knows about one framework, as one object (`FrameworkSemantics`) registered per framework in
 * src/core/frameworks/index.ts. Every table that must know every framework is a `Record<Framework, …>`, so that
 * adding a framework to the `Framework` union (core/model.ts) makes the compiler list each place to fill.
 *
 * The facts cite ../shared/reference/init-semantics.md (§1 tfjs, §2 Keras, §3 PyTorch, §5 cheat sheet).
 */
import type { Framework, InitializerArgs, LayerKind, LayerNode } from '../model';

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

export type WeightSlot = 'kernel' | 'recurrent' | 'bias' | 'pointwise' | 'embeddings' | 'gamma' | 'beta';

export interface InitializerSpec {
  framework: Framework;
  /** Canonical id in its framework (tfjs camelCase id, Keras snake_case id, PyTorch function name). */
  id: string;
  kind: InitializerKind;
  /** Default arguments (the framework's, §1.1 / §2.2 / §3.3). */
  defaults: InitializerArgs;
  /** For kaiming/xavier/uniform/normal in PyTorch: the distribution sampled. */
  distribution?: 'normal' | 'uniform';
  /**
   * A preset: the framework fixes the arguments in `defaults` and ignores written ones (Glorot/He/LeCun ignore
   * scale/mode/distribution; zeros/ones ignore a value); only the seed is read.
   */
  preset?: boolean;
  /** The class that constructs it (tfjs-layers / keras.initializers), where the framework has classes. */
  className?: string;
  /** Other spellings accepted for this id (besides the id and the class name). */
  aliases: string[];
  /** The arguments a call or constructor takes by position, in order (Keras classes, PyTorch nn.init after the tensor). */
  positional: (keyof InitializerArgs)[];
  /** Keyword arguments of the call and the argument each one sets (PyTorch nn.init; 'ignore': no effect on the law). */
  keywords?: Readonly<Record<string, keyof InitializerArgs | 'ignore'>>;
  /** The tfjs factory / Keras class name / PyTorch call used when a fix writes this initializer. */
  writtenAs: string;
  /** A module default that is not written anywhere (PyTorch `default_linear`): messages never say "the default" of it. */
  moduleDefault?: boolean;
  /** How a message names it, when the id is not readable ("PyTorch's default U(±1/√fan_in)"). */
  describedAs?: string;
}

/** One row of a framework's initializer table (the registry fills in the rest). */
export type SpecRow = Omit<InitializerSpec, 'framework' | 'writtenAs' | 'aliases' | 'positional'> & {
  aliases?: string[];
  positional?: (keyof InitializerArgs)[];
};

/** The default initializer id of each weight slot of a layer kind. */
export type SlotTable = Partial<Record<WeightSlot, string>>;

/** Framework facts that are not initializers (reference §5 cheat sheet). */
export interface FrameworkFacts {
  label: string;
  lstmUnitForgetBiasDefault: boolean;
  /** What the fix that starts an LSTM's forget gate at bias 1 writes, as a fix title says it ("Set unit_forget_bias=True"). */
  lstmForgetBiasFix: string;
  recurrentActivation: string;
  normEpsilon: number;
  leakyReluLayerAlpha: number;
  preluAlphaInit: number;
  /** Whether a recurrent layer returns the whole sequence when nothing says so (PyTorch modules always do). */
  returnSequencesDefault: boolean;
  /** Layers take their input size from the layer before (not written in the layer's code: Keras, tfjs; not PyTorch). */
  infersInputSize: boolean;
}

export type Dims = (number | undefined)[];

/** Fan-in and fan-out of a weight shape by the framework's rule. */
export interface ShapeFans {
  fanIn?: number;
  fanOut?: number;
}

/** A weight's shape in the framework's own layout and what really feeds one output (core/realize.ts computeFans). */
export interface WeightLayout {
  shape: Dims;
  trueFanIn?: number;
  /** A fan-in the framework takes from elsewhere than this shape (PyTorch bias: its weight's fan_in). */
  fanIn?: number;
  hiddenSize?: number;
  note?: string;
}

/** What one VarianceScaling distribution name samples: an exact law, or undefined where the framework throws. */
export type VarianceScalingLaw =
  | { law: 'uncorrectedTruncatedNormal'; note: string } // tfjs 'normal': ±2σ, no 0.8796 correction
  | { law: 'correctedTruncatedNormal'; note: string } //   Keras: stddev / 0.8796, realized variance = scale'
  | { law: 'normal' }
  | { law: 'uniform'; note?: string };

export type VarianceScalingDistribution = NonNullable<InitializerArgs['distribution']>;

/** How realize() must read this framework's initializers (core/realize.ts). */
export interface RealizeRules {
  /** tfjs RandomUniform/RandomNormal/TruncatedNormal replace a falsy minval/maxval/mean/stddev by the default (`||`, §0.1 #11). */
  falsyArgsDefaulted: boolean;
  /** PyTorch uniform_ requires from <= to and normal_ std >= 0 (they raise). */
  rejectsInvalidFixedArgs: boolean;
  /** tfjs/Keras cut a truncated normal at mean ± 2σ without correction; PyTorch trunc_normal_ at absolute [a, b]. */
  truncation: 'twoSigma' | 'absolute';
  /** Orthogonal flattening: PyTorch rows = size(0); tfjs/Keras rows = ∏shape[:-1] (§1.3, §3.3). */
  orthogonalRows: 'firstAxis' | 'allButLastAxis';
  /** tfjs Identity accepts only square 2-D weights (initializers.ts:235-243). */
  identityNeedsSquare: boolean;
  /** VarianceScaling, where the framework has it. */
  varianceScaling?: {
    defaultDistribution: VarianceScalingDistribution;
    /** Keras raises for scale <= 0, tfjs only for scale < 0. */
    rejectsZeroScale: boolean;
    /** Distribution names the framework reads as another (Keras 'normal' = 'truncatedNormal'). */
    renamed: Partial<Record<VarianceScalingDistribution, VarianceScalingDistribution>>;
    samples: Partial<Record<VarianceScalingDistribution, VarianceScalingLaw>>;
  };
}

/** What a fix writes for a target scaling (core/recommend.ts). */
export interface RecommendQuery {
  target: 'he' | 'glorot' | 'lecun' | 'orthogonal';
  /** The current initializer was written with a normal distribution. */
  normal: boolean;
  /** The negative slope of the activation (leaky ReLU), when it has one. */
  alpha?: number;
}

export interface FrameworkSemantics {
  id: Framework;
  facts: FrameworkFacts;
  initializers: readonly InitializerSpec[];
  layerDefaults: Partial<Record<LayerKind, SlotTable>>;
  /** Framework spellings of activations → canonical id (core/activations.ts) and the default parameter. */
  activationNames: Readonly<Record<string, { id: string; alpha?: number }>>;
  /** Activation spellings are matched case-insensitively too (PyTorch module names `nn.LeakyReLU` → leakyrelu). */
  activationNamesIgnoreCase: boolean;
  fansOfShape(shape: Dims): ShapeFans;
  /** The weight's shape in the framework's layout, or a note when the layer has no such weight. */
  weightLayout(layer: LayerNode, slot: WeightSlot): WeightLayout | string;
  realize: RealizeRules;
  recommend(q: RecommendQuery): { id: string; args?: InitializerArgs };
  /**
   * The plain (untruncated) normal initializer, whose variance is exactly stddev²: what the preview writes for an
   * LSUV-computed or alternative std (its arguments are `{ mean, stddev }`).
   */
  plainNormal: string;
}
