/**
 * Layer records from tfjs layer constructors: reads a layer's config exactly as tfjs-layers 4.22 does
 * (defaults from reference §1.4, `||` for initializers, `=== undefined` vs `== null` for activations) and
 * produces the static part of its node description. Sizes are inferred later (shapes.ts), once the layer's
 * place in a model is known.
 */
import { ts } from 'ts-morph';
import type { ActivationRef, InitializerRef, LayerKind } from '../../core/model';
import { FRAMEWORK_FACTS, defaultInitializerRef, type WeightSlot } from '../../core/initializers';
import { activationFromValue, type Ctx, initializerFromValue, unresolvedInitializer } from './initializer-refs';
import { type FactorySpec, LAYER_FACTORIES } from './tables';
import { type LayerRec, type ObjV, type Prop, type SlotSrc, type V, UNDEF, UNKNOWN, spanOf } from './values';

// Bound once: the `ts` namespace exposes its members through getters.
const { isPropertyAssignment } = ts;


export interface LayerCtx extends Ctx {
  nextLayerId(): number;
}

interface View {
  cfg?: ObjV;
  unknown: boolean;
}

function viewOf(arg: V | undefined): View {
  if (!arg || arg.k === 'undef' || arg.k === 'null') return { unknown: false };
  if (arg.k === 'obj') return { cfg: arg, unknown: false };
  return { unknown: true };
}

function get(view: View | undefined, key: string): { v: V; prop?: Prop } {
  if (!view) return { v: UNDEF };
  if (view.unknown) return { v: UNKNOWN };
  if (!view.cfg) return { v: UNDEF };
  const p = view.cfg.props.get(key);
  if (p) return { v: p.v, prop: p };
  return { v: view.cfg.open ? UNKNOWN : UNDEF };
}

/** A number option: the value, `def` when absent, undefined when unresolvable. */
function numOpt(view: View | undefined, key: string, def?: number): number | undefined {
  const { v } = get(view, key);
  if (v.k === 'num') return v.v;
  if (v.k === 'undef' || v.k === 'null') return def;
  return undefined;
}

function boolOpt(view: View | undefined, key: string, def: boolean | undefined): boolean | undefined {
  const { v } = get(view, key);
  if (v.k === 'bool') return v.v;
  if (v.k === 'undef' || v.k === 'null') return def;
  return undefined;
}

function strOpt(view: View | undefined, key: string, def?: string): string | undefined {
  const { v } = get(view, key);
  if (v.k === 'str') return v.v;
  if (v.k === 'undef' || v.k === 'null') return def;
  return undefined;
}

/** A number or a tuple of `rank` numbers (kernelSize, strides, dilationRate, poolSize). */
function tupleOpt(view: View | undefined, key: string, rank: number, def: number[] | undefined): number[] | undefined {
  const { v } = get(view, key);
  if (v.k === 'undef' || v.k === 'null') return def;
  if (v.k === 'num') return Array.from({ length: rank }, () => v.v);
  if (v.k === 'arr' && !v.open) {
    const nums = v.items.map((x) => (x.k === 'num' ? x.v : undefined));
    if (nums.some((n) => n === undefined)) return undefined;
    if (nums.length === rank) return nums as number[];
    if (nums.length === 1) return Array.from({ length: rank }, () => nums[0] as number);
  }
  return undefined;
}

/** A shape array ([null, 10] → [undefined, 10]); undefined when absent or unresolvable. */
function shapeOpt(view: View | undefined, key: string): { dims?: (number | undefined)[]; present: boolean } {
  const { v } = get(view, key);
  if (v.k === 'undef' || v.k === 'null') return { present: false };
  if (v.k === 'arr' && !v.open) return { dims: v.items.map((x) => (x.k === 'num' ? x.v : undefined)), present: true };
  if (v.k === 'num') return { dims: [v.v], present: true };
  return { present: true };
}

