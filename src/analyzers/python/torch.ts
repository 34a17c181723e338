/**
 * PyTorch as data: the torch.nn modules the analyzer describes (signature, kind, defaults), their parameters
 * (names, shapes, which weight slot each one is), torch.nn.init functions and the in-place tensor initializers,
 * and torch.nn.functional / torch activation functions. Facts from ../shared/reference/init-semantics.md §3
 * (module defaults §3.4, init functions §3.3).
 */
import { resolveActivation } from '../../core/activations';
import { FRAMEWORK_FACTS, allInitializers, defaultInitializerRef } from '../../core/initializers';
import type { ActivationRef, InitializerArgs, LayerKind } from '../../core/model';
import type { Dim, LayerRec, SlotName, SlotRefs, V } from './values';
import { intOf, intsOf, numOf, strOf } from './values';

export interface TorchModuleSpec {
  kind: LayerKind | 'seq' | 'list' | 'dict' | 'identity';
  /** Positional parameter names of the constructor. */
  params: string[];
  rank?: number;
  pooling?: 'max' | 'average';
  adaptive?: boolean;
  /** Activation modules: the name resolveActivation('pytorch', …) knows. */
  act?: string;
  /** Why a module is described only as 'unknown'. */
  unknown?: string;
}

const CONV = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode'];
const CONVT = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'];
const RNN = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size'];
const BN = ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'];
const POOL = ['kernel_size', 'stride', 'padding'];
const act = (name: string, params: string[] = []): TorchModuleSpec => ({ kind: 'activation', params, act: name });
const unk = (why: string): TorchModuleSpec => ({ kind: 'unknown', params: [], unknown: why });

