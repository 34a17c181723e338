/**
 * The `tf` namespace as the tfjs interpreter models it: `tf.layers.*` factories and layer classes,
 * `tf.initializers.*`, `tf.sequential` / `tf.model` / `tf.input` (models and the symbolic graph of the
 * functional API), and the core API (`tf.variable(tf.randomNormal(…))`, `tf.matMul`, `.add`, `.relu()`),
 * recorded as the model records of values.ts. The interpreter (interpreter.ts) evaluates the code and calls
 * in here for every call on the namespace, as the Python interpreter calls its runtimes.
 */
import { ts } from 'ts-morph';
import type { InitializerRef } from '../../core/model';
import { type LayerCtx, createLayer, newRec } from './layers';
import {
  CORE_ACTIVATIONS,
  CORE_INIT_OPS,
  CORE_UNMODELED_OPS,
  INITIALIZER_FACTORIES,
  INITIALIZER_ID_BY_CLASS,
  LAYER_CLASSES,
  LAYER_FACTORIES,
  TF_LAYERS_CLASSES,
  factoryForClass,
} from './tables';
import { LIMITS } from './interpreter';
import { assignedName, stripOuter } from './syntax';
import { layerCapNote } from '../shared/model-builder';
import { type CoreGraph, type CTensorV, type FnV, type GNode, type LayerRec, type ModelRec, type SymV, type UnknownV, type V, SPREAD, UNDEF, UNKNOWN, spanOf } from './values';

const { isArrowFunction, isCallExpression, isFunctionDeclaration, isFunctionExpression, isIdentifier, isMethodDeclaration } = ts;

/** What the runtime needs of the interpreter. */
export interface TfHost extends LayerCtx {
  readonly sf: ts.SourceFile;
  /** Every model the file builds, in order. */
  readonly models: ModelRec[];
  /** Counters: model ids, graph-node ids, and changes to models (for the notes of loops and budgets). */
  modelSeq: number;
  graphSeq: number;
  mutationSeq: number;
  /** Stand-alone runs in progress (innermost last). */
  readonly standalone: { fnName: string; usedDefaults: boolean }[];
  /** Lines of the undecided conditions being explored (innermost last). */
  readonly uncertain: number[];
  line(node: ts.Node): number;
  shortText(node: ts.Node): string;
  reasonOf(v: UnknownV): string | undefined;
  callFn(fn: FnV, args: V[], thisV: V | undefined, callNode: ts.Node | undefined, standalone: boolean): V;
  fnNameFromContext(decl: ts.Node): string | undefined;
  unknownCall(node: ts.Node, args: V[]): V;
}

export function callNs(ip: TfHost, path: string[], args: V[], node: ts.Node, nameNode: ts.Node | undefined, isNew: boolean): V {
  if (path.length === 0) return UNKNOWN;
  const [p0, p1] = path;
  if (p0 === 'layers') {
    if (path.length === 2) return makeLayer(ip, p1, args, node, isNew);
    return UNKNOWN;
  }
  if (p0 === 'initializers' && path.length === 2) return makeInit(ip, p1, args, node, nameNode, isNew, false);
  if (p0 === '#initClasses' && path.length === 2) return makeInit(ip, p1, args, node, nameNode, isNew, true);
  if (p0 === '#layerClasses' && path.length === 2) {
    const factory = factoryForClass(p1);
    if (!factory || !LAYER_CLASSES.has(p1)) return unknownLayer(ip, p1, node, args[0], `${p1} is not a TensorFlow.js layer class the analyzer knows.`);
    return makeLayer(ip, factory, args, node, isNew, p1);
  }
  if (path.length !== 1) return UNKNOWN;
  switch (p0) {
    case 'sequential':
      return makeSequential(ip, args[0], node);
    case 'model':
      return makeFunctional(ip, args[0], node);
    case 'input':
      return makeInput(ip, args[0], node);
    case 'variable': {
      const init = args[0];
      if (init && init.k === 'tinit') return { k: 'tvar', init, shape: init.shape, node };
      if (init && init.k === 'tvar') return init;
      return { k: 'tvar', node };
    }
    case 'tidy': {
      const fn = [...args].reverse().find((a) => a.k === 'fn');
      return fn && fn.k === 'fn' ? ip.callFn(fn, [], UNDEF, node, false) : UNKNOWN;
    }
    case 'keep':
      return args[0] ?? UNDEF;
    case 'scalar':
      return args[0] && args[0].k === 'num' ? args[0] : UNKNOWN;
    case 'matMul':
      return coreMatMul(ip, args[0] ?? UNKNOWN, args[1] ?? UNKNOWN, node, args[2], args[3]);
    case 'add':
      return coreAdd(ip, args[0] ?? UNKNOWN, args[1] ?? UNKNOWN, node);
    case 'mul':
    case 'div':
      return coreScale(ip, p0, args[0] ?? UNKNOWN, args[1] ?? UNKNOWN, node);
    case 'dropout':
      return coreDropout(ip, args[0] ?? UNKNOWN, args[1], node);
    case 'reshape':
    case 'flatten':
      return args[0] && args[0].k === 'ct' ? args[0] : UNKNOWN;
  }
  if (CORE_ACTIVATIONS[p0]) return coreActivation(ip, args[0] ?? UNKNOWN, p0, node, args[1]);
  if (CORE_INIT_OPS[p0]) return coreInit(ip, p0, args, node, nameNode);
  if (CORE_UNMODELED_OPS.has(p0) && args[0]?.k === 'ct') return coreUnmodeled(ip, args[0], p0, node);
  return UNKNOWN;
}