function declaredInputShape(view: View | undefined, kind: LayerKind): { dims?: (number | undefined)[]; present: boolean } {
  const s = shapeOpt(view, 'inputShape');
  if (s.present) return s;
  const b = shapeOpt(view, 'batchInputShape');
  if (b.present) return { dims: b.dims?.slice(1), present: true };
  const inputDim = get(view, 'inputDim').v;
  if (inputDim.k !== 'undef' && inputDim.k !== 'null' && kind !== 'embedding') {
    const d = inputDim.k === 'num' ? inputDim.v : undefined;
    if (kind === 'simpleRNN' || kind === 'lstm' || kind === 'gru') {
      const len = get(view, 'inputLength').v;
      return { dims: [len.k === 'num' ? len.v : undefined, d], present: true };
    }
    return { dims: [d], present: true };
  }
  if (kind === 'embedding') {
    const len = get(view, 'inputLength').v;
    if (len.k === 'num') return { dims: [len.v], present: true };
    if (len.k === 'arr' && !len.open) return { dims: len.items.map((x) => (x.k === 'num' ? x.v : undefined)), present: true };
    if (len.k !== 'undef' && len.k !== 'null') return { present: true };
  }
  return { present: false };
}

const SLOT_FIELD: Record<WeightSlot, 'kernel' | 'pointwise' | 'recurrent' | 'bias' | 'gamma' | 'beta'> = {
  kernel: 'kernel',
  embeddings: 'kernel',
  pointwise: 'pointwise',
  recurrent: 'recurrent',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
};

export function slotField(slot: WeightSlot): 'kernel' | 'pointwise' | 'recurrent' | 'bias' | 'gamma' | 'beta' {
  return SLOT_FIELD[slot];
}

function readSlot(ctx: Ctx, rec: LayerRec, view: View, slot: WeightSlot, propName: string, defaultKind: LayerKind): SlotSrc {
  const { v, prop } = get(view, propName);
  let src: SlotSrc;
  const falsy = v.k === 'undef' || v.k === 'null' || (v.k === 'str' && v.v === '') || (v.k === 'num' && v.v === 0) || (v.k === 'bool' && !v.v);
  if (falsy) {
    // `config.xInitializer || DEFAULT` (tfjs): absent and falsy values give the layer default.
    const ref = defaultInitializerRef('tfjs', defaultKind, slot) ?? ({
      framework: 'tfjs', id: undefined, args: {}, unknownArgs: [], falsyArgs: [], explicit: false, form: 'default',
    } as InitializerRef);
    if (prop?.el) ref.propertySpan = spanOf(prop.el, ctx.sf);
    src = { ref, prop, propName };
  } else if (v.k === 'unknown') {
    const valueNode = prop?.el && isPropertyAssignment(prop.el) ? prop.el.initializer : prop?.el;
    const ref = prop
      ? unresolvedInitializer(valueNode, prop, ctx)
      : ({ framework: 'tfjs', id: undefined, args: {}, unknownArgs: [], falsyArgs: [], explicit: false, form: 'default' } as InitializerRef);
    src = { ref, value: v, prop, propName };
  } else {
    const valueNode = prop?.el && isPropertyAssignment(prop.el) ? prop.el.initializer : undefined;
    src = { ref: initializerFromValue(v, prop, ctx, valueNode), value: v, prop, propName };
  }
  rec.slots.set(slot, src);
  rec.desc[SLOT_FIELD[slot]] = src.ref;
  return src;
}

function activationOpt(
  ctx: Ctx,
  view: View,
  key: string,
  whenUndefined: ActivationRef,
  whenNull: ActivationRef,
): ActivationRef {
  const { v, prop } = get(view, key);
  if (v.k === 'undef') return whenUndefined;
  if (v.k === 'null') return whenNull;
  const valueNode = prop?.el && isPropertyAssignment(prop.el) ? prop.el.initializer : undefined;
  if (v.k === 'unknown') {
    if (!prop) return { id: undefined, explicit: false };
    return { id: undefined, explicit: true, span: valueNode ? spanOf(valueNode, ctx.sf) : undefined, text: valueNode?.getText(ctx.sf) };
  }
  return activationFromValue(v, ctx, valueNode) ?? whenNull;
}

