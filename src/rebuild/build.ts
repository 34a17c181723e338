/**
 * Rebuild a described model (core/model.ts) in real TensorFlow.js, with weights sampled with the semantics of
 * the source framework (src/rebuild/sample.ts), so that src/rebuild/measure.ts can measure what the
 * initialization does. This is the engine of the preview panel (run in a webview on WebGL/WASM) and of the
 * Monte Carlo tests of the analytic prediction (core/propagate.ts).
 *
 * `tf` is a parameter: nothing here imports a backend; the caller picks cpu, wasm or webgl.
 *
 * Conventions of the rebuild (each is said in `notes` when it applies):
 * - Layout is channels-last (tfjs). A PyTorch NCHW model is rebuilt NHWC; per-element statistics are the same.
 * - Padding is not part of the description: convolutions use 'valid' padding (every framework's default) unless
 *   `options.padding` says otherwise; strides and pool sizes come from the description (pool size 2 if unknown).
 * - Recurrent layers: PyTorch's two bias vectors b_ih + b_hh become tfjs's single bias (their sum, sampled as
 *   such); GRU is rebuilt with tfjs's reset-before formulation (tfjs has no reset_after), which PyTorch and
 *   Keras 3 do not use.
 * - Every random initializer is re-seeded from `options.seed` (the seed written in the source is ignored) so that
 *   Monte Carlo runs over seeds are independent.
 * - Reshape targets are not in the description: a reshape is rebuilt as the identity (variance is unchanged).
 */
import type * as TFNS from '@tensorflow/tfjs';
import { activationSpec } from '../core/activations';
import { FRAMEWORK_FACTS, defaultInitializerRef, initializerSpec, type WeightSlot } from '../core/initializers';
import type { Framework, InitializerRef, LayerKind, LayerNode, Model } from '../core/model';
import { WEIGHTED_KINDS } from '../core/model';
import { activationOp, tfjsActivationName } from './activations';
import {
  SampleError,
  kerasFans,
  sampleKeras,
  sampleTorch,
  tfjsInitializer,
  torchFans,
  type Fans,
  type SampledLaw,
  type TF,
  type Tensor,
  type WeightContext,
} from './sample';

export type { TF, Tensor } from './sample';
type Layer = TFNS.layers.Layer;
type SymbolicTensor = TFNS.SymbolicTensor;
type AnyTensor = Tensor | SymbolicTensor;
type Kwargs = { training?: boolean };

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

class BuildError extends Error {
  constructor(
    message: string,
    readonly layer?: number,
    readonly need?: BuildNeed,
  ) {
    super(message);
  }
}

// -------------------------------------------------------------------------------------------------------------
// A small custom Layer for functions tfjs has no layer for (created once per tf instance).

type FnLayerCtor = new (cfg: { name: string; fn: (x: Tensor) => Tensor; shape?: (s: number[]) => number[] }) => Layer;
const fnLayerCtors = new WeakMap<object, FnLayerCtor>();

function fnLayerCtor(tf: TF): FnLayerCtor {
  const cached = fnLayerCtors.get(tf);
  if (cached) return cached;
  class InitLensFn extends tf.layers.Layer {
    static className = 'InitLensFn';
    private readonly fn: (x: Tensor) => Tensor;
    private readonly shapeFn?: (s: number[]) => number[];
    constructor(cfg: { name: string; fn: (x: Tensor) => Tensor; shape?: (s: number[]) => number[] }) {
      super({ name: cfg.name, trainable: false });
      this.fn = cfg.fn;
      this.shapeFn = cfg.shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.fn(x);
    }
    override computeOutputShape(inputShape: TFNS.Shape | TFNS.Shape[]): TFNS.Shape | TFNS.Shape[] {
      const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as TFNS.Shape;
      return this.shapeFn ? ([s[0], ...this.shapeFn(s.slice(1) as number[])] as TFNS.Shape) : s;
    }
  }
  fnLayerCtors.set(tf, InitLensFn);
  return InitLensFn;
}

// -------------------------------------------------------------------------------------------------------------

function labelOf(node: LayerNode): string {
  return `layer ${node.index} (${node.op}${node.name ? ` '${node.name}'` : ''})`;
}

function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** A deterministic, never-zero 31-bit seed per (seed, layer, slot): tfjs treats seed 0 as "unseeded" for normals. */
export function mixSeed(seed: number, layer: number, slot: number): number {
  let h = 2166136261 ^ Math.trunc(seed);
  for (const v of [layer, slot, seed * 31 + 7]) {
    h = Math.imul(h ^ (v & 0xffff), 16777619);
    h = Math.imul(h ^ (v >>> 16), 16777619);
    h ^= h >>> 13;
  }
  return (h >>> 1) % 2147483646 + 1;
}

const SLOT_NUMBER: Record<WeightSlot, number> = { kernel: 1, recurrent: 2, bias: 3, pointwise: 4, embeddings: 5, gamma: 6, beta: 7 };