/** torch.nn module classes, by class name. */
export const TORCH_MODULES: Readonly<Record<string, TorchModuleSpec>> = {
  Sequential: { kind: 'seq', params: [] },
  ModuleList: { kind: 'list', params: ['modules'] },
  ModuleDict: { kind: 'dict', params: ['modules'] },
  Identity: { kind: 'identity', params: [] },
  Linear: { kind: 'dense', params: ['in_features', 'out_features', 'bias'] },
  LazyLinear: { kind: 'dense', params: ['out_features', 'bias'] },
  Conv1d: { kind: 'conv', params: CONV, rank: 1 },
  Conv2d: { kind: 'conv', params: CONV, rank: 2 },
  Conv3d: { kind: 'conv', params: CONV, rank: 3 },
  ConvTranspose1d: { kind: 'convTranspose', params: CONVT, rank: 1 },
  ConvTranspose2d: { kind: 'convTranspose', params: CONVT, rank: 2 },
  ConvTranspose3d: { kind: 'convTranspose', params: CONVT, rank: 3 },
  RNN: { kind: 'simpleRNN', params: ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional'] },
  LSTM: { kind: 'lstm', params: RNN },
  GRU: { kind: 'gru', params: RNN },
  RNNCell: { kind: 'simpleRNN', params: ['input_size', 'hidden_size', 'bias', 'nonlinearity'] },
  LSTMCell: { kind: 'lstm', params: ['input_size', 'hidden_size', 'bias'] },
  GRUCell: { kind: 'gru', params: ['input_size', 'hidden_size', 'bias'] },
  Embedding: { kind: 'embedding', params: ['num_embeddings', 'embedding_dim', 'padding_idx', 'max_norm'] },
  BatchNorm1d: { kind: 'batchNorm', params: BN },
  BatchNorm2d: { kind: 'batchNorm', params: BN },
  BatchNorm3d: { kind: 'batchNorm', params: BN },
  SyncBatchNorm: { kind: 'batchNorm', params: BN },
  InstanceNorm1d: { kind: 'layerNorm', params: BN },
  InstanceNorm2d: { kind: 'layerNorm', params: BN },
  InstanceNorm3d: { kind: 'layerNorm', params: BN },
  LayerNorm: { kind: 'layerNorm', params: ['normalized_shape', 'eps', 'elementwise_affine', 'bias'] },
  GroupNorm: { kind: 'layerNorm', params: ['num_groups', 'num_channels', 'eps', 'affine'] },
  RMSNorm: { kind: 'layerNorm', params: ['normalized_shape', 'eps', 'elementwise_affine'] },
  Dropout: { kind: 'dropout', params: ['p', 'inplace'] },
  Dropout1d: { kind: 'dropout', params: ['p', 'inplace'] },
  Dropout2d: { kind: 'dropout', params: ['p', 'inplace'] },
  Dropout3d: { kind: 'dropout', params: ['p', 'inplace'] },
  AlphaDropout: { kind: 'dropout', params: ['p', 'inplace'] },
  FeatureAlphaDropout: { kind: 'dropout', params: ['p', 'inplace'] },
  ReLU: act('relu'),
  ReLU6: act('relu6'),
  LeakyReLU: act('leaky_relu', ['negative_slope', 'inplace']),
  PReLU: act('prelu', ['num_parameters', 'init']),
  ELU: act('elu', ['alpha', 'inplace']),
  CELU: act('celu', ['alpha', 'inplace']),
  SELU: act('selu'),
  GELU: act('gelu', ['approximate']),
  SiLU: act('silu'),
  Mish: act('mish'),
  Tanh: act('tanh'),
  Sigmoid: act('sigmoid'),
  Hardtanh: act('hardtanh', ['min_val', 'max_val']),
  Hardsigmoid: act('hardsigmoid'),
  Hardswish: act('hardswish'),
  Softplus: act('softplus', ['beta', 'threshold']),
  Softsign: act('softsign'),
  Softmax: act('softmax', ['dim']),
  LogSoftmax: act('log_softmax', ['dim']),
  MaxPool1d: { kind: 'pooling', params: POOL, rank: 1, pooling: 'max' },
  MaxPool2d: { kind: 'pooling', params: POOL, rank: 2, pooling: 'max' },
  MaxPool3d: { kind: 'pooling', params: POOL, rank: 3, pooling: 'max' },
  AvgPool1d: { kind: 'pooling', params: POOL, rank: 1, pooling: 'average' },
  AvgPool2d: { kind: 'pooling', params: POOL, rank: 2, pooling: 'average' },
  AvgPool3d: { kind: 'pooling', params: POOL, rank: 3, pooling: 'average' },
  AdaptiveAvgPool1d: { kind: 'pooling', params: ['output_size'], rank: 1, pooling: 'average', adaptive: true },
  AdaptiveAvgPool2d: { kind: 'pooling', params: ['output_size'], rank: 2, pooling: 'average', adaptive: true },
  AdaptiveAvgPool3d: { kind: 'pooling', params: ['output_size'], rank: 3, pooling: 'average', adaptive: true },
  AdaptiveMaxPool1d: { kind: 'pooling', params: ['output_size'], rank: 1, pooling: 'max', adaptive: true },
  AdaptiveMaxPool2d: { kind: 'pooling', params: ['output_size'], rank: 2, pooling: 'max', adaptive: true },
  AdaptiveMaxPool3d: { kind: 'pooling', params: ['output_size'], rank: 3, pooling: 'max', adaptive: true },
  Flatten: { kind: 'flatten', params: ['start_dim', 'end_dim'] },
  Unflatten: { kind: 'reshape', params: ['dim', 'unflattened_size'] },
  MultiheadAttention: unk('attention is not modelled'),
  Transformer: unk('nn.Transformer is not modelled'),
  TransformerEncoder: unk('nn.TransformerEncoder is not modelled'),
  TransformerDecoder: unk('nn.TransformerDecoder is not modelled'),
  TransformerEncoderLayer: unk('nn.TransformerEncoderLayer is not modelled'),
  TransformerDecoderLayer: unk('nn.TransformerDecoderLayer is not modelled'),
  Upsample: unk('upsampling is not modelled'),
  Bilinear: unk('nn.Bilinear is not modelled'),
  EmbeddingBag: unk('nn.EmbeddingBag is not modelled'),
  ZeroPad2d: unk('padding layers are not modelled'),
  ConstantPad2d: unk('padding layers are not modelled'),
  PixelShuffle: unk('nn.PixelShuffle is not modelled'),
  Threshold: unk('nn.Threshold is not modelled'),
  GLU: unk('nn.GLU is not modelled'),
};

/** Base classes of torch.nn modules, for isinstance(m, nn.modules.batchnorm._BatchNorm) and the like. */
export function torchAncestors(className: string): string[] {
  const out = ['Module'];
  const s = TORCH_MODULES[className];
  if (!s) return out;
  if (s.kind === 'conv') out.push('_ConvNd');
  if (s.kind === 'convTranspose') out.push('_ConvNd', '_ConvTransposeNd');
  if (/^BatchNorm|SyncBatchNorm/.test(className)) out.push('_BatchNorm', '_NormBase');
  if (/^InstanceNorm/.test(className)) out.push('_InstanceNorm', '_NormBase');
  if (['RNN', 'LSTM', 'GRU'].includes(className)) out.push('RNNBase');
  if (/Cell$/.test(className)) out.push('RNNCellBase');
  if (/^(Max|Avg)Pool/.test(className)) out.push(className.startsWith('Max') ? '_MaxPoolNd' : '_AvgPoolNd');
  if (/^Dropout/.test(className)) out.push('_DropoutNd');
  return out;
}


function boolArg(v: V | undefined, dflt: boolean): boolean | undefined {
  if (!v) return dflt;
  if (v.k === 'bool') return v.v;
  if (v.k === 'num') return v.v !== 0;
  return undefined;
}

export function torchActivation(name: string, explicit: boolean, alpha?: number): ActivationRef {
  const hit = resolveActivation('pytorch', name);
  const ref: ActivationRef = { id: hit?.id, explicit };
  const a = alpha ?? hit?.alpha;
  if (a !== undefined) ref.alpha = a;
  return ref;
}

function defaults(rec: LayerRec, count: number): void {
  rec.layers = [];
  for (let i = 0; i < count; i++) {
    const slots: SlotRefs = {};
    const k = rec.kind === 'embedding' ? defaultInitializerRef('pytorch', 'embedding', 'embeddings') : defaultInitializerRef('pytorch', rec.kind, 'kernel');
    if (k) slots.kernel = k;
    const r = defaultInitializerRef('pytorch', rec.kind, 'recurrent');
    if (r) slots.recurrent = r;
    if (rec.useBias !== false && rec.kind !== 'batchNorm' && rec.kind !== 'layerNorm') {
      const b = defaultInitializerRef('pytorch', rec.kind, 'bias');
      if (b) slots.bias = b;
      if (b && (rec.kind === 'lstm' || rec.kind === 'gru' || rec.kind === 'simpleRNN')) slots.biasHh = { ...b };
    }
    // affine=False leaves no gamma/beta: the normalization then acts as γ = 1, β = 0 (what propagate assumes).
    if ((rec.kind === 'batchNorm' || rec.kind === 'layerNorm') && rec.useBias !== false) {
      const g = defaultInitializerRef('pytorch', rec.kind, 'gamma');
      const bt = defaultInitializerRef('pytorch', rec.kind, 'beta');
      if (g) slots.gamma = g;
      if (bt) slots.beta = bt;
    }
    const sub: (typeof rec.layers)[number] = { slots };
    if (rec.kind === 'lstm') {
      sub.unitForgetBias = FRAMEWORK_FACTS.pytorch.lstmUnitForgetBiasDefault;
      sub.unitForgetBiasExplicit = false;
    }
    rec.layers.push(sub);
  }
}

/**
 * Fills a PyTorch layer record from its constructor arguments (`get(name)` returns the argument given by
 * position or keyword, undefined when absent, UNKNOWN when not evaluable).
 */
export function configureTorchLayer(rec: LayerRec, className: string, spec: TorchModuleSpec, get: (name: string) => V | undefined): void {
  const n = (name: string) => numOf(get(name));
  const i = (name: string) => intOf(get(name));
  let stacked = 1;
  switch (spec.kind) {
    case 'dense': {
      rec.inFeatures = i('in_features');
      rec.outFeatures = i('out_features');
      rec.useBias = boolArg(get('bias'), true);
      if (className === 'LazyLinear') rec.note = 'nn.LazyLinear: input size known only at the first call';
      break;
    }
    case 'conv':
    case 'convTranspose': {
      const rank = spec.rank ?? 2;
      rec.rank = rank;
      rec.inFeatures = i('in_channels');
      rec.outFeatures = i('out_channels');
      rec.kernelSize = intsOf(get('kernel_size'), rank);
      const st = get('stride');
      rec.strides = st ? intsOf(st, rank) : Array.from({ length: rank }, () => 1);
      const g = get('groups');
      if (g) {
        const gi = intOf(g);
        if (gi !== undefined && gi !== 1) rec.groups = gi;
        else if (gi === undefined) rec.unknownReason = 'groups unknown';
      }
      rec.useBias = boolArg(get('bias'), true);
      break;
    }
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      rec.inFeatures = i('input_size');
      rec.outFeatures = i('hidden_size');
      rec.useBias = boolArg(get('bias'), true);
      const cell = className.endsWith('Cell');
      if (cell) rec.timeSteps = 1;
      if (!cell) {
        const L = get('num_layers');
        const li = L ? intOf(L) : 1;
        if (li === undefined || li < 1) rec.unknownReason = 'num_layers unknown';
        else stacked = Math.min(li, 64);
        const bi = boolArg(get('bidirectional'), false);
        if (bi) {
          rec.bidirectional = true;
          rec.wrapper = 'bidirectional';
        }
        if (get('proj_size') && intOf(get('proj_size')) !== 0) rec.unknownReason = 'LSTM proj_size is not modelled';
      }
      if (spec.kind === 'simpleRNN') {
        const nl = get('nonlinearity');
        const s = nl ? strOf(nl) : 'tanh';
        rec.activation = s === 'relu' ? torchActivation('relu', true) : s === 'tanh' ? torchActivation('tanh', !!nl) : { id: undefined, explicit: true };
      } else {
        rec.activation = torchActivation('tanh', false);
        rec.recurrentActivation = torchActivation('sigmoid', false);
      }
      break;
    }
    case 'embedding': {
      rec.inFeatures = i('num_embeddings');
      rec.outFeatures = i('embedding_dim');
      break;
    }
    case 'batchNorm':
    case 'layerNorm': {
      let f: number | undefined;
      let affine: boolean | undefined = true;
      if (className === 'LayerNorm' || className === 'RMSNorm') {
        const s = get('normalized_shape');
        f = intOf(s);
        if (f === undefined && s?.k === 'list' && !s.anyLen && s.items.length) f = intOf(s.items[s.items.length - 1]);
        affine = boolArg(get('elementwise_affine'), true);
        if (className === 'RMSNorm') rec.note = 'nn.RMSNorm described as a layer normalization (no mean subtraction)';
      } else if (className === 'GroupNorm') {
        f = i('num_channels');
        affine = boolArg(get('affine'), true);
        rec.note = 'nn.GroupNorm described as a layer normalization (per-group statistics)';
      } else {
        f = i('num_features');
        affine = boolArg(get('affine'), !className.startsWith('InstanceNorm'));
        if (className.startsWith('InstanceNorm')) rec.note = `nn.${className} described as a layer normalization (per-sample statistics)`;
      }
      rec.inFeatures = f;
      rec.outFeatures = f;
      const eps = get('eps');
      rec.epsilon = eps ? n('eps') : FRAMEWORK_FACTS.pytorch.normEpsilon;
      if (affine === false) rec.useBias = false;
      break;
    }
    case 'dropout': {
      const p = get('p');
      rec.rate = p ? n('p') : 0.5;
      break;
    }
    case 'activation': {
      const name = spec.act!;
      if (name === 'leaky_relu') {
        const s = get('negative_slope');
        rec.activation = torchActivation('leaky_relu', true, s ? (n('negative_slope') ?? NaN) : 0.01);
      } else if (name === 'prelu') {
        const s = get('init');
        rec.activation = torchActivation('prelu', true, s ? (n('init') ?? NaN) : FRAMEWORK_FACTS.pytorch.preluAlphaInit);
      } else if (name === 'elu' || name === 'celu') {
        const s = get('alpha');
        rec.activation = torchActivation(name, true, s ? (n('alpha') ?? NaN) : 1);
      } else if (name === 'gelu') {
        const s = get('approximate');
        const ap = s ? strOf(s) : 'none';
        rec.activation = ap === 'tanh' ? { id: 'geluTanh', explicit: true } : ap === 'none' ? torchActivation('gelu', true) : { id: undefined, explicit: true };
      } else if (name === 'softplus') {
        const b = get('beta');
        rec.activation = !b || n('beta') === 1 ? torchActivation('softplus', true) : { id: undefined, explicit: true };
      } else if (name === 'hardtanh') {
        const lo = get('min_val');
        const hi = get('max_val');
        const ok = (!lo || n('min_val') === -1) && (!hi || n('max_val') === 1);
        rec.activation = ok ? torchActivation('hardtanh', true) : { id: undefined, explicit: true };
      } else rec.activation = torchActivation(name, true);
      if (rec.activation.alpha !== undefined && Number.isNaN(rec.activation.alpha)) rec.activation = { id: undefined, explicit: true };
      break;
    }
    case 'pooling': {
      const rank = spec.rank ?? 2;
      rec.rank = rank;
      rec.pooling = spec.pooling;
      if (spec.adaptive) {
        const o = get('output_size');
        const os = intsOf(o, rank);
        if (os && os.every((x) => x === 1)) {
          rec.kind = 'globalPooling';
          rec.spatialOne = true;
        }
      } else {
        rec.poolSize = intsOf(get('kernel_size'), rank);
        const st = get('stride');
        rec.strides = st && st.k !== 'none' ? intsOf(st, rank) : rec.poolSize;
      }
      break;
    }
    default:
      break;
  }
  defaults(rec, stacked);
}

