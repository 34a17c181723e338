/**
 * The Keras runtime of the interpreter (tf.keras 2 and Keras 3): layers and their initializer / activation
 * arguments, Sequential models (list or .add), the functional API (keras.Input, layer calls, keras.Model,
 * merges), subclassed models (traced through call()), and keras.initializers objects.
 */
import { FRAMEWORK_FACTS } from '../../core/initializers';
import type { ActivationRef, InitializerArgs, InitializerRef, Span } from '../../core/model';
import { type CallArgs, type Interp, argGetter, posArgs } from './interpreter';
import type { FrameworkRuntime } from './runtime';
import {
  KERAS_INIT_CLASSES,
  KERAS_LAYERS,
  type KerasLayerSpec,
  configureKerasLayer,
  inferKeras,
  kerasActivationByName,
  kerasArgValue,
  kerasDefaultSlots,
  kerasInitId,
  shapeOf,
} from './keras';
import { type Node, argListOf, spanOf, stringContentSpan, textOf } from './syntax';
import { isTensor, tensor } from './torch-runtime';
import { activationNode, merge, tensorMethod } from './torch-tensors';
import { type Dim, type GNode, type LayerRec, type ModV, type SlotName, type V, NONE, UNKNOWN, intOf, list, numOf, strOf } from './values';

type TensorV = Extract<V, { k: 'tensor' }>;