function unknownLayer(ip: TfHost, op: string, node: ts.Node, cfg: V | undefined, reason: string): V {
  const rec = createLayer(ip, { op, spec: undefined, cfgArg: cfg, callNode: node, unknownReason: reason });
  return { k: 'layer', rec, node };
}

function makeLayer(ip: TfHost, op: string, args: V[], node: ts.Node, isNew: boolean, className?: string): V {
  const spec = LAYER_FACTORIES[op];
  if (!className && /^[A-Z]/.test(op)) {
    if (op === 'RNN' && isNew) return makeLayer(ip, 'rnn', args, node, false);
    const reason = LAYER_CLASSES.has(op) || TF_LAYERS_CLASSES.has(op)
      ? `tf.layers.${op} is not exported by TensorFlow.js as a layer class (use the factory tf.layers.${factoryForClass(op) ?? op}).`
      : `tf.layers.${op} is not a TensorFlow.js layer.`;
    if (LAYER_CLASSES.has(op)) ip.problem(`tfjs throws a TypeError: ${reason}`, node);
    return unknownLayer(ip, op, node, args[0], reason);
  }
  if (!spec) return unknownLayer(ip, op, node, args[0], `tf.layers.${op} is not a TensorFlow.js layer.`);
  const rec = createLayer(ip, { op: className ?? op, spec, cfgArg: args[0], callNode: node });
  if (className) {
    // Class names map to the factory's semantics (activation layers are keyed by factory name too).
    rec.op = className;
  }
  return { k: 'layer', rec, node };
}

function makeInit(ip: TfHost, name: string, args: V[], node: ts.Node, nameNode: ts.Node | undefined, isNew: boolean, classModule: boolean): V {
  if (classModule) {
    const id = INITIALIZER_ID_BY_CLASS[name];
    return { k: 'init', name, id, form: 'class', nameNode, args, node, problem: id ? undefined : `${name} is not a TensorFlow.js initializer class.` };
  }
  if (INITIALIZER_FACTORIES.has(name)) return { k: 'init', name, id: name, form: 'factory', nameNode, args, node };
  const clsId = INITIALIZER_ID_BY_CLASS[name];
  if (clsId) {
    return {
      k: 'init',
      name,
      id: undefined,
      form: isNew ? 'class' : 'factory',
      nameNode,
      args,
      node,
      problem: `tfjs throws a TypeError: tf.initializers.${name} is not exported (use the factory tf.initializers.${clsId}).`,
    };
  }
  return { k: 'init', name, id: undefined, form: isNew ? 'class' : 'factory', nameNode, args, node, problem: `tfjs throws: tf.initializers.${name} does not exist.` };
}