/** The parameters of a PyTorch layer in registration order (what named_parameters() yields). */
export function torchParamNames(rec: LayerRec): string[] {
  switch (rec.kind) {
    case 'dense':
    case 'conv':
    case 'convTranspose':
      return rec.useBias === false ? ['weight'] : ['weight', 'bias'];
    case 'embedding':
      return ['weight'];
    case 'batchNorm':
    case 'layerNorm':
      return rec.useBias === false ? [] : ['weight', 'bias'];
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      if (rec.cls.endsWith('Cell')) {
        return rec.useBias === false ? ['weight_ih', 'weight_hh'] : ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];
      }
      const out: string[] = [];
      rec.layers.forEach((_, k) => {
        for (const suffix of rec.bidirectional ? ['', '_reverse'] : ['']) {
          out.push(`weight_ih_l${k}${suffix}`, `weight_hh_l${k}${suffix}`);
          if (rec.useBias !== false) out.push(`bias_ih_l${k}${suffix}`, `bias_hh_l${k}${suffix}`);
        }
      });
      return out;
    }
    case 'activation':
      return rec.activation?.id === 'prelu' ? ['weight'] : [];
    default:
      return [];
  }
}

/** Which description slot (and stacked layer) a PyTorch parameter is, undefined for other parameters. */
export function torchParamSlot(rec: LayerRec, pname: string): { sub: number; slot: SlotName } | undefined {
  switch (rec.kind) {
    case 'dense':
    case 'conv':
    case 'convTranspose':
    case 'embedding':
      if (pname === 'weight') return { sub: 0, slot: 'kernel' };
      if (pname === 'bias' && rec.useBias !== false && rec.kind !== 'embedding') return { sub: 0, slot: 'bias' };
      return undefined;
    case 'batchNorm':
    case 'layerNorm':
      if (rec.useBias === false) return undefined;
      if (pname === 'weight') return { sub: 0, slot: 'gamma' };
      if (pname === 'bias') return { sub: 0, slot: 'beta' };
      return undefined;
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      const m = /^(weight|bias)_(ih|hh)(?:_l(\d+))?(?:_reverse)?$/.exec(pname);
      if (!m) return undefined;
      const sub = m[3] === undefined ? 0 : Number(m[3]);
      if (sub >= rec.layers.length) return undefined;
      if (m[1] === 'bias' && rec.useBias === false) return undefined;
      const slot: SlotName = m[1] === 'weight' ? (m[2] === 'ih' ? 'kernel' : 'recurrent') : m[2] === 'ih' ? 'bias' : 'biasHh';
      return { sub, slot };
    }
    default:
      return undefined;
  }
}