function slotOfVariable(name: string): WeightSlot | undefined {
  const last = name.split('/').pop()!.replace(/_\d+$/, '');
  switch (last) {
    case 'kernel':
    case 'depthwise_kernel':
      return 'kernel';
    case 'recurrent_kernel':
      return 'recurrent';
    case 'pointwise_kernel':
      return 'pointwise';
    case 'bias':
      return 'bias';
    case 'embeddings':
      return 'embeddings';
    case 'gamma':
      return 'gamma';
    case 'beta':
      return 'beta';
    default:
      return undefined; // moving_mean / moving_variance: state, not initialized from the description
  }
}

/** The initializer reference of a weight slot: as written, else the framework's layer default. */
function refFor(fw: Framework, node: LayerNode, kind: LayerKind, slot: WeightSlot): InitializerRef | undefined {
  const given =
    slot === 'kernel' || slot === 'embeddings'
      ? node.kernel
      : slot === 'recurrent'
        ? node.recurrent
        : slot === 'pointwise'
          ? node.pointwise
          : slot === 'bias'
            ? node.bias
            : slot === 'gamma'
              ? node.gamma
              : node.beta;
  if (given) return given;
  const dflt = defaultInitializerRef(fw, kind, slot);
  if (dflt) return dflt;
  // PyTorch has no separable module: both convolutions of a depthwise-separable pair are Conv2d defaults.
  if (fw === 'pytorch' && (slot === 'pointwise' || kind === 'separableConv')) {
    return defaultInitializerRef(fw, 'conv', slot === 'pointwise' ? 'kernel' : slot);
  }
  if (slot === 'pointwise') return refFor(fw, node, kind, 'kernel');
  return undefined;
}

function checkRef(ref: InitializerRef | undefined, node: LayerNode, slot: WeightSlot): InitializerRef {
  const where = `${labelOf(node)}: ${slot} initializer`;
  if (!ref) throw new BuildError(`${where} unknown`, node.index, 'initializer');
  if (ref.id === undefined) {
    throw new BuildError(`${where}${ref.text ? ` '${ref.text}'` : ''} could not be resolved`, node.index, 'initializer');
  }
  if (ref.unknownArgs.length) {
    throw new BuildError(`${where} '${ref.id}': argument ${ref.unknownArgs.join(', ')} unknown`, node.index, 'initializer');
  }
  if (!initializerSpec(ref.framework, ref.id)) {
    throw new BuildError(`${where}: '${ref.id}' is not a ${ref.framework} initializer`, node.index, 'initializer');
  }
  return ref;
}

// -------------------------------------------------------------------------------------------------------------

interface Ctx {
  tf: TF;
  fw: Framework;
  options: BuildOptions;
  notes: string[];
  paramsSoFar: number;
  maxParams: number;
  /** Spatial dimensions of some model input were reduced (fan-ins of later dense layers differ from the description). */
  reduced: boolean;
}

