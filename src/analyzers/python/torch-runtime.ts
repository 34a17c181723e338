/**
 * The PyTorch runtime of the interpreter: torch.nn modules (construction, registration, calls), parameters and
 * the code that initializes them (torch.nn.init.*, in-place tensor methods, forget-gate slices). The tensor
 * operations of forward() (torch.* and torch.nn.functional.*, shared with Keras tensors) are in torch-tensors.ts.
 */
import type { InitializerArgs, InitializerRef } from '../../core/model';
import { torchCalculateGain } from '../../core/moments';
import { type CallArgs, type Interp, argGetter, isSlice, keyOf, noArgs, posArgs, sliceBounds, uniq } from './interpreter';
import type { FrameworkRuntime } from './runtime';
import { type Node, argListOf, spanOf, textOf } from './syntax';
import {
  type InitCallSpec,
  TENSOR_INIT_METHODS,
  TENSOR_UNMODELLED_METHODS,
  TORCH_INIT_FNS,
  TORCH_MODULES,
  configureTorchLayer,
  torchAncestors,
  torchLayerAttr,
  torchParamNames,
  torchParamShape,
  torchParamSlot,
} from './torch';
import { type GNode, type LayerRec, type ModV, type ParamV, type SlotName, type V, NONE, TRUE, UNKNOWN, intOf, list, num, numOf, str, strOf } from './values';

type TensorV = Extract<V, { k: 'tensor' }>;
const tensor = (node: GNode, role?: TensorV['role']): TensorV => (role ? { k: 'tensor', node, role } : { k: 'tensor', node });
const isTensor = (v: V | undefined): v is TensorV => v?.k === 'tensor';

export function isModuleClass(path: string): boolean {
  const name = path.slice('torch.nn.'.length);
  return Object.prototype.hasOwnProperty.call(TORCH_MODULES, name);
}

export function isKnownTorchPath(p: string): boolean {
  if (p.startsWith('torch.nn.') && isModuleClass(p)) return true;
  if (p.startsWith('torch.nn.init.')) return Object.prototype.hasOwnProperty.call(TORCH_INIT_FNS, p.slice('torch.nn.init.'.length));
  return false;
}

// -------------------------------------------------------------------------------------------------------------
// Construction

/** torch.nn.<Class>(...): a leaf module with its layer record, or a container. */
export function construct(ip: Interp, className: string, args: CallArgs, at: Node): V {
  const spec = Object.prototype.hasOwnProperty.call(TORCH_MODULES, className) ? TORCH_MODULES[className] : undefined;
  const argList = argListOf(at);
  if (!spec) {
    const rec = ip.newRec('pytorch', 'unknown', `nn.${className}`, `torch.nn.${className}`, at, argList);
    rec.unknownReason = `nn.${className} is not modelled`;
    return ip.newMod('leaf', 'pytorch', at, rec);
  }
  if (spec.kind === 'seq' || spec.kind === 'list' || spec.kind === 'dict') {
    const m = ip.newMod(spec.kind, 'pytorch', at);
    fillContainer(ip, m, spec.kind, args);
    return m;
  }
  const rec = ip.newRec('pytorch', spec.kind === 'identity' ? 'reshape' : spec.kind, `nn.${className}`, `torch.nn.${className}`, at, argList);
  if (spec.kind === 'identity') rec.identity = true;
  if (spec.unknown) rec.unknownReason = spec.unknown;
  configureTorchLayer(rec, className, spec, argGetter(args, spec.params));
  return ip.newMod('leaf', 'pytorch', at, rec);
}