const GATES: Partial<Record<LayerKind, number>> = { simpleRNN: 1, lstm: 4, gru: 3 };

/** The shape of a PyTorch parameter (torch layout), entries undefined where a size is unknown. */
export function torchParamShape(rec: LayerRec, pname: string): Dim[] | undefined {
  const I = rec.inFeatures;
  const O = rec.outFeatures;
  const mul = (a: Dim, b: Dim): Dim => (a === undefined || b === undefined ? undefined : a * b);
  switch (rec.kind) {
    case 'dense':
      return pname === 'weight' ? [O, I] : pname === 'bias' ? [O] : undefined;
    case 'conv': {
      const g = rec.groups ?? 1;
      const ig = I === undefined ? undefined : I / g;
      const ks: Dim[] = rec.kernelSize ?? Array.from({ length: rec.rank ?? 2 }, () => undefined);
      return pname === 'weight' ? [O, ig, ...ks] : pname === 'bias' ? [O] : undefined;
    }
    case 'convTranspose': {
      const g = rec.groups ?? 1;
      const og = O === undefined ? undefined : O / g;
      const ks: Dim[] = rec.kernelSize ?? Array.from({ length: rec.rank ?? 2 }, () => undefined);
      return pname === 'weight' ? [I, og, ...ks] : pname === 'bias' ? [O] : undefined;
    }
    case 'embedding':
      return pname === 'weight' ? [I, O] : undefined;
    case 'batchNorm':
    case 'layerNorm':
      return pname === 'weight' || pname === 'bias' ? [O] : undefined;
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      const m = /^(weight|bias)_(ih|hh)(?:_l(\d+))?/.exec(pname);
      if (!m) return undefined;
      const G = GATES[rec.kind]!;
      const GH = mul(G, O);
      const sub = m[3] === undefined ? 0 : Number(m[3]);
      const inK = sub === 0 ? I : mul(O, rec.bidirectional ? 2 : 1);
      if (m[1] === 'bias') return [GH];
      return m[2] === 'ih' ? [GH, inK] : [GH, O];
    }
    default:
      return undefined;
  }
}