function newModel(ip: TfHost, kind: ModelRec['kind'], node: ts.Node, nameHint?: string): ModelRec {
  const name = assignedName(node) ?? nameHint ?? `model@${ip.line(node)}`;
  const m: ModelRec = {
    id: ++ip.modelSeq,
    kind,
    name,
    callNode: node,
    seq: [],
    inputs: [],
    outputs: [],
    notes: [],
    uncertainLines: new Set(),
    lastMutation: ++ip.mutationSeq,
  };
  const sa = ip.standalone[ip.standalone.length - 1];
  if (sa?.usedDefaults) m.notes.push(`Built with the default arguments of ${sa.fnName}, which is not called in this file.`);
  if (ip.uncertain.length) m.uncertainLines.add(ip.uncertain[ip.uncertain.length - 1]);
  ip.models.push(m);
  return m;
}

function touch(ip: TfHost, m: ModelRec): void {
  m.lastMutation = ++ip.mutationSeq;
  if (ip.uncertain.length) m.uncertainLines.add(ip.uncertain[ip.uncertain.length - 1]);
}

/** The `name` a model's config declares (`tf.sequential({name: 'mlp'})`): the name users know it by. */
function declaredName(ip: TfHost, m: ModelRec, cfg: V | undefined): void {
  const name = cfg && cfg.k === 'obj' ? cfg.props.get('name')?.v : undefined;
  if (name && name.k === 'str' && name.v.trim()) m.name = name.v;
}

function makeSequential(ip: TfHost, cfg: V | undefined, node: ts.Node): V {
  const m = newModel(ip, 'sequential', node);
  declaredName(ip, m, cfg);
  if (cfg && cfg.k === 'obj') {
    const layers = cfg.props.get('layers')?.v ?? (cfg.open ? UNKNOWN : UNDEF);
    if (layers.k === 'arr') {
      for (const it of layers.items) modelAdd(ip, m, it, node, true);
      if (layers.open && !layers.items.some((x) => x.k === 'unknown' && x.reason === SPREAD))
        m.seq.push({ unknown: 'More layers of this list could not be resolved.', node, op: 'unknown' });
      if (layers.notes) for (const n of layers.notes) if (!m.notes.includes(n)) m.notes.push(n);
    } else if (layers.k !== 'undef' && layers.k !== 'null') {
      m.seq.push({ unknown: (layers.k === 'unknown' && ip.reasonOf(layers)) || 'The layers of tf.sequential could not be resolved.', node, op: 'unknown' });
      if (layers.k === 'unknown' && layers.note && !m.notes.includes(layers.note)) m.notes.push(layers.note);
    }
  } else if (cfg && cfg.k !== 'undef' && cfg.k !== 'null') {
    m.seq.push({ unknown: 'The configuration of tf.sequential could not be resolved.', node, op: 'unknown' });
  }
  return { k: 'model', m, node };
}

/** Whether a model with `count` layers is full (LIMITS.layersPerModel); the first time, its notes say so. */
function isFull(m: ModelRec | undefined, count: number): boolean {
  if (count < LIMITS.layersPerModel) return false;
  if (m && !m.capped) {
    m.capped = true;
    m.notes.push(layerCapNote(LIMITS.layersPerModel));
  }
  return true;
}

export function modelAdd(ip: TfHost, m: ModelRec, v: V, node: ts.Node, initial = false): void {
  if (!initial) touch(ip, m);
  if (isFull(m, m.seq.length)) return;
  if (v.k === 'layer') m.seq.push({ rec: v.rec });
  else if (v.k === 'model') m.seq.push({ unknown: 'A nested model is not analyzed as a layer.', node: v.node ?? node, op: 'model' });
  else {
    let argNode: ts.Node = node;
    if (isCallExpression(node) && node.arguments[0] && !initial) argNode = stripOuter(node.arguments[0]);
    const reason = (v.k === 'unknown' ? ip.reasonOf(v) : undefined) ?? `${ip.shortText(argNode)} could not be resolved to a layer.`;
    const op = isCallExpression(argNode) ? ip.shortText(argNode.expression) : 'unknown';
    m.seq.push({ unknown: reason, node: v.k === 'unknown' && v.reason === SPREAD ? node : argNode, op });
    if (v.k === 'unknown' && v.note && !m.notes.includes(v.note)) m.notes.push(v.note);
  }
}

function makeInput(ip: TfHost, cfg: V | undefined, node: ts.Node): V {
  const rec = createLayer(ip, { op: 'input', spec: LAYER_FACTORIES.input, cfgArg: cfg, callNode: node });
  const g: GNode = { id: ++ip.graphSeq, rec, inputs: [], applyNode: node };
  return { k: 'sym', g, node };
}