const LINEAR: ActivationRef = { id: 'linear', explicit: false };

export interface NewLayerArgs {
  op: string;
  spec: FactorySpec | undefined;
  cfgArg: V | undefined;
  callNode: ts.Node;
  /** Reason when the constructor itself could not be identified. */
  unknownReason?: string;
}

export function newRec(ctx: LayerCtx, op: string, kind: LayerKind, callNode: ts.Node, cfgArg: V | undefined): LayerRec {
  const view = viewOf(cfgArg);
  return {
    id: ctx.nextLayerId(),
    op,
    kind,
    callNode,
    cfg: view.cfg,
    cfgUnknown: view.unknown,
    cfgLiteral: view.cfg?.literal,
    shape: {},
    desc: { kind, op },
    slots: new Map(),
    options: new Map(),
  };
}

/** Builds the record of a layer constructor call (factory or class). */
export function createLayer(ctx: LayerCtx, a: NewLayerArgs): LayerRec {
  const spec = a.spec;
  if (!spec) {
    const rec = newRec(ctx, a.op, 'unknown', a.callNode, a.cfgArg);
    rec.desc.unknownReason = a.unknownReason ?? `${a.op} is not a TensorFlow.js layer the analyzer knows.`;
    finishCommon(ctx, rec, viewOf(a.cfgArg));
    return rec;
  }
  if (spec.special === 'rnn') return createRnn(ctx, a);
  if (spec.special === 'timeDistributed' || spec.special === 'bidirectional') return createWrapper(ctx, a, spec.special);
  const rec = newRec(ctx, a.op, spec.kind, a.callNode, a.cfgArg);
  rec.rank = spec.rank;
  rec.isCell = spec.cell;
  rec.shapeOp = spec.shapeOp;
  const view = viewOf(a.cfgArg);
  describe(ctx, rec, view, view, spec);
  return rec;
}

function finishCommon(ctx: Ctx, rec: LayerRec, view: View): void {
  const name = get(view, 'name').v;
  if (name.k === 'str') rec.name = name.v;
  if (rec.cfgLiteral) rec.desc.configSpan = spanOf(rec.cfgLiteral, ctx.sf);
  if (view.unknown) rec.desc.unknownReason ??= 'The layer configuration could not be resolved.';
}