/** The attributes of a PyTorch layer other than its parameters (in_features, hidden_size, …). */
export function torchLayerAttr(rec: LayerRec, name: string): V | undefined {
  const n = (x: number | undefined): V | undefined => (x === undefined ? undefined : { k: 'num', v: x });
  switch (name) {
    case 'in_features':
    case 'in_channels':
    case 'input_size':
    case 'num_embeddings':
    case 'num_features':
      return n(rec.inFeatures);
    case 'hidden_size':
      return n(rec.outFeatures) ?? (rec.kind === 'lstm' ? { k: 'unknown', dim: { rec, factor: 1 } } : undefined);
    case 'out_features':
    case 'out_channels':
    case 'embedding_dim':
      return n(rec.outFeatures);
    case 'num_layers':
      return n(rec.layers.length);
    case 'p':
      return n(rec.rate);
    case 'eps':
      return n(rec.epsilon);
    case 'groups':
      return n(rec.groups ?? 1);
    case 'kernel_size':
      return rec.kernelSize ? { k: 'list', tuple: true, items: rec.kernelSize.map((x) => ({ k: 'num', v: x })) } : undefined;
    case 'bidirectional':
      return { k: 'bool', v: !!rec.bidirectional };
    case 'negative_slope':
      return rec.activation?.id === 'leakyRelu' ? n(rec.activation.alpha) : undefined;
    default:
      return undefined;
  }
}