export function applyLayer(ip: TfHost, rec: LayerRec, x: V | undefined, node: ts.Node): V {
  if (!x) return UNKNOWN;
  const ins: GNode[] = [];
  if (x.k === 'sym') ins.push(x.g);
  else if (x.k === 'arr' && !x.open && x.items.length && x.items.every((i) => i.k === 'sym')) ins.push(...x.items.map((i) => (i as SymV).g));
  else if (x.k === 'arr' && x.items.some((i) => i.k === 'sym')) {
    // Some inputs are symbolic, others unknown: keep the node with the known inputs, marked.
    ins.push(...x.items.filter((i): i is SymV => i.k === 'sym').map((i) => i.g));
    const g: GNode = { id: ++ip.graphSeq, rec: markUnknownInputs(ip, rec), inputs: ins, applyNode: node };
    return { k: 'sym', g, node };
  } else return UNKNOWN; // eager apply on a concrete tensor, or unknown input
  const g: GNode = { id: ++ip.graphSeq, rec, inputs: ins, applyNode: node };
  return { k: 'sym', g, node };
}

function markUnknownInputs(ip: TfHost, rec: LayerRec): LayerRec {
  return { ...rec, desc: { ...rec.desc, unknownReason: 'Some inputs of this layer could not be resolved.' } };
}

export function applyModel(ip: TfHost, x: V | undefined, node: ts.Node): V {
  if (!x || x.k !== 'sym') return UNKNOWN;
  const rec = newRec(ip, 'model', 'unknown', node, undefined);
  rec.desc.unknownReason = 'A nested model is not analyzed as a layer.';
  const g: GNode = { id: ++ip.graphSeq, rec, inputs: [x.g], applyNode: node };
  return { k: 'sym', g, node };
}

function makeFunctional(ip: TfHost, cfg: V | undefined, node: ts.Node): V {
  const m = newModel(ip, 'functional', node);
  declaredName(ip, m, cfg);
  const syms = (v: V | undefined): { nodes: GNode[]; missing: boolean } => {
    if (!v || v.k === 'undef') return { nodes: [], missing: true };
    if (v.k === 'sym') return { nodes: [v.g], missing: false };
    if (v.k === 'arr') {
      const nodes = v.items.filter((i): i is SymV => i.k === 'sym').map((i) => i.g);
      return { nodes, missing: v.open || nodes.length !== v.items.length };
    }
    return { nodes: [], missing: true };
  };
  const c = cfg && cfg.k === 'obj' ? cfg : undefined;
  const ins = syms(c ? c.props.get('inputs')?.v ?? (c.open ? UNKNOWN : UNDEF) : UNKNOWN);
  const outs = syms(c ? c.props.get('outputs')?.v ?? (c.open ? UNKNOWN : UNDEF) : UNKNOWN);
  m.inputs = ins.nodes;
  m.outputs = outs.nodes;
  if (outs.missing) m.notes.push('Some outputs of the model could not be resolved; the description is incomplete.');
  else if (ins.missing) m.notes.push('Some inputs of the model could not be resolved.');
  return { k: 'model', m, node };
}

// ------------------------------------------------------------------------------------------------------
// Core API: tf.variable(tf.randomNormal(...)), tf.matMul, .add, .relu()

function coreInit(ip: TfHost, op: string, args: V[], node: ts.Node, nameNode: ts.Node | undefined): V {
  const spec = CORE_INIT_OPS[op];
  const shapeV = args[0];
  let shape: (number | undefined)[] | undefined;
  if (shapeV && shapeV.k === 'arr' && !shapeV.open) shape = shapeV.items.map((x) => (x.k === 'num' ? x.v : undefined));
  const ref: InitializerRef = {
    framework: 'tfjs',
    id: spec.id,
    args: { ...spec.defaults },
    unknownArgs: [],
    falsyArgs: [],
    explicit: true,
    form: 'call',
    span: spanOf(node, ip.sf),
    text: ip.shortText(node),
  };
  if (nameNode) ref.nameSpan = spanOf(nameNode, ip.sf);
  spec.params.forEach((p, i) => {
    const v = args[i + 1];
    if (!v || v.k === 'undef') return;
    if (v.k === 'num') (ref.args as Record<string, number>)[p] = v.v;
    else {
      delete (ref.args as Record<string, number>)[p];
      ref.unknownArgs.push(p);
    }
  });
  if (op === 'fill' && ref.args.value === undefined && !ref.unknownArgs.includes('value')) ref.unknownArgs.push('value');
  // randomNormal / truncatedNormal: seed 0 means "no seed" (rand_util.ts:64).
  const seed = args[4];
  if (seed && seed.k === 'num') {
    ref.args.seed = seed.v;
    if (seed.v === 0 && (op === 'randomNormal' || op === 'truncatedNormal') && seed.node) ref.falsyArgs.push({ name: 'seed', span: spanOf(seed.node, ip.sf) });
  }
  return { k: 'tinit', ref, shape, node };
}