/** The static description of a layer from its config `view` (and the outer config of rnn()/wrappers). */
function describe(ctx: Ctx, rec: LayerRec, view: View, outer: View, spec: FactorySpec): void {
  const kind = rec.kind;
  const sp = rec.shape;
  const d = rec.desc;
  const decl = declaredInputShape(outer, kind);
  const declInner = outer !== view && !decl.present ? declaredInputShape(view, kind) : decl;
  if (declInner.present) {
    sp.inputShape = declInner.dims;
    if (declInner.dims) d.inputShape = declInner.dims;
  }
  const df = strOpt(view, 'dataFormat', 'channelsLast');
  sp.channelsFirst = df === undefined ? undefined : df === 'channelsFirst';

  switch (kind) {
    case 'input': {
      const s = shapeOpt(view, 'shape');
      const b = shapeOpt(view, 'batchShape');
      const dims = s.present ? s.dims : b.present ? b.dims?.slice(1) : declInner.dims;
      sp.inputShape = dims;
      if (dims) d.inputShape = dims;
      break;
    }
    case 'dense': {
      sp.units = numOpt(view, 'units');
      readSlot(ctx, rec, view, 'kernel', 'kernelInitializer', kind);
      readBiasAndActivation(ctx, rec, view, kind);
      break;
    }
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv':
      describeConv(ctx, rec, view, kind);
      break;
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      describeRecurrent(ctx, rec, view, outer, kind);
      break;
    case 'embedding': {
      sp.units = numOpt(view, 'inputDim');
      sp.outputDim = numOpt(view, 'outputDim');
      readSlot(ctx, rec, view, 'embeddings', 'embeddingsInitializer', kind);
      break;
    }
    case 'batchNorm':
    case 'layerNorm': {
      d.epsilon = numOpt(view, 'epsilon', FRAMEWORK_FACTS.tfjs.normEpsilon);
      if (boolOpt(view, 'scale', true) !== false) readSlot(ctx, rec, view, 'gamma', 'gammaInitializer', kind);
      if (boolOpt(view, 'center', true) !== false) readSlot(ctx, rec, view, 'beta', 'betaInitializer', kind);
      break;
    }
    case 'activation':
      d.activation = activationLayer(ctx, rec, view);
      break;
    case 'dropout': {
      const r = numOpt(view, 'rate');
      if (r !== undefined) d.rate = r;
      break;
    }
    case 'pooling': {
      const n = rec.rank ?? 2;
      d.pooling = spec.pooling;
      const def = Array.from({ length: n }, () => 2);
      sp.poolSize = tupleOpt(view, 'poolSize', n, def);
      const st = get(view, 'strides').v;
      sp.strides = st.k === 'undef' || st.k === 'null' ? sp.poolSize : tupleOpt(view, 'strides', n, undefined);
      sp.padding = strOpt(view, 'padding', 'valid');
      if (sp.poolSize) d.poolSize = sp.poolSize;
      if (sp.strides) d.strides = sp.strides;
      break;
    }
    case 'globalPooling':
      d.pooling = spec.pooling;
      break;
    case 'reshape': {
      const t = shapeOpt(view, 'targetShape');
      sp.targetShape = t.dims;
      break;
    }
    case 'concatenate':
      sp.axis = numOpt(view, 'axis', -1);
      if (sp.axis === undefined) sp.axis = 9999;
      break;
    case 'unknown':
      describeUnknown(rec, view);
      break;
    default:
      break;
  }
  finishCommon(ctx, rec, view);
  if (outer !== view) {
    const name = get(outer, 'name').v;
    if (name.k === 'str') rec.name = name.v;
  }
}

/** The bias and the activation (linear by default) of a dense or convolutional layer. */
function readBiasAndActivation(ctx: Ctx, rec: LayerRec, view: View, kind: LayerKind): void {
  readBias(ctx, rec, view, kind);
  rec.desc.activation = activationOpt(ctx, view, 'activation', LINEAR, LINEAR);
}

function readBias(ctx: Ctx, rec: LayerRec, view: View, kind: LayerKind): void {
  const ub = boolOpt(view, 'useBias', true);
  rec.desc.useBias = ub;
  if (ub !== false) readSlot(ctx, rec, view, 'bias', 'biasInitializer', kind);
}

/** A convolution's window, channels and kernels (depthwise and separable kernels as tfjs 4.x reads them). */
function describeConv(ctx: Ctx, rec: LayerRec, view: View, kind: LayerKind): void {
  const sp = rec.shape;
  const d = rec.desc;
  const n = rec.rank ?? 2;
  sp.kernelSize = tupleOpt(view, 'kernelSize', n, undefined);
  if (sp.kernelSize) d.kernelSize = sp.kernelSize;
  sp.strides = tupleOpt(view, 'strides', n, Array.from({ length: n }, () => 1));
  sp.dilation = tupleOpt(view, 'dilationRate', n, Array.from({ length: n }, () => 1));
  sp.padding = strOpt(view, 'padding', 'valid');
  if (sp.strides) d.strides = sp.strides;
  if (kind === 'depthwiseConv' || kind === 'separableConv') {
    sp.depthMultiplier = numOpt(view, 'depthMultiplier', 1);
    d.depthMultiplier = sp.depthMultiplier;
  }
  if (kind === 'depthwiseConv') {
    readSlot(ctx, rec, view, 'kernel', 'depthwiseInitializer', kind);
    const ki = get(view, 'kernelInitializer');
    if (ki.prop) ctx.problem('tfjs ignores kernelInitializer on depthwiseConv2d: the kernel uses depthwiseInitializer.', ki.prop.el ?? rec.callNode);
  } else if (kind === 'separableConv') {
    sp.filters = numOpt(view, 'filters');
    const dw = readSlot(ctx, rec, view, 'kernel', 'depthwiseInitializer', kind);
    // tfjs 4.x builds the pointwise initializer from depthwiseInitializer (convolutional.ts:1104-1105).
    const pw: SlotSrc = dw.ref.form === 'default' ? { ref: defaultInitializerRef('tfjs', kind, 'pointwise')!, propName: 'depthwiseInitializer' } : { ...dw, ref: { ...dw.ref } };
    rec.slots.set('pointwise', pw);
    d.pointwise = pw.ref;
    const pi = get(view, 'pointwiseInitializer');
    if (pi.prop) ctx.problem('tfjs 4.x ignores pointwiseInitializer: the pointwise kernel uses depthwiseInitializer (tfjs PR #8564).', pi.prop.el ?? rec.callNode);
    const ki = get(view, 'kernelInitializer');
    if (ki.prop && ki.v.k !== 'undef' && ki.v.k !== 'null') ctx.problem('tfjs throws: kernelInitializer is invalid for separableConv2d (use depthwiseInitializer).', ki.prop.el ?? rec.callNode);
  } else {
    sp.filters = numOpt(view, 'filters');
    readSlot(ctx, rec, view, 'kernel', 'kernelInitializer', kind);
  }
  readBiasAndActivation(ctx, rec, view, kind);
}