function fillContainer(ip: Interp, m: ModV, kind: 'seq' | 'list' | 'dict', args: CallArgs): void {
  const unknownChildren = () => ip.put(m.attrs as Map<string, unknown>, '__unknownChildren__', TRUE);
  if (args.unknownStar) unknownChildren();
  if (kind === 'seq') {
    const first = args.pos[0];
    if (args.pos.length === 1 && first?.k === 'dict') {
      for (const [k, v] of first.map) if (v.k === 'mod') ip.register(m, k, v);
      return;
    }
    args.pos.forEach((v, i) => {
      if (v.k === 'mod') ip.register(m, String(i), v);
      else unknownChildren();
    });
    return;
  }
  const src = args.pos[0] ?? args.kw.get('modules');
  if (!src) return;
  if (kind === 'dict') {
    if (src.k === 'dict') for (const [k, v] of src.map) if (v.k === 'mod') ip.register(m, k, v);
    else unknownChildren();
    if (src.k !== 'dict') unknownChildren();
    return;
  }
  extendModuleList(ip, m, src);
}

export function extendModuleList(ip: Interp, m: ModV, src: V): void {
  const items = ip.iterate(src, ip.tree.topNode);
  if (!items) {
    ip.put(m.attrs as Map<string, unknown>, '__unknownChildren__', TRUE);
    // The element built by a comprehension over an unknown range is still a part of the model.
    if (src.k === 'list' && src.items[0]?.k === 'mod') ip.register(m, String(m.children.size), src.items[0]);
    return;
  }
  for (const v of items) {
    if (v.k === 'mod') ip.register(m, String(m.children.size), v);
    else ip.put(m.attrs as Map<string, unknown>, '__unknownChildren__', TRUE);
  }
}

/** `class Block(nn.Sequential): super().__init__(conv, bn, relu)` */
export function initSequentialBase(ip: Interp, m: ModV, args: CallArgs): void {
  const base = ip.externalBase(m.cls);
  fillContainer(ip, m, base === 'torch.nn.ModuleList' ? 'list' : base === 'torch.nn.ModuleDict' ? 'dict' : 'seq', args);
  ip.put(m.attrs as Map<string, unknown>, '__seqBase__', TRUE);
}

// -------------------------------------------------------------------------------------------------------------
// Module attributes, items and methods

const MODULE_METHODS = new Set([
  'apply', 'modules', 'named_modules', 'children', 'named_children', 'parameters', 'named_parameters', 'add_module',
  'register_module', 'append', 'extend', 'insert', 'forward', 'to', 'cuda', 'cpu', 'train', 'eval', 'float', 'double',
  'half', 'bfloat16', 'requires_grad_', 'register_buffer', 'register_parameter', 'reset_parameters', 'keys', 'values',
  'items', 'zero_grad', 'state_dict', 'load_state_dict', 'type', 'share_memory', 'register_forward_hook',
  'register_forward_pre_hook', 'register_full_backward_hook', 'buffers', 'named_buffers', 'get_submodule', 'get_parameter',
  'flatten_parameters', 'pop', 'update', '__call__',
]);

export function torchModuleAttr(ip: Interp, m: ModV, name: string, at: Node): V {
  void at;
  if (name === 'training') return TRUE;
  if (m.rec) {
    const rec = m.rec;
    const alias = rec.alias?.get(name);
    if (alias) return { k: 'param', rec: alias.rec, pname: alias.pname };
    if (torchParamNames(rec).includes(name)) return { k: 'param', rec, pname: name };
    if (name === 'bias' && rec.useBias === false) return NONE;
    if ((name === 'weight' || name === 'bias') && (rec.kind === 'batchNorm' || rec.kind === 'layerNorm') && rec.useBias === false) return NONE;
    const a = torchLayerAttr(rec, name);
    if (a) return a;
  }
  if (MODULE_METHODS.has(name)) return { k: 'method', self: m, name };
  return UNKNOWN;
}