function weightOf(ip: TfHost, v: V): { ref: InitializerRef; shape?: (number | undefined)[] } | undefined {
  if (v.k === 'tinit') return { ref: v.ref, shape: v.shape };
  if (v.k === 'tvar') {
    if (v.init) return { ref: v.init.ref, shape: v.init.shape };
    return {
      ref: { framework: 'tfjs', id: undefined, args: {}, unknownArgs: [], falsyArgs: [], explicit: true, form: 'call', span: v.node ? spanOf(v.node, ip.sf) : undefined },
      shape: v.shape,
    };
  }
  return undefined;
}

function newCoreGraph(ip: TfHost, node: ts.Node): CoreGraph {
  const g: CoreGraph = { id: ++ip.graphSeq, nodes: [], startNode: node };
  let name: string | undefined;
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (isFunctionDeclaration(p) || isMethodDeclaration(p)) {
      if (p.name && isIdentifier(p.name)) name = p.name.text;
      break;
    }
    if ((isArrowFunction(p) || isFunctionExpression(p)) && p.parent) {
      const n = ip.fnNameFromContext(p);
      if (n) {
        name = n;
        break;
      }
    }
  }
  const m = newModel(ip, 'core', node, name);
  m.name = name ?? `model@${ip.line(node)}`;
  m.core = g;
  return g;
}

function coreModel(ip: TfHost, g: CoreGraph): ModelRec | undefined {
  return ip.models.find((m) => m.core === g);
}

function pushCore(ip: TfHost, g: CoreGraph, n: CoreGraph['nodes'][number]): CTensorV {
  const m = coreModel(ip, g);
  if (isFull(m, g.nodes.length)) return { k: 'ct', g, last: g.nodes.length - 1 };
  g.nodes.push(n);
  if (m) touch(ip, m);
  return { k: 'ct', g, last: g.nodes.length - 1 };
}

function coreMatMul(ip: TfHost, a: V, b: V, node: ts.Node, tA?: V, tB?: V): V {
  const w = weightOf(ip, b);
  if (!w) {
    if (a.k === 'ct') return coreUnmodeled(ip, a, 'matMul', node);
    return UNKNOWN;
  }
  if (tA && tA.k !== 'undef' && !(tA.k === 'bool' && !tA.v)) return a.k === 'ct' ? coreUnmodeled(ip, a, 'matMul', node) : UNKNOWN;
  const transB = tB && tB.k === 'bool' ? tB.v : tB && tB.k !== 'undef' ? undefined : false;
  const shape = w.shape;
  let inF: number | undefined;
  let outF: number | undefined;
  if (shape && shape.length === 2 && transB !== undefined) [inF, outF] = transB ? [shape[1], shape[0]] : [shape[0], shape[1]];
  const g = a.k === 'ct' ? a.g : newCoreGraph(ip, node);
  return pushCore(ip, g, {
    kind: 'dense',
    op: 'matMul',
    inputs: a.k === 'ct' ? [a.last] : [],
    span: spanOf(node, ip.sf),
    inFeatures: inF,
    outFeatures: outF,
    kernel: { ...w.ref, args: { ...w.ref.args } },
    activation: { id: 'linear', explicit: false },
  });
}

function coreAdd(ip: TfHost, a: V, b: V, node: ts.Node): V {
  if (a.k !== 'ct' && b.k === 'ct') [a, b] = [b, a];
  if (a.k !== 'ct') return UNKNOWN;
  const last = a.g.nodes[a.last];
  const w = weightOf(ip, b);
  if (w && last && last.kind === 'dense' && !last.bias && !last.activation?.explicit && a.last === a.g.nodes.length - 1) {
    last.bias = { ...w.ref, args: { ...w.ref.args } };
    return a;
  }
  if (b.k === 'ct' && b.g === a.g) {
    return pushCore(ip, a.g, { kind: 'add', op: 'add', inputs: [a.last, b.last], span: spanOf(node, ip.sf) });
  }
  return coreUnmodeled(ip, a, 'add', node);
}