/** A recurrent layer's activations, kernels, bias, returnSequences and (LSTM) unitForgetBias. */
function describeRecurrent(ctx: Ctx, rec: LayerRec, view: View, outer: View, kind: LayerKind): void {
  const sp = rec.shape;
  const d = rec.desc;
  sp.units = numOpt(view, 'units');
  const tanh: ActivationRef = { id: 'tanh', explicit: false };
  // SimpleRNN: `activation == null ? 'tanh'`; LSTM/GRU: `=== undefined ? 'tanh'` (null gives linear).
  d.activation = activationOpt(ctx, view, 'activation', tanh, kind === 'simpleRNN' ? tanh : LINEAR);
  if (kind !== 'simpleRNN') {
    const hs: ActivationRef = { id: 'hardSigmoid', explicit: false };
    d.recurrentActivation = activationOpt(ctx, view, 'recurrentActivation', hs, LINEAR);
  }
  readSlot(ctx, rec, view, 'kernel', 'kernelInitializer', kind);
  readSlot(ctx, rec, view, 'recurrent', 'recurrentInitializer', kind);
  readBias(ctx, rec, view, kind);
  const rs = rec.outerCfg || outer !== view ? boolOpt(outer, 'returnSequences', false) : boolOpt(view, 'returnSequences', false);
  sp.returnSequences = rs;
  d.returnSequences = rs;
  if (kind === 'lstm') {
    const ufb = get(view, 'unitForgetBias');
    rec.options.set('unitForgetBias', ufb.prop);
    d.unitForgetBiasExplicit = !!ufb.prop;
    if (ufb.v.k === 'bool') d.unitForgetBias = ufb.v.v;
    else if (ufb.v.k === 'undef' || ufb.v.k === 'null') d.unitForgetBias = FRAMEWORK_FACTS.tfjs.lstmUnitForgetBiasDefault;
    else if (ufb.v.k === 'num' || ufb.v.k === 'str') d.unitForgetBias = !!ufb.v.v;
    else d.unitForgetBias = undefined;
  }
  if (kind === 'gru' && boolOpt(view, 'resetAfter', false) === true)
    ctx.problem('tfjs throws: GRUCell does not support resetAfter: true.', get(view, 'resetAfter').prop?.el ?? rec.callNode);
}