export function torchModuleItem(ip: Interp, m: ModV, idx: V, at: Node): V {
  void at;
  const children = [...m.children.values()];
  if (m.type === 'dict') {
    const k = keyOf(idx);
    return k === undefined ? UNKNOWN : (m.children.get(k) ?? UNKNOWN);
  }
  if (m.type !== 'seq' && m.type !== 'list' && !m.attrs.get('__seqBase__')) return UNKNOWN;
  if (m.attrs.get('__unknownChildren__')) return UNKNOWN;
  if (isSlice(idx)) {
    const [a, b] = sliceBounds(idx, children.length);
    if (a === undefined || b === undefined) return UNKNOWN;
    const sub = ip.newMod(m.type === 'list' ? 'list' : 'seq', 'pytorch', m.call);
    sub.adopted = true;
    children.slice(a, b).forEach((c, i) => sub.children.set(String(i), c));
    return sub;
  }
  const i = intOf(idx);
  if (i === undefined) return UNKNOWN;
  return children[i < 0 ? children.length + i : i] ?? UNKNOWN;
}

/** Modules in `modules()` order: the module itself, then its descendants depth-first in registration order. */
export function modulesOf(m: ModV, prefix = '', out: { name: string; mod: ModV }[] = [], seen = new Set<ModV>(), depth = 0): { name: string; mod: ModV }[] {
  if (seen.has(m) || depth > 50 || out.length > 20_000) return out;
  seen.add(m);
  out.push({ name: prefix, mod: m });
  for (const [k, c] of m.children) modulesOf(c, prefix ? `${prefix}.${k}` : k, out, seen, depth + 1);
  return out;
}

function applyPostOrder(ip: Interp, m: ModV, fn: V, at: Node, seen = new Set<ModV>(), depth = 0): void {
  if (seen.has(m) || depth > 50) return;
  seen.add(m);
  for (const c of m.children.values()) applyPostOrder(ip, c, fn, at, seen, depth + 1);
  ip.callValue(fn, posArgs([m]), at);
}

function namedParameters(m: ModV): [string, ParamV][] {
  const out: [string, ParamV][] = [];
  const seen = new Set<string>();
  for (const { name, mod } of modulesOf(m)) {
    if (!mod.rec) continue;
    for (const p of torchParamNames(mod.rec)) {
      const alias = mod.rec.alias?.get(p);
      const target = alias ? { rec: alias.rec, pname: alias.pname } : { rec: mod.rec, pname: p };
      const key = `${target.rec.id}:${target.pname}`;
      if (seen.has(key)) continue; // tied weights are yielded once
      seen.add(key);
      out.push([name ? `${name}.${p}` : p, { k: 'param', ...target }]);
    }
  }
  return out;
}