function coreActivation(ip: TfHost, x: V, op: string, node: ts.Node, alphaArg?: V): V {
  if (x.k !== 'ct') return UNKNOWN;
  const spec = CORE_ACTIVATIONS[op];
  let alpha = spec.alpha;
  if (op === 'leakyRelu' && alphaArg && alphaArg.k !== 'undef') alpha = alphaArg.k === 'num' ? alphaArg.v : undefined;
  const act = {
    id: op === 'leakyRelu' && alpha === undefined ? undefined : spec.id,
    alpha,
    explicit: true,
    span: spanOf(node, ip.sf),
    text: ip.shortText(node),
  };
  const last = x.g.nodes[x.last];
  if (last && (last.kind === 'dense' || last.kind === 'add') && !last.activation?.explicit && x.last === x.g.nodes.length - 1) {
    last.activation = act;
    return x;
  }
  return pushCore(ip, x.g, { kind: 'activation', op, inputs: [x.last], span: spanOf(node, ip.sf), activation: act });
}

function coreDropout(ip: TfHost, x: V, rate: V | undefined, node: ts.Node): V {
  if (x.k !== 'ct') return UNKNOWN;
  return pushCore(ip, x.g, { kind: 'dropout', op: 'dropout', inputs: [x.last], span: spanOf(node, ip.sf), rate: rate && rate.k === 'num' ? rate.v : undefined });
}

function coreUnmodeled(ip: TfHost, x: CTensorV, op: string, node: ts.Node): V {
  return pushCore(ip, x.g, { kind: 'unknown', op, inputs: [x.last], span: spanOf(node, ip.sf), unknownReason: `tf.${op} is not modeled in core-API models.` });
}

/** `init.mul(k)` / `tf.mul(init, k)`: scale a known initial distribution. */
function coreScale(ip: TfHost, op: string, a: V, b: V, node: ts.Node): V {
  if (a.k === 'num' && (b.k === 'tinit' || b.k === 'tvar') && op === 'mul') [a, b] = [b, a];
  if ((a.k === 'tinit' || (a.k === 'tvar' && a.init)) && b.k === 'num') {
    const t = a.k === 'tinit' ? a : a.init!;
    const k = op === 'mul' ? b.v : 1 / b.v;
    const args = { ...t.ref.args };
    const unknownArgs = [...t.ref.unknownArgs];
    if (args.mean !== undefined) args.mean *= k;
    if (args.stddev !== undefined) args.stddev *= Math.abs(k);
    if (args.value !== undefined) args.value *= k;
    if (args.minval !== undefined && args.maxval !== undefined) {
      const lo = args.minval * k;
      const hi = args.maxval * k;
      args.minval = Math.min(lo, hi);
      args.maxval = Math.max(lo, hi);
    }
    const ref: InitializerRef = { ...t.ref, args, unknownArgs, span: spanOf(node, ip.sf), text: ip.shortText(node) };
    return { k: 'tinit', ref, shape: t.shape, node };
  }
  if (a.k === 'ct') return coreUnmodeled(ip, a, op, node);
  return UNKNOWN;
}

export function coreMethod(ip: TfHost, recv: V, key: string, args: V[], node: ts.Node, nameNode: ts.Node | undefined): V {
  if (key === 'matMul') return coreMatMul(ip, recv, args[0] ?? UNKNOWN, node, args[1], args[2]);
  if (recv.k === 'unknown') return ip.unknownCall(node, args);
  if (key === 'add') return coreAdd(ip, recv, args[0] ?? UNKNOWN, node);
  if (key === 'mul' || key === 'div') return coreScale(ip, key, recv, args[0] ?? UNKNOWN, node);
  if (CORE_ACTIVATIONS[key]) return coreActivation(ip, recv, key, node, args[0]);
  if (recv.k === 'ct') {
    if (key === 'reshape' || key === 'flatten' || key === 'asType' || key === 'clone' || key === 'toFloat') return recv;
    if (CORE_UNMODELED_OPS.has(key)) return coreUnmodeled(ip, recv, key, node);
  }
  void nameNode;
  return UNKNOWN;
}