function describeUnknown(rec: LayerRec, view: View): void {
  const sp = rec.shape;
  rec.desc.unknownReason ??= `tf.layers.${rec.op} is not modeled by the analyzer.`;
  const pair = (v: V, def: number): number[] | undefined => {
    if (v.k === 'undef' || v.k === 'null') return [def, def, def, def];
    if (v.k === 'num') return [v.v, v.v, v.v, v.v];
    if (v.k === 'arr' && !v.open && v.items.length === 2) {
      const [a, b] = v.items;
      if (a.k === 'num' && b.k === 'num') return [a.v, a.v, b.v, b.v];
      if (a.k === 'arr' && b.k === 'arr' && a.items.length === 2 && b.items.length === 2) {
        const n = [...a.items, ...b.items].map((x) => (x.k === 'num' ? x.v : undefined));
        return n.every((x) => x !== undefined) ? (n as number[]) : undefined;
      }
    }
    return undefined;
  };
  switch (rec.shapeOp) {
    case 'zeroPadding2d':
      sp.padding2d = pair(get(view, 'padding').v, 1);
      break;
    case 'cropping2D':
      sp.cropping2d = pair(get(view, 'cropping').v, 0);
      break;
    case 'upSampling2d':
      sp.size2d = tupleOpt(view, 'size', 2, [2, 2]);
      break;
    case 'repeatVector':
      sp.repeat = numOpt(view, 'n');
      break;
    case 'permute': {
      const d = get(view, 'dims').v;
      if (d.k === 'arr' && !d.open && d.items.every((x) => x.k === 'num')) sp.dims = d.items.map((x) => (x as { v: number }).v);
      break;
    }
  }
}

function activationLayer(ctx: Ctx, rec: LayerRec, view: View): ActivationRef {
  const span = spanOf(rec.callNode, ctx.sf);
  const full = rec.callNode.getText(ctx.sf);
  const text = full.length > 200 ? full.slice(0, 197) + '...' : full;
  const at = (id: string | undefined, alpha?: number): ActivationRef => ({ id, alpha, explicit: true, span, text });
  switch (rec.op) {
    case 'activation':
    case 'Activation':
      return activationOpt(ctx, view, 'activation', { ...LINEAR, explicit: true, span, text }, { ...LINEAR, explicit: true, span, text });
    case 'reLU':
    case 'ReLU': {
      const m = get(view, 'maxValue').v;
      if (m.k === 'undef' || m.k === 'null') return at('relu');
      if (m.k === 'num' && m.v === 6) return at('relu6');
      return at(undefined);
    }
    case 'leakyReLU':
    case 'LeakyReLU': {
      const a = numOpt(view, 'alpha', FRAMEWORK_FACTS.tfjs.leakyReluLayerAlpha);
      return a === undefined ? at(undefined) : at('leakyRelu', a);
    }
    case 'prelu':
    case 'PReLU': {
      const { v, prop } = get(view, 'alphaInitializer');
      if (v.k === 'undef' || v.k === 'null') return at('prelu', FRAMEWORK_FACTS.tfjs.preluAlphaInit);
      if (v.k === 'unknown') return at(undefined);
      const ref = initializerFromValue(v, prop, ctx);
      if (ref.id === 'zeros') return at('prelu', 0);
      if (ref.id === 'ones') return at('prelu', 1);
      if (ref.id === 'constant' && ref.args.value !== undefined) return at('prelu', ref.args.value);
      return at(undefined);
    }
    case 'elu':
    case 'ELU': {
      const a = numOpt(view, 'alpha', 1);
      if (a !== undefined && a !== 1) ctx.problem(`tfjs throws: the ELU layer supports only alpha = 1 (got ${a}).`, get(view, 'alpha').prop?.el ?? rec.callNode);
      return a === undefined ? at(undefined) : at('elu', a);
    }
    case 'thresholdedReLU':
    case 'ThresholdedReLU': {
      // x·(x > θ): ReLU only for θ = 0; the default θ = 1 has no entry in the activation table.
      const t = numOpt(view, 'theta', 1);
      return t === 0 ? at('relu') : at(undefined);
    }
    case 'softmax':
    case 'Softmax':
      return at('softmax');
    default:
      return at(undefined);
  }
}

function innerLayerRec(v: V): LayerRec | undefined {
  return v.k === 'layer' ? v.rec : undefined;
}