export function torchModuleMethod(ip: Interp, m: ModV, name: string, args: CallArgs, at: Node): V {
  const a = args.pos[0];
  switch (name) {
    case 'apply':
      if (a) applyPostOrder(ip, m, a, at);
      return m;
    case 'modules':
      return list(modulesOf(m).map((x) => x.mod));
    case 'named_modules':
      return list(modulesOf(m).map((x) => list([str(x.name), x.mod], true)));
    case 'children':
      return list([...m.children.values()]);
    case 'named_children':
      return list([...m.children].map(([k, c]) => list([str(k), c], true)));
    case 'parameters':
      if (m.attrs.get('__unknownChildren__')) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      return list(namedParameters(m).map(([, p]) => p));
    case 'named_parameters':
      if (m.attrs.get('__unknownChildren__')) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      return list(namedParameters(m).map(([n, p]) => list([str(n), p], true)));
    case 'buffers':
    case 'named_buffers':
      return list([]);
    case 'add_module':
    case 'register_module': {
      const n = strOf(a);
      const c = args.pos[1];
      if (n !== undefined && c?.k === 'mod') ip.register(m, n, c);
      return NONE;
    }
    case 'append':
      if (a?.k === 'mod') ip.register(m, String(m.children.size), a);
      return m;
    case 'extend':
      if (a) extendModuleList(ip, m, a);
      return m;
    case 'insert': {
      // Re-number: insertion shifts the later modules.
      const i = intOf(a);
      const c = args.pos[1];
      if (i === undefined || c?.k !== 'mod') return NONE;
      const items = [...m.children.values()];
      items.splice(i, 0, c);
      for (const k of [...m.children.keys()]) ip.remove(m.children as Map<string, unknown>, k);
      items.forEach((x, j) => ip.register(m, String(j), x));
      return NONE;
    }
    case 'keys':
      return list([...m.children.keys()].map((k) => str(k)));
    case 'values':
      return list([...m.children.values()]);
    case 'items':
      return list([...m.children].map(([k, c]) => list([str(k), c], true)));
    case 'forward':
    case '__call__':
      return callTorchModule(ip, m, args, at);
    case 'to':
    case 'cuda':
    case 'cpu':
    case 'train':
    case 'eval':
    case 'float':
    case 'double':
    case 'half':
    case 'bfloat16':
    case 'requires_grad_':
    case 'type':
    case 'share_memory':
      return m;
    case 'reset_parameters':
      if (m.rec) {
        const fresh: LayerRec = { ...m.rec, layers: [] };
        const spec = TORCH_MODULES[m.rec.op.replace(/^nn\./, '')];
        if (spec) {
          configureTorchLayer(fresh, m.rec.op.replace(/^nn\./, ''), spec, () => undefined);
          m.rec.layers.forEach((sub, i) => {
            const f = fresh.layers[Math.min(i, fresh.layers.length - 1)];
            for (const slot of Object.keys(sub.slots) as SlotName[]) if (f.slots[slot]) ip.put(sub.slots as Record<string, unknown>, slot, f.slots[slot]);
          });
        }
      }
      return NONE;
    case 'load_state_dict':
      ip.note('weights are loaded from a checkpoint (load_state_dict): the initialization described is the one before loading');
      return UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** isinstance(module, torch.nn.X) */
export function isTorchInstance(ip: Interp, m: ModV, path: string): boolean | undefined {
  if (path === 'torch.nn.Module') return true;
  if (!path.startsWith('torch.nn.')) return path.startsWith('keras.') ? false : undefined;
  const target = path.split('.').pop()!;
  if (m.rec) {
    const cls = m.rec.cls.split('.').pop()!;
    return cls === target || torchAncestors(cls).includes(target);
  }
  if (m.type === 'seq') return target === 'Sequential';
  if (m.type === 'list') return target === 'ModuleList';
  if (m.type === 'dict') return target === 'ModuleDict';
  const base = ip.externalBase(m.cls);
  if (base && base.split('.').pop() === target) return true;
  return false;
}

// -------------------------------------------------------------------------------------------------------------
// Module calls (forward)

export function callTorchModule(ip: Interp, m: ModV, args: CallArgs, at: Node): V {
  const x = args.pos[0] ?? args.kw.get('input') ?? args.kw.get('x');
  if (m.type === 'user') {
    const fwd = ip.findMethod(m.cls, 'forward');
    if (fwd) return ip.callFunction(fwd, args, m, at);
    if (m.attrs.get('__seqBase__')) return chain(ip, m, x, at);
    return isTensor(x) ? ip.unknownNode(m.cls?.name ?? 'module', `${m.cls?.name ?? 'this module'} has no forward()`, [x], at) : UNKNOWN;
  }
  if (m.type === 'seq') return chain(ip, m, x, at);
  if (m.type === 'list' || m.type === 'dict') return UNKNOWN;
  const rec = m.rec;
  if (!rec) return UNKNOWN;
  // An embedding's output does not depend on the distribution of its integer input (torch.arange, a batch of ids).
  if (rec.kind === 'embedding' && x && !isTensor(x)) return tensor(layerNode(ip, rec, []));
  if (!isTensor(x)) return UNKNOWN;
  if (x.role) return x;
  if (rec.identity) return x;
  if (rec.kind === 'flatten' && x.node.out.spatialOne) return x; // after global pooling: no change of values
  if (rec.kind === 'unknown') {
    const g = ip.newNode('unknown', rec.op, uniq(args.pos.filter(isTensor).map((t) => t.node)), spanOf(rec.call), rec);
    g.unknownReason = rec.unknownReason ?? `${rec.op} is not modelled`;
    const t = tensor(g);
    return rec.op === 'nn.MultiheadAttention' ? list([t, UNKNOWN], true) : t;
  }
  const g = layerNode(ip, rec, [x.node]);
  const t = tensor(g);
  if (rec.kind === 'lstm' || rec.kind === 'gru' || rec.kind === 'simpleRNN') {
    if (rec.cls.endsWith('Cell')) return rec.kind === 'lstm' ? list([t, t], true) : t;
    return list([t, rec.kind === 'lstm' ? list([t, t], true) : t], true);
  }
  return t;
}

function chain(ip: Interp, m: ModV, x: V | undefined, at: Node): V {
  if (!isTensor(x)) return UNKNOWN;
  if (m.attrs.get('__unknownChildren__')) return ip.unknownNode('nn.Sequential', 'the layers of this nn.Sequential are unknown', [x], at);
  let cur: V = x;
  for (const c of m.children.values()) {
    if (!isTensor(cur)) return cur;
    cur = ip.callModule(c, posArgs([cur]), at);
  }
  return cur;
}

/** The graph node of a layer applied to inputs, with the output's feature count. */
export function layerNode(ip: Interp, rec: LayerRec, inputs: GNode[]): GNode {
  const g = ip.newNode(rec.kind, rec.op, inputs, spanOf(rec.call), rec);
  const inFeat = inputs[0]?.out.feat;
  let feat: number | undefined;
  switch (rec.kind) {
    case 'dense':
    case 'conv':
    case 'convTranspose':
    case 'embedding':
    case 'batchNorm':
    case 'layerNorm':
      feat = rec.outFeatures;
      break;
    case 'lstm':
    case 'gru':
    case 'simpleRNN':
      feat = rec.outFeatures === undefined ? undefined : rec.outFeatures * (rec.bidirectional ? 2 : 1);
      break;
    case 'flatten':
      feat = inputs[0]?.out.spatialOne ? inFeat : undefined;
      break;
    case 'globalPooling':
      feat = inFeat;
      g.out.spatialOne = true;
      break;
    default:
      feat = inFeat;
  }
  if (feat !== undefined) g.out.feat = feat;
  if (rec.kind === 'dense' && rec.inFeatures === undefined && inFeat !== undefined) g.inFeatures = inFeat;
  return g;
}

// -------------------------------------------------------------------------------------------------------------
// Parameters and initialization

const UNMODELLED_PARAM = (p: ParamV) => `the initialization of ${p.rec.op}.${p.pname} is not modelled`;

function paramShape(p: ParamV): (number | undefined)[] | undefined {
  return torchParamShape(p.rec, p.pname);
}

export function paramAttr(ip: Interp, p: ParamV, name: string): V {
  void ip;
  switch (name) {
    case 'data':
    case 'T':
    case 'mT':
      return p;
    case 'shape': {
      const s = paramShape(p);
      return s ? list(s.map((d) => (d === undefined ? UNKNOWN : num(d))), true) : { k: 'list', items: [UNKNOWN], tuple: true, anyLen: true };
    }
    case 'ndim': {
      const s = paramShape(p);
      return s ? num(s.length) : UNKNOWN;
    }
    case 'requires_grad':
      return TRUE;
    case 'grad':
      return NONE;
    default:
      return { k: 'method', self: p, name };
  }
}

export function paramItem(ip: Interp, p: ParamV, idx: V): V {
  void ip;
  const first = idx.k === 'list' && idx.tuple ? idx.items[0] : idx;
  if (first && isSlice(first)) {
    const n = paramShape(p)?.[0];
    const [a, b] = sliceBounds(first, n);
    if (a === 0 && b !== undefined && b === n) return { ...p, slice: undefined };
    // [H:2 * H] written with the LSTM's own hidden_size, which the analysis does not know.
    const start = first.map.get('start');
    const stop = first.map.get('stop');
    const step = first.map.get('step');
    const multiple = (v: V | undefined, k: number) => v?.k === 'unknown' && v.dim?.rec === p.rec && v.dim.factor === k;
    const forgetQuarter = multiple(start, 1) && multiple(stop, 2) && (!step || step.k === 'none' || intOf(step) === 1);
    return { ...p, slice: { from: a, to: b, ...(forgetQuarter ? { forgetQuarter } : {}) } };
  }
  return { ...p, slice: { from: undefined, to: undefined } };
}

export function paramMethod(ip: Interp, p: ParamV, name: string, args: CallArgs, at: Node): V {
  switch (name) {
    case 'dim':
    case 'ndimension': {
      const s = paramShape(p);
      return s ? num(s.length) : UNKNOWN;
    }
    case 'size': {
      const s = paramShape(p);
      if (!s) return UNKNOWN;
      const i = intOf(args.pos[0]);
      if (args.pos.length === 0) return list(s.map((d) => (d === undefined ? UNKNOWN : num(d))), true);
      if (i === undefined) return UNKNOWN;
      const d = s[i < 0 ? s.length + i : i];
      return d === undefined ? UNKNOWN : num(d);
    }
    case 'numel': {
      const s = paramShape(p);
      if (!s || s.some((d) => d === undefined)) return UNKNOWN;
      return num((s as number[]).reduce((a, b) => a * b, 1));
    }
    case 'detach':
    case 't':
    case 'view':
    case 'reshape':
    case 'flatten':
    case 'contiguous':
      return p;
    default:
      break;
  }
  const spec = TENSOR_INIT_METHODS[name];
  if (spec) {
    const ref = initRef(ip, spec, args, 0, at, calleeName(at));
    setParamInit(ip, p, ref, at);
    return p;
  }
  if (TENSOR_UNMODELLED_METHODS.has(name)) {
    setParamInit(ip, p, unknownRef(at, ip), at);
    ip.note(`${UNMODELLED_PARAM(p)} (${name})`);
    return p;
  }
  return UNKNOWN;
}

export function setParamAttr(ip: Interp, p: ParamV, name: string, v: V, target: Node): void {
  void v;
  if (name === 'data') {
    setParamInit(ip, p, unknownRef(target, ip), target);
    ip.note(UNMODELLED_PARAM(p));
  }
}

export function setParamItem(ip: Interp, p: ParamV, idx: V, v: V): void {
  const sliced = paramItem(ip, p, idx) as ParamV;
  const n = numOf(v);
  const at = ip.tree.topNode;
  if (n === undefined || sliced.k !== 'param') {
    setParamInit(ip, sliced, unknownRef(at, ip), at);
    return;
  }
  const ref: InitializerRef = { framework: 'pytorch', id: 'constant_', args: { value: n }, unknownArgs: [], falsyArgs: [], explicit: true, form: 'call' };
  setParamInit(ip, sliced, ref, at);
}

/** `self.fc.weight = ...` on a leaf module: tying (another parameter) or a replaced parameter (unknown). */
export function setLeafAttr(ip: Interp, m: ModV, name: string, v: V, target: Node): void {
  const rec = m.rec!;
  if (!torchParamNames(rec).includes(name)) return;
  if (v.k === 'param') {
    // Weight tying: both modules hold one tensor; initializing either initializes both.
    rec.alias ??= new Map();
    rec.alias.set(name, { rec: v.rec, pname: v.pname });
    v.rec.alias ??= new Map();
    if (!v.rec.alias.has(v.pname)) v.rec.alias.set(v.pname, { rec, pname: name });
    const src = torchParamSlot(v.rec, v.pname);
    const dst = torchParamSlot(rec, name);
    const ref = src ? v.rec.layers[src.sub]?.slots[src.slot] : undefined;
    if (dst && ref) ip.put(rec.layers[dst.sub].slots as Record<string, unknown>, dst.slot, ref);
    return;
  }
  const p: ParamV = { k: 'param', rec, pname: name };
  setParamInit(ip, p, unknownRef(target, ip), target);
  ip.note(UNMODELLED_PARAM(p));
}

function unknownRef(at: Node, ip: Interp): InitializerRef {
  return { framework: 'pytorch', id: undefined, args: {}, unknownArgs: [], falsyArgs: [], explicit: true, form: 'call', span: spanOf(at), text: short(textOf(ip.text, at)) };
}

export function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

function calleeName(call: Node): Node | undefined {
  const callee = call.firstChild;
  if (!callee) return undefined;
  if (callee.name === 'VariableName') return callee;
  if (callee.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName') return callee.lastChild;
  return undefined;
}

const MODES: Record<string, InitializerArgs['mode']> = { fan_in: 'fanIn', fan_out: 'fanOut' };

/** An InitializerRef from an init call: positional arguments from `offset` on, keywords by the spec. */
function initRef(ip: Interp, spec: InitCallSpec, args: CallArgs, offset: number, at: Node, nameNode: Node | undefined): InitializerRef {
  const out: InitializerArgs = {};
  const unknownArgs: string[] = [];
  const set = (key: keyof InitializerArgs, v: V, label: string) => {
    if (key === 'mode') {
      const s = strOf(v);
      const m = s !== undefined ? MODES[s] : undefined;
      if (m) out.mode = m;
      else unknownArgs.push(label);
      return;
    }
    if (key === 'nonlinearity') {
      const s = strOf(v);
      if (s !== undefined) out.nonlinearity = s;
      else unknownArgs.push(label);
      return;
    }
    const n = numOf(v);
    if (n === undefined || v.k === 'bool') {
      if (v.k === 'none' && key === 'negativeSlope') return;
      unknownArgs.push(label);
      return;
    }
    (out as Record<string, number>)[key] = n;
  };
  spec.positional.forEach((key, i) => {
    const v = args.pos[i + offset];
    if (v) set(key, v, key);
  });
  for (const [kw, v] of args.kw) {
    const key = spec.keywords[kw];
    if (key === 'ignore') continue;
    if (!key) {
      if (kw !== 'tensor' && kw !== 'generator') unknownArgs.push(kw);
      continue;
    }
    set(key, v, kw);
  }
  if (args.unknownStar) unknownArgs.push('*args');
  const ref: InitializerRef = {
    framework: 'pytorch',
    id: spec.id,
    args: out,
    unknownArgs,
    falsyArgs: [],
    explicit: true,
    form: 'call',
    span: spanOf(at),
    text: short(textOf(ip.text, at)),
  };
  if (nameNode) ref.nameSpan = spanOf(nameNode);
  return ref;
}

/** torch.nn.init.<fn>(tensor, ...) */
export function initFunction(ip: Interp, fn: string, args: CallArgs, at: Node): V {
  if (fn === 'calculate_gain') {
    const nl = strOf(args.pos[0] ?? args.kw.get('nonlinearity'));
    const p = args.pos[1] ?? args.kw.get('param');
    const param = p && p.k !== 'none' ? numOf(p) : undefined;
    if (nl === undefined || (p && p.k !== 'none' && param === undefined)) return UNKNOWN;
    const g = torchCalculateGain(nl, param ?? (nl === 'leaky_relu' ? 0.01 : 0));
    return g === undefined ? UNKNOWN : num(g);
  }
  const spec = TORCH_INIT_FNS[fn];
  const target = args.pos[0] ?? args.kw.get('tensor');
  if (!spec) return target ?? UNKNOWN;
  if (target?.k !== 'param') return target ?? UNKNOWN;
  const ref = spec.id === undefined ? unknownRef(at, ip) : initRef(ip, spec, args, 1, at, calleeName(at));
  if (spec.id === undefined) ip.note(`nn.init.${fn} is not modelled`);
  setParamInit(ip, target, ref, at);
  return target;
}

/** Records an initializer on a parameter (or on a slice of it: the LSTM forget gate, per-gate blocks). */
export function setParamInit(ip: Interp, p: ParamV, ref: InitializerRef, at: Node): void {
  const slot = torchParamSlot(p.rec, p.pname);
  if (!slot) return;
  const sub = p.rec.layers[slot.sub];
  if (!sub) return;
  if (p.slice) {
    const H = p.rec.outFeatures;
    const isBias = slot.slot === 'bias' || slot.slot === 'biasHh';
    if (isBias && p.rec.kind === 'lstm') {
      const forget = (H !== undefined && p.slice.from === H && p.slice.to === 2 * H) || !!p.slice.forgetQuarter;
      const value = ref.id === 'constant_' ? ref.args.value : ref.id === 'ones_' ? 1 : ref.id === 'zeros_' ? 0 : undefined;
      if (forget && value !== undefined) {
        ip.put(sub as unknown as Record<string, unknown>, 'unitForgetBias', value > 0);
        ip.put(sub as unknown as Record<string, unknown>, 'unitForgetBiasExplicit', true);
        return;
      }
      ip.note(`a slice of ${p.rec.op}.${p.pname} is initialized separately (not modelled)`);
      return;
    }
    if (isBias) {
      ip.note(`a slice of ${p.rec.op}.${p.pname} is initialized separately (not modelled)`);
      return;
    }
    // Per-gate blocks of a weight (orthogonal_ on each H×H block): described as the whole tensor.
    ip.note(`${p.rec.op}.${p.pname} is initialized in slices; described as one ${ref.id ?? 'initializer'} for the whole tensor`);
  }
  writeSlot(ip, p.rec, slot.sub, slot.slot, ref);
  const alias = p.rec.alias?.get(p.pname);
  if (alias && alias.rec !== p.rec) {
    const s2 = torchParamSlot(alias.rec, alias.pname);
    if (s2) writeSlot(ip, alias.rec, s2.sub, s2.slot, ref);
  }
  // A whole LSTM bias set anew loses a forget-gate value written before it.
  if (!p.slice && (slot.slot === 'bias' || slot.slot === 'biasHh') && p.rec.kind === 'lstm' && sub.unitForgetBiasExplicit) {
    const v = ref.id === 'constant_' ? ref.args.value : ref.id === 'ones_' ? 1 : ref.id === 'zeros_' ? 0 : undefined;
    if (slot.slot === 'bias' || v !== undefined) {
      ip.put(sub as unknown as Record<string, unknown>, 'unitForgetBias', v === undefined ? false : v > 0);
    }
  }
  void at;
}

function writeSlot(ip: Interp, rec: LayerRec, sub: number, slot: SlotName, ref: InitializerRef): void {
  const s = rec.layers[sub];
  if (!s) return;
  ip.put(s.slots as Record<string, unknown>, slot, ref);
}

export { tensor, isTensor, noArgs };

/** The PyTorch runtime as the interpreter sees it (runtime.ts). */
export const torchRuntime: FrameworkRuntime = {
  forwardMethod: 'forward',
  traceInputShape: () => ({}),
  missingForwardNote: (m) => (m.children.size ? `${m.cls?.name ?? 'the module'} has no forward(): its layers are not connected` : undefined),
  callModule: callTorchModule,
  moduleAttr: torchModuleAttr,
  moduleItem: torchModuleItem,
  moduleMethod: torchModuleMethod,
  isInstance: isTorchInstance,
};