export function buildModel(tf: TF, model: Model, options: BuildOptions): BuildResult {
  const ctx: Ctx = {
    tf,
    fw: model.framework,
    options,
    notes: [],
    paramsSoFar: 0,
    maxParams: options.maxParams ?? DEFAULT_MAX_PARAMS,
    reduced: false,
  };
  const built: BuiltLayer[] = [];
  const created: Layer[] = [];
  const disposeCreated = (m?: TFNS.LayersModel) => {
    const inModel = new Set<Layer>(m ? m.layers : []);
    if (m) m.dispose();
    for (const l of created) {
      if (inModel.has(l)) continue;
      try {
        if (l.built) l.dispose();
      } catch {
        /* not used yet */
      }
    }
  };
  try {
    const { sources, inputs } = planInputs(ctx, model);
    const symInputs = inputs.map((inp) => tf.input({ shape: inp.shape, dtype: inp.dtype }));
    const symOut: AnyTensor[] = [];
    for (const node of model.layers) {
      if (node.index !== built.length) throw new BuildError(`${labelOf(node)}: layers are not in index order`, node.index);
      const src = sources[node.index];
      const xs = src.map((s) => ('node' in s ? symOut[s.node] : symInputs[s.input]));
      if (xs.some((x) => x === undefined)) throw new BuildError(`${labelOf(node)}: an input comes later in the graph`, node.index);
      const shapes = xs.map((x) => (x.shape as (number | null)[]).slice(1) as number[]);
      const b = buildNode(ctx, node, shapes, created);
      let out: AnyTensor;
      try {
        out = b.apply(xs).out;
      } catch (e) {
        throw new BuildError(`${b.label}: tfjs cannot build it on input shape ${fmtShapes(shapes)}: ${(e as Error).message}`, node.index, 'inputShape');
      }
      b.outputShape = (out.shape as (number | null)[]).slice(1) as number[];
      if (b.outputShape.some((d) => d === null || !(d > 0))) {
        throw new BuildError(`${b.label}: output shape [${b.outputShape}] is empty or unknown`, node.index);
      }
      initWeights(ctx, b);
      symOut.push(out);
      built.push(b);
    }
    const outputs = (model.outputs ?? (model.layers.length ? [model.layers.length - 1] : [])).filter(
      (o) => o >= 0 && o < built.length,
    );
    let tfModel: TFNS.LayersModel | undefined;
    try {
      tfModel = tf.model({
        inputs: symInputs,
        outputs: outputs.map((o) => symOut[o] as SymbolicTensor),
        name: `initlens_${model.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
      });
    } catch (e) {
      ctx.notes.push(`tfjs could not assemble a LayersModel (${(e as Error).message}); layers are run node by node`);
    }
    const params = built.reduce((a, b) => a + b.params, 0);
    let disposed = false;
    return {
      ok: true,
      tf,
      framework: model.framework,
      name: model.name,
      seed: options.seed,
      layers: built,
      sources,
      inputs,
      outputs,
      model: tfModel,
      params,
      notes: ctx.notes,
      dispose() {
        if (disposed) return;
        disposed = true;
        disposeCreated(tfModel);
      },
    };
  } catch (e) {
    disposeCreated();
    if (e instanceof BuildError) return { ok: false, reason: e.message, layer: e.layer, need: e.need };
    return { ok: false, reason: `rebuild failed: ${(e as Error).message}` };
  }
}

function fmtShapes(shapes: number[][]): string {
  return shapes.map((s) => `[${s.join(', ')}]`).join(' + ');
}

// -------------------------------------------------------------------------------------------------------------
// Model inputs

const CONV_LIKE: ReadonlySet<LayerKind> = new Set(['conv', 'convTranspose', 'depthwiseConv', 'separableConv', 'pooling', 'globalPooling']);
const RECURRENT: ReadonlySet<LayerKind> = new Set(['simpleRNN', 'lstm', 'gru']);
const PADDING_NOTE = "padding is not in the description: convolutions and pooling use 'valid' (every framework's default)";

function planInputs(ctx: Ctx, model: Model): { sources: Source[][]; inputs: ModelInput[] } {
  const inputs: ModelInput[] = [];
  const sources: Source[][] = [];
  const consumers = new Map<number, number[]>();
  for (const n of model.layers) for (const j of n.inputs) consumers.set(j, [...(consumers.get(j) ?? []), n.index]);
  for (const node of model.layers) {
    if (node.kind === 'unknown') {
      throw new BuildError(`${labelOf(node)}: not understood${node.unknownReason ? ` (${node.unknownReason})` : ''}`, node.index, 'unsupported');
    }
    if (node.kind !== 'input' && node.inputs.length > 0) {
      for (const j of node.inputs) {
        if (!(j >= 0 && j < node.index)) throw new BuildError(`${labelOf(node)}: input ${j} is not an earlier layer`, node.index);
      }
      sources.push(node.inputs.map((j) => ({ node: j })));
      continue;
    }
    // A model input: an input node, or the first layer of a model (no inputs).
    let firstUser = node;
    if (node.kind === 'input') {
      const users = consumers.get(node.index);
      if (users?.length) firstUser = model.layers[users[0]];
    }
    inputs.push(inputOf(ctx, node, firstUser));
    sources.push([{ input: inputs.length - 1 }]);
  }
  return { sources, inputs };
}

function inputOf(ctx: Ctx, node: LayerNode, user: LayerNode): ModelInput {
  const o = ctx.options;
  const label = labelOf(node);
  if (user.kind === 'embedding') {
    const vocab = user.inFeatures;
    if (!vocab) throw new BuildError(`${labelOf(user)}: vocabulary size (input dimension) unknown`, user.index, 'size');
    const t = node.inputShape?.[0] ?? user.timeSteps ?? o.inputShape?.[0] ?? o.timeSteps;
    if (!t) throw new BuildError(`${labelOf(user)}: sequence length of the embedding input unknown`, user.index, 'timeSteps');
    return { shape: [t], dtype: 'int32', vocab, consumer: node.index };
  }
  let shape: (number | undefined)[] | undefined = node.inputShape?.slice();
  if (!shape || shape.length === 0) shape = o.inputShape?.slice();
  if (!shape || shape.length === 0) shape = derivedShape(ctx, user);
  if (!shape) {
    throw new BuildError(`${label}: input shape unknown (give it as inputShape)`, node.index, 'inputShape');
  }
  // Fill unknown entries: the time axis of a recurrent input, spatial axes of a convolutional input.
  const spatial = CONV_LIKE.has(user.kind) && shape.length >= 2;
  const target = o.spatialSize ?? DEFAULT_SPATIAL_SIZE;
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    const last = i === shape.length - 1;
    if (d !== undefined && Number.isFinite(d) && d > 0) {
      if (spatial && !last && d > target) {
        ctx.notes.push(`${label}: spatial size ${d} reduced to ${target}`);
        ctx.reduced = true;
        out.push(target);
      } else out.push(d);
      continue;
    }
    const fill =
      o.inputShape && o.inputShape.length === shape.length && o.inputShape[i] > 0
        ? o.inputShape[i]
        : RECURRENT.has(user.kind) && i === 0 && shape.length === 2
          ? (user.timeSteps ?? o.timeSteps)
          : spatial && !last
            ? target
            : undefined;
    if (!fill) throw new BuildError(`${label}: input dimension ${i + 1} of [${shape.map((x) => x ?? '?')}] unknown`, node.index, 'inputShape');
    if (spatial && !last && !o.spatialSize && !(o.inputShape && o.inputShape[i] > 0)) {
      ctx.notes.push(`${label}: unknown spatial size taken as ${target}`);
    }
    out.push(fill);
  }
  return { shape: out, dtype: 'float32', consumer: node.index };
}

/** The input shape implied by the first layer's sizes, when no shape is written. */
function derivedShape(ctx: Ctx, user: LayerNode): (number | undefined)[] | undefined {
  const f = user.inFeatures;
  switch (user.kind) {
    case 'dense':
    case 'batchNorm':
    case 'layerNorm':
    case 'activation':
    case 'dropout':
      return f ? [f] : undefined;
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv': {
      const d = user.kernelSize?.length;
      if (!d || !f) return undefined;
      return [...Array.from({ length: d }, () => undefined), f];
    }
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return f ? [undefined, f] : undefined;
    default:
      return undefined;
  }
}

// -------------------------------------------------------------------------------------------------------------
// Nodes

function estimateParams(node: LayerNode, kind: LayerKind, inShape: number[] | undefined): number {
  const inC = inShape?.[inShape.length - 1] ?? node.inFeatures ?? 0;
  const out = node.outFeatures ?? 0;
  const k = node.kernelSize ? prod(node.kernelSize) : 1;
  const mult = node.depthMultiplier ?? 1;
  const dir = node.wrapper === 'bidirectional' ? 2 : 1;
  switch (kind) {
    case 'dense':
      return inC * out + out;
    case 'conv':
    case 'convTranspose':
      return (k * inC * out) / (node.groups ?? 1) + out;
    case 'depthwiseConv':
      return k * inC * mult + inC * mult;
    case 'separableConv':
      return k * inC * mult + inC * mult * out + out;
    case 'simpleRNN':
      return dir * (inC * out + out * out + out);
    case 'lstm':
      return dir * 4 * (inC * out + out * out + out);
    case 'gru':
      return dir * 3 * (inC * out + out * out + out);
    case 'embedding':
      return (node.inFeatures ?? 0) * out;
    default:
      return 0;
  }
}

function buildNode(ctx: Ctx, node: LayerNode, inShapes: number[][], created: Layer[]): BuiltLayer {
  const { tf, fw } = ctx;
  const label = labelOf(node);
  const fail = (msg: string, need: BuildNeed = 'unsupported'): never => {
    throw new BuildError(`${label}: ${msg}`, node.index, need);
  };
  const name = `L${node.index}_${node.kind}`;
  const notes: string[] = [];
  const layers: Layer[] = [];
  const track = <L extends Layer>(l: L): L => {
    layers.push(l);
    created.push(l);
    return l;
  };
  const x0 = inShapes[0] ?? [];
  const inC = x0[x0.length - 1];
  let kind = node.kind;

  // PyTorch depthwise: Conv2d(groups = in_channels).
  let depthMultiplier = node.depthMultiplier;
  if (kind === 'conv' && (node.groups ?? 1) > 1) {
    if (node.groups === inC && node.outFeatures && node.outFeatures % inC === 0) {
      kind = 'depthwiseConv';
      depthMultiplier = node.outFeatures / inC;
    } else {
      fail(`grouped convolution (groups=${node.groups}) cannot be rebuilt in TensorFlow.js`);
    }
  }

  if (node.wrapper === 'timeDistributed' && kind !== 'dense' && kind !== 'activation' && kind !== 'dropout') {
    fail(`a time-distributed ${kind} cannot be rebuilt`);
  }

  const est = estimateParams(node, kind, x0);
  if (ctx.paramsSoFar + est > ctx.maxParams) {
    fail(`the model exceeds the rebuild cap of ${ctx.maxParams.toLocaleString('en-US')} parameters (about ${(ctx.paramsSoFar + est).toLocaleString('en-US')} up to here)`, 'smaller');
  }

  // Sizes the description promises vs what the rebuilt input has.
  if (node.inFeatures !== undefined && inC !== undefined && kind !== 'embedding' && kind !== 'input' && node.inFeatures !== inC) {
    if (WEIGHTED.has(kind) || kind === 'batchNorm' || kind === 'layerNorm') {
      notes.push(
        `described with ${node.inFeatures} input features, rebuilt with ${inC}` +
          (ctx.reduced ? ' (the spatial size was reduced)' : ' (padding, strides or shapes differ from the description)'),
      );
    }
  }

  const initFor = (slot: WeightSlot, kindFor: LayerKind = kind) => {
    const ref = checkRef(refFor(fw, node, kindFor, slot), node, slot);
    if (ref.framework === 'tfjs') {
      try {
        return tfjsInitializer(tf, ref, mixSeed(ctx.options.seed, node.index, SLOT_NUMBER[slot]));
      } catch (e) {
        return fail(`${slot} initializer: ${(e as Error).message}`, 'initializer');
      }
    }
    return 'zeros' as const; // drawn afterwards by the Keras / PyTorch sampler
  };

  // Activation at the output of a weighted layer or of an activation layer.
  const act = node.activation;
  let activationId: string | undefined;
  let actLayer: Layer | undefined;
  const makeActivation = (id: string, alpha: number | undefined): Layer => {
    if (!activationSpec(id)) fail(`activation '${id}' unknown`);
    const tfName = tfjsActivationName(id, alpha);
    if (fw === 'tfjs' && id === 'leakyRelu') {
      return track(tf.layers.leakyReLU({ alpha: alpha ?? FRAMEWORK_FACTS.tfjs.leakyReluLayerAlpha, name: `${name}_act` }));
    }
    if (tfName) return track(tf.layers.activation({ activation: tfName as 'relu', name: `${name}_act` }));
    const op = activationOp(tf, id, alpha)!;
    const Ctor = fnLayerCtor(tf);
    return track(new Ctor({ name: `${name}_act`, fn: op }));
  };
  if (WEIGHTED.has(kind) && !RECURRENT.has(kind) && kind !== 'embedding' && act) {
    if (act.id === undefined) fail(`activation${act.text ? ` '${act.text}'` : ''} could not be resolved`);
    if (act.id !== 'linear') {
      activationId = act.id;
      actLayer = makeActivation(act.id!, alphaOf(fw, act.id!, act.alpha));
    }
  }

  const pad = ctx.options.padding ?? 'valid';
  if (CONV_LIKE.has(kind) && kind !== 'globalPooling' && !ctx.options.padding && !ctx.notes.includes(PADDING_NOTE)) {
    ctx.notes.push(PADDING_NOTE);
  }
  const useBias = node.useBias !== false;
  const kernelSize = () => node.kernelSize ?? fail('kernel size unknown', 'size');
  const strides = (d: number) => node.strides ?? Array.from({ length: d }, () => 1);
  const units = () => node.outFeatures ?? fail('output size (units / filters) unknown', 'size');
  const rank = x0.length;
  const spatialDims = rank - 1;

  let main: Layer | undefined;
  let applyFn: BuiltLayer['apply'] | undefined;
  /** The layer's computation without its bias, by unfused tfjs ops (see unfusedUnderGrad). */
  let direct: ((x: Tensor, kernel: Tensor) => Tensor) | undefined;

  switch (kind) {
    case 'input':
      applyFn = (xs) => ({ out: xs[0] });
      break;

    case 'dense': {
      // A tfjs Dense acts on the last axis of any rank: TimeDistributed(Dense) is the same map, so no wrapper.
      const u = units();
      main = track(
        tf.layers.dense({
          units: u,
          useBias,
          kernelInitializer: initFor('kernel'),
          biasInitializer: useBias ? initFor('bias') : undefined,
          name,
        }),
      );
      direct = (x, k) => {
        if (x.rank === 2) return tf.matMul(x as TFNS.Tensor2D, k as TFNS.Tensor2D);
        const lead = x.shape.slice(0, -1);
        return tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]) as TFNS.Tensor2D, k as TFNS.Tensor2D), [...lead, u]);
      };
      break;
    }

    case 'conv': {
      const k = kernelSize();
      const d = k.length;
      if (spatialDims !== d) fail(`a ${d}-D convolution needs an input of rank ${d + 1} (without batch), got [${x0}]`);
      const s = strides(d);
      const cfg = {
        filters: units(),
        useBias,
        padding: pad,
        kernelInitializer: initFor('kernel'),
        biasInitializer: useBias ? initFor('bias') : undefined,
        name,
      };
      main = track(
        d === 1
          ? tf.layers.conv1d({ ...cfg, kernelSize: k[0], strides: s[0] })
          : d === 2
            ? tf.layers.conv2d({ ...cfg, kernelSize: k, strides: s })
            : d === 3
              ? tf.layers.conv3d({ ...cfg, kernelSize: k, strides: s })
              : fail(`${d}-D convolution is not supported`),
      );
      // Only the 2-D convolution layer calls a fused op (tf.fused.conv2d); conv1d / conv3d are unfused already.
      if (d === 2) direct = (x, kern) => tf.conv2d(x as TFNS.Tensor4D, kern as TFNS.Tensor4D, s as [number, number], pad, 'NHWC');
      break;
    }

    case 'convTranspose': {
      const k = kernelSize();
      const d = k.length;
      if (spatialDims !== d) fail(`a ${d}-D transposed convolution needs an input of rank ${d + 1}, got [${x0}]`);
      const cfg = {
        filters: units(),
        useBias,
        padding: pad,
        kernelSize: k,
        strides: strides(d),
        kernelInitializer: initFor('kernel'),
        biasInitializer: useBias ? initFor('bias') : undefined,
        name,
      };
      main = track(
        d === 2
          ? tf.layers.conv2dTranspose(cfg)
          : d === 3
            ? tf.layers.conv3dTranspose(cfg)
            : fail(`TensorFlow.js has no ${d}-D transposed convolution`),
      );
      break;
    }

    case 'depthwiseConv': {
      const k = kernelSize();
      if (k.length !== 2 || spatialDims !== 2) fail('TensorFlow.js has only a 2-D depthwise convolution');
      const mult = depthMultiplier ?? (node.outFeatures && inC ? node.outFeatures / inC : 1);
      if (!Number.isInteger(mult) || mult < 1) fail(`depth multiplier ${mult} is not a positive integer`);
      depthMultiplier = mult;
      main = track(
        tf.layers.depthwiseConv2d({
          kernelSize: k as [number, number],
          strides: strides(2) as [number, number],
          depthMultiplier: mult,
          padding: pad,
          useBias,
          depthwiseInitializer: initFor('kernel'),
          biasInitializer: useBias ? initFor('bias') : undefined,
          name,
        }),
      );
      break;
    }

    case 'separableConv': {
      const k = kernelSize();
      if (k.length !== 2 || spatialDims !== 2) fail('TensorFlow.js has only a 2-D separable convolution');
      depthMultiplier = depthMultiplier ?? 1;
      main = track(
        tf.layers.separableConv2d({
          filters: units(),
          kernelSize: k as [number, number],
          strides: strides(2) as [number, number],
          depthMultiplier,
          padding: pad,
          useBias,
          // tfjs builds the pointwise initializer from depthwiseInitializer (reference §0.1 #5): the real quirk.
          depthwiseInitializer: initFor('kernel'),
          pointwiseInitializer: initFor('pointwise'),
          biasInitializer: useBias ? initFor('bias') : undefined,
          name,
        }),
      );
      if (fw === 'tfjs') notes.push('tfjs uses the depthwise initializer for the pointwise kernel too (tfjs PR #8564)');
      break;
    }

    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      if (rank !== 2) fail(`a recurrent layer needs an input [time, features], got [${x0}]`);
      const actId = node.activation?.id ?? (node.activation ? fail('activation could not be resolved') : 'tanh');
      const actName = tfjsActivationName(actId, node.activation?.alpha) ?? fail(`activation '${actId}' cannot be used inside a tfjs recurrent layer`);
      const gateDefault = fw === 'tfjs' ? 'hardSigmoid' : 'sigmoid';
      const gateId = node.recurrentActivation
        ? (node.recurrentActivation.id ?? fail('recurrent activation could not be resolved'))
        : gateDefault;
      const gateName = tfjsActivationName(gateId, node.recurrentActivation?.alpha) ?? fail(`recurrent activation '${gateId}' cannot be used inside a tfjs recurrent layer`);
      const returnSequences = node.returnSequences ?? fw === 'pytorch';
      const cfg = {
        units: units(),
        activation: actName as 'tanh',
        useBias,
        returnSequences,
        kernelInitializer: initFor('kernel'),
        recurrentInitializer: initFor('recurrent'),
        biasInitializer: useBias ? initFor('bias') : undefined,
        name,
      };
      let rnn: Layer;
      if (kind === 'simpleRNN') rnn = tf.layers.simpleRNN(cfg);
      else if (kind === 'lstm') {
        rnn = tf.layers.lstm({
          ...cfg,
          recurrentActivation: gateName as 'sigmoid',
          // tfjs: as written (undefined = off); Keras's bias is drawn below with its unit_forget_bias (default on).
          unitForgetBias: fw === 'tfjs' ? node.unitForgetBias : false,
        });
      } else {
        rnn = tf.layers.gru({ ...cfg, recurrentActivation: gateName as 'sigmoid' }); // tfjs: reset-before only
        if (fw !== 'tfjs') notes.push('GRU rebuilt with the reset-before formulation (tfjs has no reset_after)');
      }
      if (node.wrapper === 'bidirectional') {
        created.push(rnn);
        main = track(tf.layers.bidirectional({ layer: rnn as TFNS.RNN, mergeMode: 'concat', name: `${name}_bi` }));
      } else main = track(rnn);
      if (fw === 'pytorch' && useBias) notes.push("PyTorch's b_ih + b_hh rebuilt as one bias (their sum)");
      activationId = actId;
      break;
    }

    case 'embedding': {
      const vocab = node.inFeatures ?? fail('vocabulary size unknown', 'size');
      main = track(
        tf.layers.embedding({
          inputDim: vocab,
          outputDim: units(),
          embeddingsInitializer: initFor('embeddings'),
          name,
        }),
      );
      break;
    }

    case 'batchNorm':
    case 'layerNorm': {
      const epsilon = node.epsilon ?? FRAMEWORK_FACTS[fw].normEpsilon;
      const cfg = { epsilon, gammaInitializer: initFor('gamma'), betaInitializer: initFor('beta'), name };
      main = track(kind === 'batchNorm' ? tf.layers.batchNormalization({ ...cfg, axis: -1 }) : tf.layers.layerNormalization({ ...cfg, axis: -1 }));
      if (kind === 'batchNorm') notes.push('batch normalization runs in training mode (batch statistics)');
      break;
    }

    case 'activation': {
      if (!act || act.id === undefined) fail(`activation${act?.text ? ` '${act.text}'` : ''} could not be resolved`);
      activationId = act!.id!;
      main = makeActivation(activationId, alphaOf(fw, activationId, act!.alpha));
      break;
    }

    case 'dropout': {
      const rate = node.rate ?? fail('dropout rate unknown', 'size');
      main = track(tf.layers.dropout({ rate, seed: mixSeed(ctx.options.seed, node.index, 9), name }));
      notes.push('dropout is applied in training mode (kept units scaled by 1/(1 − rate))');
      break;
    }

    case 'pooling': {
      const d = spatialDims;
      if (d < 1 || d > 3) fail(`pooling needs a spatial input, got [${x0}]`);
      if (!node.poolSize) notes.push('pool size not in the description: 2');
      const ps = node.poolSize ?? Array.from({ length: d }, () => 2);
      const st = node.strides ?? ps;
      const max = node.pooling === 'max';
      const cfg = { padding: pad, name };
      main = track(
        d === 1
          ? (max ? tf.layers.maxPooling1d : tf.layers.averagePooling1d)({ ...cfg, poolSize: ps[0], strides: st[0] })
          : d === 2
            ? (max ? tf.layers.maxPooling2d : tf.layers.averagePooling2d)({ ...cfg, poolSize: ps as [number, number], strides: st as [number, number] })
            : (max ? tf.layers.maxPooling3d : tf.layers.averagePooling3d)({
                ...cfg,
                poolSize: ps as [number, number, number],
                strides: st as [number, number, number],
              }),
      );
      break;
    }

    case 'globalPooling': {
      const d = spatialDims;
      const max = node.pooling === 'max';
      if (d === 1) main = track((max ? tf.layers.globalMaxPooling1d : tf.layers.globalAveragePooling1d)({ name }));
      else if (d === 2) main = track((max ? tf.layers.globalMaxPooling2d : tf.layers.globalAveragePooling2d)({ name }));
      else if (d >= 3) {
        const axes = Array.from({ length: d }, (_, i) => i + 1);
        const Ctor = fnLayerCtor(tf);
        main = track(
          new Ctor({
            name,
            fn: (x) => (max ? tf.max(x, axes) : tf.mean(x, axes)),
            shape: (s) => [s[s.length - 1]],
          }),
        );
      } else fail(`global pooling needs a spatial input, got [${x0}]`);
      break;
    }

    case 'flatten':
      main = track(tf.layers.flatten({ name }));
      break;

    case 'reshape':
      notes.push('reshape target not in the description: rebuilt as the identity');
      applyFn = (xs) => ({ out: xs[0] });
      break;

    case 'add':
      if (inShapes.length < 2) applyFn = (xs) => ({ out: xs[0] });
      else main = track(tf.layers.add({ name }));
      break;

    case 'concatenate':
      if (inShapes.length < 2) applyFn = (xs) => ({ out: xs[0] });
      else main = track(tf.layers.concatenate({ axis: -1, name }));
      break;

    default:
      fail(`layer kind '${kind}' cannot be rebuilt`);
  }

  const multi = kind === 'add' || kind === 'concatenate';
  if (!applyFn) {
    const m = main!;
    const a = actLayer;
    const unfused = direct ? unfusedUnderGrad(tf, m, direct) : undefined;
    applyFn = (xs, kwargs) => {
      const input = multi ? xs : xs[0];
      const y = (unfused?.(xs[0]) ?? m.apply(input as Tensor, kwargs)) as AnyTensor;
      if (!a) return { out: y };
      return { pre: y, out: a.apply(y as Tensor, kwargs) as AnyTensor };
    };
  }

  return {
    index: node.index,
    node: kind !== node.kind || depthMultiplier !== node.depthMultiplier ? { ...node, kind, depthMultiplier } : node,
    kind,
    label,
    inputShapes: inShapes,
    outputShape: [],
    activation: activationId,
    hasPreActivation: actLayer !== undefined,
    weights: [],
    params: 0,
    tfLayers: layers,
    notes,
    apply: applyFn,
  };
}

const WEIGHTED = WEIGHTED_KINDS;

/**
 * Dense and 2-D convolution layers applied to concrete tensors under tf.grads (measure.ts's backward pass) are
 * computed by unfused tfjs ops on the layer's own variables: the layers call tf.fused.matMul / tf.fused.conv2d,
 * whose gradient (a customGrad) always computes the kernel and bias gradients along with the input gradient, an
 * extra matmul or convolution (and its transposes) per layer that nobody reads, while the gradients of the
 * unfused ops are evaluated only for the inputs on the path to the loss; measure.ts asks for the gradients w.r.t.
 * layer inputs only, so the backward pass does about half the work. The products and sums are the same; only the
 * rounding of the bias addition may differ. Symbolic application (building the tfjs model) and every pass outside
 * tf.grads keep the layer's own call (its fused bias addition is the faster forward). Returns undefined when the
 * layer is to be applied as usual.
 */
function unfusedUnderGrad(tf: TF, layer: Layer, op: (x: Tensor, kernel: Tensor) => Tensor): (x: AnyTensor) => Tensor | undefined {
  let vars: { kernel: TFNS.LayerVariable; bias?: TFNS.LayerVariable } | undefined;
  return (x) => {
    if (x instanceof tf.SymbolicTensor || tf.engine().state.gradientDepth === 0 || !layer.built) return undefined;
    if (!vars) {
      const kernel = layer.weights.find((v) => slotOfVariable(v.originalName) === 'kernel');
      if (!kernel) return undefined;
      vars = { kernel, bias: layer.weights.find((v) => slotOfVariable(v.originalName) === 'bias') };
    }
    const { kernel, bias } = vars;
    return tf.tidy(() => {
      const y = op(x, kernel.read());
      return bias ? tf.add(y, bias.read()) : y;
    });
  };
}

/** The activation parameter the framework uses: as written, else the framework's default for that function. */
function alphaOf(fw: Framework, id: string, alpha: number | undefined): number | undefined {
  if (alpha !== undefined) return alpha;
  if (id === 'leakyRelu') return FRAMEWORK_FACTS[fw].leakyReluLayerAlpha;
  if (id === 'prelu') return FRAMEWORK_FACTS[fw].preluAlphaInit;
  return undefined;
}

// -------------------------------------------------------------------------------------------------------------
// Weights: record them, and draw Keras / PyTorch ones with the framework's semantics.

function initWeights(ctx: Ctx, b: BuiltLayer): void {
  const { tf, fw } = ctx;
  const node = b.node;
  const hidden = node.outFeatures;
  const seen = new Set<string>();
  let kernelFanIn: number | undefined;
  let pointwiseFanIn: number | undefined;
  for (const l of b.tfLayers) {
    for (const v of l.weights) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      b.params += prod(v.shape as number[]);
      const slot = slotOfVariable(v.originalName);
      if (!slot) continue;
      let ref = refFor(fw, node, b.kind, slot)!;
      // tfjs SeparableConv2D draws the pointwise kernel with depthwiseInitializer (reference §0.1 #5).
      if (fw === 'tfjs' && b.kind === 'separableConv' && slot === 'pointwise') ref = refFor(fw, node, b.kind, 'kernel') ?? ref;
      const shape = v.shape as number[];
      const wctx: WeightContext = {
        kind: b.kind,
        slot,
        shape,
        hiddenSize: hidden,
        depthMultiplier: node.depthMultiplier,
        seed: mixSeed(ctx.options.seed, node.index, SLOT_NUMBER[slot] + 16 * (seen.size + 1)),
      };
      const w: BuiltWeight = { slot, name: v.name, shape, ref, sampledBy: ref.framework, variable: v };
      if (ref.framework === 'tfjs') {
        // tfjs's own fan rule (initializers.ts:264-289): rank 2 [in, out]; rank 3-5 k·in, k·out; else √∏shape.
        if (shape.length >= 2 && shape.length <= 5) w.fans = kerasFans(shape);
        else if (shape.length > 0) w.fans = { fanIn: Math.sqrt(prod(shape)), fanOut: Math.sqrt(prod(shape)) };
      } else {
        try {
          // PyTorch's bias bound uses the fan-in of the weight it belongs to.
          const weightFanIn = slot === 'bias' ? (b.kind === 'separableConv' ? pointwiseFanIn : kernelFanIn) : undefined;
          const sample = () =>
            ref.framework === 'keras' ? sampleKeras(tf, ref, wctx) : sampleTorch(tf, ref, { ...wctx, weightFanIn });
          let s = sample();
          if (ref.framework === 'pytorch' && slot === 'bias' && RECURRENT.has(b.kind)) {
            // b_ih + b_hh: two independent draws summed.
            const s2 = sampleTorch(tf, ref, { ...wctx, seed: wctx.seed + 1, weightFanIn });
            const sum = tf.add(s.tensor, s2.tensor);
            s.tensor.dispose();
            s2.tensor.dispose();
            s = { ...s, tensor: sum, law: { ...s.law, mean: 2 * s.law.mean, variance: 2 * s.law.variance } };
            w.note = 'b_ih + b_hh';
          }
          if (ref.framework === 'keras' && slot === 'bias' && b.kind === 'lstm' && (node.unitForgetBias ?? FRAMEWORK_FACTS.keras.lstmUnitForgetBiasDefault)) {
            const u = shape[0] / 4;
            const t = s.tensor;
            s = {
              ...s,
              tensor: tf.tidy(() => tf.concat([t.slice([0], [u]), tf.ones([u]), t.slice([2 * u], [2 * u])])),
            };
            t.dispose();
            w.note = 'unit_forget_bias: forget-gate bias 1';
          }
          v.write(s.tensor);
          s.tensor.dispose();
          w.law = s.law;
          if (s.fans) w.fans = s.fans;
          else if (shape.length >= 2) w.fans = ref.framework === 'keras' ? kerasFans(shape) : torchFans(wctx);
        } catch (e) {
          const msg = e instanceof SampleError ? e.message : (e as Error).message;
          throw new BuildError(`${b.label}: ${slot} initializer '${ref.id}': ${msg}`, node.index, 'initializer');
        }
      }
      if (slot === 'kernel' && w.fans) kernelFanIn ??= w.fans.fanIn;
      if (slot === 'pointwise' && w.fans) pointwiseFanIn = w.fans.fanIn;
      b.weights.push(w);
    }
  }
  ctx.paramsSoFar += b.params;
  if (ctx.paramsSoFar > ctx.maxParams) {
    throw new BuildError(`${b.label}: the model exceeds the rebuild cap of ${ctx.maxParams.toLocaleString('en-US')} parameters`, node.index, 'smaller');
  }
}