/** tf.layers.rnn({cell}) : the node is the cell's recurrent layer. */
function createRnn(ctx: LayerCtx, a: NewLayerArgs): LayerRec {
  const outer = viewOf(a.cfgArg);
  const cellV = get(outer, 'cell').v;
  const cell = innerLayerRec(cellV);
  if (!cell || !cell.isCell || cell.kind === 'unknown') {
    const rec = newRec(ctx, a.op, 'unknown', a.callNode, a.cfgArg);
    rec.desc.unknownReason =
      cellV.k === 'arr' ? 'tf.layers.rnn with a list of cells (stacked cells) is not modeled.' : 'The cell of tf.layers.rnn could not be resolved.';
    finishCommon(ctx, rec, outer);
    return rec;
  }
  const inner = viewOf(cell.cfg ?? (cell.cfgUnknown ? UNKNOWN : undefined));
  const rec = newRec(ctx, 'rnn', cell.kind, a.callNode, cell.cfg ?? (cell.cfgUnknown ? UNKNOWN : undefined));
  rec.outerCfg = outer.cfg;
  describe(ctx, rec, inner, outer, LAYER_FACTORIES[cell.op] ?? { kind: cell.kind });
  return rec;
}

function createWrapper(ctx: LayerCtx, a: NewLayerArgs, wrapper: 'timeDistributed' | 'bidirectional'): LayerRec {
  const outer = viewOf(a.cfgArg);
  const layerV = get(outer, 'layer').v;
  const inner = innerLayerRec(layerV);
  if (!inner) {
    const rec = newRec(ctx, a.op, 'unknown', a.callNode, a.cfgArg);
    rec.desc.unknownReason = `The layer wrapped by tf.layers.${a.op} could not be resolved.`;
    finishCommon(ctx, rec, outer);
    return rec;
  }
  // Describe the inner layer again with the wrapper's config as the outer view (input shape, name).
  const innerView = viewOf(inner.cfg ?? (inner.cfgUnknown ? UNKNOWN : undefined));
  const rec = newRec(ctx, inner.op, inner.kind, inner.callNode, inner.cfg ?? (inner.cfgUnknown ? UNKNOWN : undefined));
  rec.rank = inner.rank;
  rec.shapeOp = inner.shapeOp;
  rec.wrapper = wrapper;
  rec.outerCfg = outer.cfg;
  if (inner.kind === 'unknown' || inner.wrapper) {
    rec.kind = 'unknown';
    rec.desc.kind = 'unknown';
    rec.desc.wrapper = wrapper;
    rec.desc.unknownReason = inner.desc.unknownReason ?? `tf.layers.${a.op} around ${inner.op} is not modeled.`;
    finishCommon(ctx, rec, outer);
    return rec;
  }
  if (inner.outerCfg) {
    // rnn() inside a wrapper: reuse the rnn record's description.
    Object.assign(rec, { ...inner, id: rec.id, wrapper, desc: { ...inner.desc }, slots: inner.slots, options: inner.options });
  } else {
    const spec = LAYER_FACTORIES[inner.op] ?? { kind: inner.kind, rank: inner.rank };
    describe(ctx, rec, innerView, innerView, spec);
    const decl = declaredInputShape(outer, inner.kind);
    if (decl.present) {
      rec.shape.inputShape = decl.dims;
      if (decl.dims) rec.desc.inputShape = decl.dims;
      else delete rec.desc.inputShape;
    }
    rec.name = inner.name;
  }
  rec.desc.wrapper = wrapper;
  if (wrapper === 'bidirectional') {
    const mm = get(outer, 'mergeMode').v;
    if (mm.k === 'undef' || (mm.k === 'str' && mm.v === 'concat')) rec.mergeFactor = 2;
    else if (mm.k === 'str' && (mm.v === 'sum' || mm.v === 'mul' || mm.v === 'ave')) rec.mergeFactor = 1;
    else rec.mergeFactor = undefined;
    const rs = boolOpt(innerView, 'returnSequences', false);
    rec.shape.returnSequences = inner.outerCfg ? inner.shape.returnSequences : rs;
  }
  const name = get(outer, 'name').v;
  if (name.k === 'str') rec.name = name.v;
  return rec;
}