export function isKnownKerasPath(p: string): boolean {
  if (p.startsWith('keras.layers.')) return Object.prototype.hasOwnProperty.call(KERAS_LAYERS, p.slice('keras.layers.'.length)) || p === 'keras.layers.Input';
  if (p.startsWith('keras.initializers.')) return Object.prototype.hasOwnProperty.call(KERAS_INIT_CLASSES, p.slice('keras.initializers.'.length));
  return p === 'keras.Sequential' || p === 'keras.Model' || p === 'keras.Input';
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

function lastName(call: Node): Node | undefined {
  const callee = call.name === 'CallExpression' ? call.firstChild : call;
  if (!callee) return undefined;
  if (callee.name === 'VariableName') return callee;
  if (callee.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName') return callee.lastChild;
  return undefined;
}

// -------------------------------------------------------------------------------------------------------------
// Initializers and activations written as arguments

/** keras.initializers.X(...) → an initializer object. */
function initializerObject(ip: Interp, name: string, args: CallArgs, at: Node): V {
  const spec = KERAS_INIT_CLASSES[name];
  const nameNode = lastName(at);
  if (!spec) return UNKNOWN;
  const out: InitializerArgs = {};
  const unknownArgs: string[] = [];
  const get = argGetter(args, spec.positional as string[]);
  const keys = new Set<keyof InitializerArgs>([...spec.positional]);
  for (const k of args.kw.keys()) keys.add(k as keyof InitializerArgs);
  for (const key of keys) {
    const v = get(key);
    if (!v) continue;
    if (!['scale', 'mode', 'distribution', 'minval', 'maxval', 'mean', 'stddev', 'value', 'gain', 'seed'].includes(key)) {
      unknownArgs.push(key);
      continue;
    }
    const x = kerasArgValue(key, v);
    if (x === undefined) {
      if (key !== 'seed') unknownArgs.push(key);
      continue;
    }
    (out as Record<string, unknown>)[key] = x;
  }
  const ref: InitializerRef = {
    framework: 'keras',
    id: spec.id,
    args: out,
    unknownArgs,
    falsyArgs: [],
    explicit: true,
    form: /^[A-Z]/.test(name) ? 'class' : 'factory',
    span: spanOf(at),
    text: short(textOf(ip.text, at)),
  };
  if (nameNode) ref.nameSpan = spanOf(nameNode);
  return { k: 'init', ref };
}

/** The InitializerRef of an initializer argument as written (string, class, instance, config dict). */
function initializerArg(ip: Interp, v: V, valueNode: Node | undefined, propertySpan: Span | undefined): InitializerRef {
  const base = { framework: 'keras' as const, args: {}, unknownArgs: [] as string[], falsyArgs: [], explicit: true };
  const withSpans = (r: InitializerRef): InitializerRef => {
    if (propertySpan) r.propertySpan = propertySpan;
    if (!r.span && valueNode) r.span = spanOf(valueNode);
    if (!r.text && valueNode) r.text = short(textOf(ip.text, valueNode));
    return r;
  };
  if (v.k === 'str') {
    const r: InitializerRef = { ...base, id: kerasInitId(v.v), form: 'string' };
    const lit = v.node ?? valueNode;
    if (lit && lit.name === 'String') {
      r.span = spanOf(lit);
      const c = stringContentSpan(ip.text, lit);
      if (c) r.nameSpan = c;
    }
    return withSpans(r);
  }
  if (v.k === 'init') {
    const r: InitializerRef = { ...v.ref, args: { ...v.ref.args }, unknownArgs: [...v.ref.unknownArgs], falsyArgs: [] };
    // The variable that holds it (build.ts marks sharedVariable when several layers use it).
    if (v.holder) (r as InitializerRef & { __holder?: unknown }).__holder = v.holder;
    return withSpans(r);
  }
  if (v.k === 'ext' && v.path.startsWith('keras.initializers.')) {
    const name = v.path.slice('keras.initializers.'.length);
    const spec = KERAS_INIT_CLASSES[name];
    const r: InitializerRef = { ...base, id: spec?.id, form: 'class' };
    if (valueNode) {
      const n = lastName(valueNode) ?? (valueNode.name === 'VariableName' ? valueNode : undefined);
      if (n) r.nameSpan = spanOf(n);
    }
    return withSpans(r);
  }
  if (v.k === 'dict') {
    const cn = strOf(v.map.get('class_name'));
    const cfg = v.map.get('config');
    const spec = cn ? KERAS_INIT_CLASSES[cn] : undefined;
    const r: InitializerRef = { ...base, id: spec?.id, form: 'serialized' };
    if (cfg?.k === 'dict') {
      for (const [k, x] of cfg.map) {
        const val = kerasArgValue(k as keyof InitializerArgs, x);
        if (val === undefined) {
          if (k !== 'seed') r.unknownArgs.push(k);
        } else (r.args as Record<string, unknown>)[k] = val;
      }
    } else if (cfg) r.unknownArgs.push('config');
    return withSpans(r);
  }
  return withSpans({ ...base, id: undefined, form: 'class' });
}

const TF_ACTIVATIONS: Record<string, string> = {
  relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', gelu: 'gelu', silu: 'silu', swish: 'silu', leaky_relu: 'leaky_relu',
  tanh: 'tanh', sigmoid: 'sigmoid', softmax: 'softmax', softplus: 'softplus', softsign: 'softsign', log_softmax: 'log_softmax',
};

/** The activation an `activation=` argument names. */
function activationArg(ip: Interp, v: V | undefined, valueNode: Node | undefined, dflt: string | undefined): ActivationRef {
  const spans = (r: ActivationRef): ActivationRef => {
    if (valueNode) {
      r.span = spanOf(valueNode);
      r.text = short(textOf(ip.text, valueNode));
    }
    return r;
  };
  if (!v) return dflt ? kerasActivationByName(dflt, false) : { id: 'linear', explicit: false };
  if (v.k === 'none') return spans({ id: 'linear', explicit: true });
  if (v.k === 'str') return spans(kerasActivationByName(v.v, true));
  if (v.k === 'ext') {
    const last = v.path.split('.').pop()!;
    if (v.path.startsWith('keras.activations.')) return spans(kerasActivationByName(last, true));
    if (v.path.startsWith('tensorflow.') && TF_ACTIVATIONS[last]) return spans(kerasActivationByName(TF_ACTIVATIONS[last], true));
    return spans({ id: undefined, explicit: true });
  }
  if (v.k === 'mod' && v.rec?.kind === 'activation' && v.rec.activation) return spans({ ...v.rec.activation, explicit: true });
  return spans({ id: undefined, explicit: true });
}

// -------------------------------------------------------------------------------------------------------------
// Layers

function construct(ip: Interp, className: string, args: CallArgs, at: Node): V {
  const spec: KerasLayerSpec | undefined = Object.prototype.hasOwnProperty.call(KERAS_LAYERS, className) ? KERAS_LAYERS[className] : undefined;
  const argList = argListOf(at);
  if (!spec) {
    const rec = ip.newRec('keras', 'unknown', className, `keras.layers.${className}`, at, argList);
    rec.unknownReason = `${className} is not modelled`;
    return ip.newMod('leaf', 'keras', at, rec);
  }
  const get = argGetter(args, spec.params);
  if (spec.kind === 'bidirectional' || spec.kind === 'timeDistributed') {
    const inner = get('layer');
    if (inner?.k !== 'mod' || !inner.rec) {
      const rec = ip.newRec('keras', 'unknown', className, `keras.layers.${className}`, at, argList);
      rec.unknownReason = `${className} of an unknown layer`;
      return ip.newMod('leaf', 'keras', at, rec);
    }
    const rec = inner.rec;
    inner.adopted = true;
    if (spec.kind === 'bidirectional') {
      rec.wrapper = 'bidirectional';
      const mm = get('merge_mode');
      const mode = mm ? (mm.k === 'none' ? 'none' : strOf(mm)) : 'concat';
      rec.mergeFactor = mode === 'concat' ? 2 : mode === 'sum' || mode === 'ave' || mode === 'mul' ? 1 : undefined;
      rec.bidirectional = true;
    } else rec.wrapper = 'timeDistributed';
    return ip.newMod('leaf', 'keras', at, rec);
  }
  const rec = ip.newRec('keras', spec.kind, className, `keras.layers.${className}`, at, argList);
  configureKerasLayer(rec, spec, get);
  kerasDefaultSlots(rec);
  if (spec.unknown) rec.unknownReason = spec.unknown;
  const nodes = (name: string): { value?: Node; prop?: Span } => {
    const kw = args.kwNodes.get(name);
    if (kw) return { value: kw.value, prop: { start: kw.name.from, end: kw.value.to } };
    const i = spec.params.indexOf(name);
    const p = i >= 0 ? args.posNodes[i] : undefined;
    return p ? { value: p, prop: spanOf(p) } : {};
  };
  for (const [slot, kwName] of Object.entries(spec.slots ?? {}) as [SlotName, string][]) {
    const v = get(kwName);
    if (!v) continue;
    const n = nodes(kwName);
    rec.layers[0].slots[slot] = initializerArg(ip, v, n.value, n.prop);
  }
  // Activations.
  if (spec.kind === 'activation') rec.activation = activationLayer(ip, spec, get, nodes);
  else if (spec.params.includes('activation')) {
    const rnn = spec.kind === 'simpleRNN' || spec.kind === 'lstm' || spec.kind === 'gru';
    rec.activation = activationArg(ip, get('activation'), nodes('activation').value, rnn ? 'tanh' : undefined);
    if (spec.kind === 'lstm' || spec.kind === 'gru') {
      const ra = args.kw.get('recurrent_activation');
      rec.recurrentActivation = activationArg(ip, ra, args.kwNodes.get('recurrent_activation')?.value, FRAMEWORK_FACTS.keras.recurrentActivation);
    }
  }
  // Input shape and name.
  const is = args.kw.get('input_shape');
  const bis = args.kw.get('batch_input_shape');
  const idim = args.kw.get('input_dim');
  if (is) rec.inputShape = shapeOf(is);
  else if (bis) rec.inputShape = shapeOf(bis)?.slice(1);
  else if (idim) rec.inputShape = [intOf(idim)];
  if (spec.kind === 'input') rec.inputShape = shapeOf(args.kw.get('input_shape') ?? args.kw.get('shape') ?? args.pos[0]) ?? shapeOf(args.kw.get('batch_shape'))?.slice(1);
  const name = strOf(args.kw.get('name'));
  if (name !== undefined) rec.name = name;
  return ip.newMod('leaf', 'keras', at, rec);
}

function activationLayer(
  ip: Interp,
  spec: KerasLayerSpec,
  get: (name: string) => V | undefined,
  nodes: (name: string) => { value?: Node },
): ActivationRef {
  const num = (name: string, dflt: number) => {
    const v = get(name);
    return v ? numOf(v) : dflt;
  };
  switch (spec.act) {
    case 'param':
      return activationArg(ip, get('activation'), nodes('activation').value, undefined);
    case 'relu': {
      const max = get('max_value');
      const slope = num('negative_slope', 0);
      const threshold = num('threshold', 0);
      if (slope === undefined || threshold === undefined || threshold !== 0) return { id: undefined, explicit: true };
      if (max && max.k !== 'none') {
        return numOf(max) === 6 && slope === 0 ? { id: 'relu6', explicit: true } : { id: undefined, explicit: true };
      }
      return slope > 0 ? { id: 'leakyRelu', alpha: slope, explicit: true } : { id: 'relu', explicit: true };
    }
    case 'leaky_relu': {
      const v = get('negative_slope') ?? get('alpha');
      const a = v ? numOf(v) : FRAMEWORK_FACTS.keras.leakyReluLayerAlpha;
      return a === undefined ? { id: undefined, explicit: true } : { id: 'leakyRelu', alpha: a, explicit: true };
    }
    case 'prelu': {
      const v = get('alpha_initializer');
      if (!v) return { id: 'prelu', alpha: FRAMEWORK_FACTS.keras.preluAlphaInit, explicit: true };
      const ref = initializerArg(ip, v, undefined, undefined);
      if (ref.id === 'zeros') return { id: 'prelu', alpha: 0, explicit: true };
      if (ref.id === 'ones') return { id: 'prelu', alpha: 1, explicit: true };
      if (ref.id === 'constant' && !ref.unknownArgs.length) return { id: 'prelu', alpha: ref.args.value ?? 0, explicit: true };
      return { id: undefined, explicit: true };
    }
    case 'elu': {
      const a = num('alpha', 1);
      return a === undefined ? { id: undefined, explicit: true } : { id: 'elu', alpha: a, explicit: true };
    }
    case 'softmax':
      return { id: 'softmax', explicit: true };
    default:
      return { id: undefined, explicit: true };
  }
}

// -------------------------------------------------------------------------------------------------------------
// Models

function sequential(ip: Interp, args: CallArgs, at: Node): V {
  const m = ip.newMod('kseq', 'keras', at);
  const l = args.pos[0] ?? args.kw.get('layers');
  const name = strOf(args.kw.get('name'));
  if (name !== undefined) m.name = name;
  if (!l || l.k === 'none') return m;
  const items = ip.iterate(l, at);
  if (!items) {
    ip.put(m.attrs as Map<string, unknown>, '__unknownChildren__', { k: 'bool', v: true });
    return m;
  }
  for (const it of items) addToSequential(ip, m, it);
  return m;
}

function addToSequential(ip: Interp, m: ModV, it: V): void {
  if (it.k === 'mod') ip.register(m, String(m.children.size), it);
  else if (isTensor(it) && it.node.kind === 'input' && m.children.size === 0) ip.put(m.attrs as Map<string, unknown>, '__input__', it);
  else ip.put(m.attrs as Map<string, unknown>, '__unknownChildren__', { k: 'bool', v: true });
}

/** The input node of a Sequential model: its keras.Input, or one shaped by input_shape= / build(). */
export function sequentialInput(ip: Interp, m: ModV, at: Node): GNode {
  const explicit = m.attrs.get('__input__');
  if (explicit && isTensor(explicit)) return explicit.node;
  const first = [...m.children.values()][0];
  let dims: Dim[] | undefined = first?.rec?.inputShape;
  let explicitLayer = false;
  if (first?.rec?.kind === 'input') explicitLayer = true;
  if (!dims && m.buildShape) dims = m.buildShape.slice(1);
  const g = ip.newInput(first?.rec?.kind === 'input' ? first.rec.call : at, dims ? { dims, feat: dims[dims.length - 1] } : {}, dims);
  g.op = explicitLayer ? 'InputLayer' : '__implicit_input__';
  return g;
}

function functionalModel(ip: Interp, args: CallArgs, at: Node): V {
  const ins = args.kw.get('inputs') ?? args.pos[0];
  const outs = args.kw.get('outputs') ?? args.pos[1];
  if (!ins || !outs) return UNKNOWN;
  const m = ip.newMod('kfunc', 'keras', at);
  m.kin = ip.tensorsOf(ins);
  m.kout = ip.tensorsOf(outs);
  const name = strOf(args.kw.get('name'));
  if (name !== undefined) m.name = name;
  if (!m.kout.length) ip.put(m.attrs as Map<string, unknown>, '__unknownChildren__', { k: 'bool', v: true });
  return m;
}

function inputTensor(ip: Interp, args: CallArgs, at: Node): V {
  const shape = shapeOf(args.kw.get('shape') ?? args.pos[0]) ?? shapeOf(args.kw.get('batch_shape'))?.slice(1);
  const g = ip.newInput(at, shape ? { dims: shape, feat: shape[shape.length - 1] } : {}, shape);
  g.op = 'Input';
  const name = strOf(args.kw.get('name'));
  if (name !== undefined) g.name = name;
  return tensor(g);
}

// -------------------------------------------------------------------------------------------------------------
// Calls

export function callKerasExt(ip: Interp, path: string, args: CallArgs, at: Node): V {
  if (path === 'keras.Sequential') return sequential(ip, args, at);
  if (path === 'keras.Model') return functionalModel(ip, args, at);
  if (path === 'keras.Input' || path === 'keras.layers.Input') return inputTensor(ip, args, at);
  if (path.startsWith('keras.layers.')) {
    const name = path.slice('keras.layers.'.length);
    if (/^[A-Z]/.test(name)) return construct(ip, name, args, at);
    return layerFunction(ip, name, args, at);
  }
  if (path.startsWith('keras.initializers.')) return initializerObject(ip, path.slice('keras.initializers.'.length), args, at);
  const tensors = [...args.pos, ...args.kw.values()].flatMap((v) => (v.k === 'list' ? v.items : [v])).filter(isTensor);
  if (!tensors.length) return UNKNOWN;
  const last = path.split('.').pop()!;
  const x = args.pos[0];
  if (path.startsWith('keras.activations.') || ((path.startsWith('tensorflow.nn.') || path.startsWith('keras.ops.') || path.startsWith('tensorflow.math.') || path.startsWith('tensorflow.')) && TF_ACTIVATIONS[last])) {
    if (isTensor(x)) {
      if (x.role) return x;
      const ref = kerasActivationByName(TF_ACTIVATIONS[last] ?? last, true);
      ref.span = spanOf(at);
      ref.text = short(textOf(ip.text, at));
      const alpha = args.kw.get('alpha') ?? args.kw.get('negative_slope');
      if (alpha) {
        const a = numOf(alpha);
        if (a === undefined) ref.id = undefined;
        else ref.alpha = a;
      }
      return activationNode(ip, path.replace(/^tensorflow\./, 'tf.'), ref, x, at);
    }
  }
  if (last === 'concat' || last === 'concatenate' || last === 'stack') {
    const l = args.pos[0] ?? args.kw.get('values');
    if (l?.k === 'list' && !l.anyLen && l.items.every(isTensor)) return merge(ip, 'concatenate', last, l.items as TensorV[], at);
  }
  if (last === 'add' && args.pos.length >= 2 && isTensor(args.pos[0]) && isTensor(args.pos[1])) return merge(ip, 'add', 'add', [args.pos[0], args.pos[1]], at);
  if (last === 'add_n') {
    const l = args.pos[0];
    if (l?.k === 'list' && !l.anyLen && l.items.every(isTensor)) return merge(ip, 'add', 'add_n', l.items as TensorV[], at);
  }
  if (isTensor(x) && ['reshape', 'expand_dims', 'squeeze', 'transpose', 'cast', 'identity', 'stop_gradient'].includes(last)) return x;
  if (isTensor(x)) return tensorMethod(ip, x, last, { ...args, pos: args.pos.slice(1), posNodes: args.posNodes.slice(1) }, at);
  return ip.unknownNode(last, `${path} is not modelled`, tensors, at);
}

/** keras.layers.add([...]), concatenate([...]) and the other functional merge helpers. */
function layerFunction(ip: Interp, name: string, args: CallArgs, at: Node): V {
  const l = args.pos[0] ?? args.kw.get('inputs');
  const items = l?.k === 'list' && !l.anyLen ? l.items : undefined;
  if (!items) return UNKNOWN;
  if (!items.every(isTensor)) return ip.unknownNode(name, `${name} of unknown tensors`, items, at);
  if (name === 'add') return merge(ip, 'add', 'add', items as TensorV[], at);
  if (name === 'concatenate') return merge(ip, 'concatenate', 'concatenate', items as TensorV[], at);
  return ip.unknownNode(name, `${name} is not modelled`, items, at);
}

export function callKerasModule(ip: Interp, m: ModV, args: CallArgs, at: Node): V {
  const x = args.pos[0] ?? args.kw.get('inputs');
  if (!x) return UNKNOWN;
  if (m.type === 'user') {
    const call = ip.findMethod(m.cls, 'call');
    if (call) return ip.callFunction(call, args, m, at);
    return ip.unknownNode(m.cls?.name ?? 'layer', `${m.cls?.name ?? 'this layer'} has no call()`, [x], at);
  }
  if (m.type === 'kseq') {
    if (!isTensor(x)) return UNKNOWN;
    if (m.attrs.get('__unknownChildren__')) return ip.unknownNode('Sequential', 'the layers of this Sequential model are unknown', [x], at);
    let cur: V = x;
    let i = 0;
    for (const c of m.children.values()) {
      if (i++ === 0 && c.rec?.kind === 'input') continue;
      if (!isTensor(cur)) return cur;
      cur = callKerasModule(ip, c, posArgs([cur]), at);
    }
    return cur;
  }
  if (m.type === 'kfunc') return replay(ip, m, x, at);
  const rec = m.rec;
  if (!rec) return UNKNOWN;
  const ins = x.k === 'list' && !x.anyLen ? x.items : [x];
  if (!ins.every(isTensor)) return UNKNOWN;
  const tensors = ins as TensorV[];
  if (rec.kind === 'input') return tensors[0];
  if (rec.kind === 'unknown') {
    const g = ip.newNode('unknown', rec.op, tensors.map((t) => t.node), spanOf(rec.call), rec);
    g.unknownReason = rec.unknownReason ?? `${rec.op} is not modelled`;
    return tensor(g);
  }
  const g = kerasLayerNode(ip, rec, tensors.map((t) => t.node));
  const t = tensor(g);
  if ((rec.kind === 'lstm' || rec.kind === 'gru' || rec.kind === 'simpleRNN') && args.kw.get('return_state') === undefined) {
    const rsArg = rec.args ? textOf(ip.text, rec.args) : '';
    if (/return_state\s*=\s*True/.test(rsArg)) return list(rec.kind === 'lstm' ? [t, t, t] : [t, t], false);
  }
  return t;
}

export function kerasLayerNode(ip: Interp, rec: LayerRec, inputs: GNode[]): GNode {
  const g = ip.newNode(rec.kind, rec.op, inputs, spanOf(rec.call), rec);
  const inf = inferKeras(rec, inputs.map((i) => i.out));
  g.out = inf.out;
  if (inf.inFeatures !== undefined) g.inFeatures = inf.inFeatures;
  if (inf.outFeatures !== undefined) g.outFeatures = inf.outFeatures;
  if (inf.timeSteps !== undefined) g.timeSteps = inf.timeSteps;
  return g;
}

/** A functional model called on new tensors: its graph, copied onto them. */
function replay(ip: Interp, m: ModV, x: V, at: Node): V {
  const ins = (x.k === 'list' && !x.anyLen ? x.items : [x]).filter(isTensor) as TensorV[];
  const kin = m.kin ?? [];
  const kout = m.kout ?? [];
  if (!kout.length || ins.length !== kin.length) return ip.unknownNode('Model', 'a functional model called on unknown inputs', ins, at);
  m.adopted = true;
  const map = new Map<GNode, GNode>();
  kin.forEach((g, i) => map.set(g, ins[i].node));
  const order: GNode[] = [];
  const seen = new Set<GNode>();
  const stack: GNode[] = [...kout];
  while (stack.length) {
    const g = stack.pop()!;
    if (seen.has(g) || map.has(g)) continue;
    seen.add(g);
    order.push(g);
    stack.push(...g.inputs);
  }
  order.sort((a, b) => a.id - b.id);
  for (const g of order) {
    const ng = ip.newNode(g.kind, g.op, g.inputs.map((i) => map.get(i) ?? i), g.span, g.rec);
    Object.assign(ng, { ...g, id: ng.id, inputs: ng.inputs });
    if (g.rec) {
      const inf = inferKeras(g.rec, ng.inputs.map((i) => i.out));
      ng.out = inf.out;
      if (inf.inFeatures !== undefined) ng.inFeatures = inf.inFeatures;
      if (inf.outFeatures !== undefined) ng.outFeatures = inf.outFeatures;
    }
    map.set(g, ng);
  }
  const outs = kout.map((g) => tensor(map.get(g) ?? g));
  return outs.length === 1 ? outs[0] : list(outs, false);
}

const MODEL_METHODS = new Set(['add', 'build', 'compile', 'fit', 'summary', 'evaluate', 'predict', 'save', 'load_weights', 'pop', 'get_layer', 'set_weights', 'get_weights', 'call', '__call__', 'save_weights', 'train_on_batch', 'to_json', 'get_config']);

export function kerasModuleAttr(ip: Interp, m: ModV, name: string, at: Node): V {
  void at;
  if (name === 'layers') return list([...m.children.values()]);
  if (name === 'input' && m.kin) return m.kin.length === 1 ? tensor(m.kin[0]) : list(m.kin.map((g) => tensor(g)));
  if (name === 'output' && m.kout) return m.kout.length === 1 ? tensor(m.kout[0]) : list(m.kout.map((g) => tensor(g)));
  if (name === 'trainable' || name === 'training') return UNKNOWN;
  if (MODEL_METHODS.has(name)) return { k: 'method', self: m, name };
  void ip;
  return UNKNOWN;
}

/** model[i] is not Keras API (model.layers[i] is, through the `layers` attribute). */
export function kerasModuleItem(ip: Interp, m: ModV, idx: V, at: Node): V {
  void ip;
  void m;
  void idx;
  void at;
  return UNKNOWN;
}

export function kerasModuleMethod(ip: Interp, m: ModV, name: string, args: CallArgs, at: Node): V {
  const a = args.pos[0];
  switch (name) {
    case 'add':
      if (m.type === 'kseq' && a) addToSequential(ip, m, a);
      return NONE;
    case 'pop': {
      const keys = [...m.children.keys()];
      if (keys.length) ip.remove(m.children as Map<string, unknown>, keys[keys.length - 1]);
      return NONE;
    }
    case 'build': {
      const s = a ? shapeOf(a) : undefined;
      if (s) m.buildShape = s;
      return NONE;
    }
    case 'call':
    case '__call__':
      return callKerasModule(ip, m, args, at);
    case 'compile':
    case 'fit':
    case 'summary':
    case 'save':
    case 'save_weights':
      return NONE;
    case 'load_weights':
    case 'set_weights':
      ip.note('weights are loaded (load_weights / set_weights): the initialization described is the one before loading');
      return NONE;
    default:
      return UNKNOWN;
  }
}

export function isKerasInstance(ip: Interp, m: ModV, path: string): boolean | undefined {
  void ip;
  if (!path.startsWith('keras.')) return path.startsWith('torch.') ? false : undefined;
  if (path === 'keras.layers.Layer' || path === 'keras.Layer') return true;
  if (path === 'keras.Model') return m.type !== 'leaf';
  if (path === 'keras.Sequential') return m.type === 'kseq';
  if (m.rec) return m.rec.cls === path;
  return false;
}

/** The Keras runtime as the interpreter sees it (runtime.ts). */
export const kerasRuntime: FrameworkRuntime = {
  forwardMethod: 'call',
  traceInputShape: (m) => (m.buildShape ? { dims: m.buildShape.slice(1), feat: m.buildShape[m.buildShape.length - 1] } : {}),
  missingForwardNote: () => undefined,
  callModule: callKerasModule,
  moduleAttr: kerasModuleAttr,
  moduleItem: kerasModuleItem,
  moduleMethod: kerasModuleMethod,
  isInstance: isKerasInstance,
};