// -------------------------------------------------------------------------------------------------------------
// Initialization

/** How the arguments of an initializing call map to InitializerArgs: positional order (after the tensor) and keywords. */
export interface InitCallSpec {
  /** Canonical PyTorch initializer id (core/initializers.ts), undefined for initializers not in the table. */
  id: string | undefined;
  positional: (keyof InitializerArgs)[];
  keywords: Record<string, keyof InitializerArgs | 'ignore'>;
}

const IGNORE_KW: Record<string, 'ignore'> = { generator: 'ignore' };

/** torch.nn.init functions (underscore and deprecated spellings). */
export const TORCH_INIT_FNS: Readonly<Record<string, InitCallSpec>> = (() => {
  // The modelled functions and their deprecated spellings come from the registry (core/frameworks/pytorch).
  const t: Record<string, InitCallSpec> = {};
  for (const s of allInitializers('pytorch')) {
    if (!s.keywords) continue; // a module default, not a function
    for (const name of [s.id, ...s.aliases]) t[name] = { id: s.id, positional: s.positional, keywords: { ...s.keywords } };
  }
  for (const k of ['sparse_', 'dirac_']) t[k] = t[k.slice(0, -1)] = { id: undefined, positional: [], keywords: {} };
  return t;
})();

/** In-place tensor methods that initialize: `w.normal_(0, 0.02)`, `b.zero_()`, `p.fill_(1.0)`. */
export const TENSOR_INIT_METHODS: Readonly<Record<string, InitCallSpec>> = {
  normal_: { id: 'normal_', positional: ['mean', 'stddev'], keywords: { mean: 'mean', std: 'stddev', ...IGNORE_KW } },
  uniform_: { id: 'uniform_', positional: ['minval', 'maxval'], keywords: { from: 'minval', to: 'maxval', ...IGNORE_KW } },
  fill_: { id: 'constant_', positional: ['value'], keywords: { value: 'value' } },
  zero_: { id: 'zeros_', positional: [], keywords: {} },
};

/** In-place tensor methods that change an initialization in a way the description cannot hold. */
export const TENSOR_UNMODELLED_METHODS = new Set([
  'copy_', 'mul_', 'div_', 'add_', 'sub_', 'clamp_', 'exponential_', 'bernoulli_', 'log_normal_', 'cauchy_',
  'geometric_', 'random_', 'masked_fill_', 'index_fill_', 'scatter_', 'set_', 't_', 'transpose_', 'abs_', 'neg_',
]);

// -------------------------------------------------------------------------------------------------------------
// Functions applied to tensors in forward()

/** torch.nn.functional / torch activation functions: canonical activation name and the keyword of its parameter. */
export const TORCH_ACT_FNS: Readonly<Record<string, { act: string; param?: string; paramIndex?: number }>> = {
  relu: { act: 'relu' },
  relu_: { act: 'relu' },
  relu6: { act: 'relu6' },
  leaky_relu: { act: 'leaky_relu', param: 'negative_slope', paramIndex: 1 },
  elu: { act: 'elu', param: 'alpha', paramIndex: 1 },
  celu: { act: 'celu', param: 'alpha', paramIndex: 1 },
  selu: { act: 'selu' },
  gelu: { act: 'gelu', param: 'approximate' },
  silu: { act: 'silu' },
  mish: { act: 'mish' },
  tanh: { act: 'tanh' },
  sigmoid: { act: 'sigmoid' },
  hardtanh: { act: 'hardtanh' },
  hardsigmoid: { act: 'hardsigmoid' },
  hardswish: { act: 'hardswish' },
  softplus: { act: 'softplus' },
  softsign: { act: 'softsign' },
  softmax: { act: 'softmax' },
  log_softmax: { act: 'log_softmax' },
};

/** Tensor methods and torch functions that keep the tensor's values (shape only): no node. */
export const TORCH_SHAPE_OPS = new Set([
  'view', 'reshape', 'transpose', 'permute', 'contiguous', 'unsqueeze', 'squeeze', 'expand', 'expand_as', 'repeat',
  'to', 'float', 'double', 'half', 'bfloat16', 'type', 'type_as', 'cuda', 'cpu', 'detach', 'clone', 'flip',
  'narrow', 'select', 'movedim', 'swapaxes', 'squeeze_', 'unsqueeze_', 'requires_grad_', 't',
]);

/** Methods that split a tensor into several tensors of the same distribution. */
export const TORCH_SPLIT_OPS = new Set(['split', 'chunk', 'unbind', 'tensor_split']);
