/**
 * Tensors in the Python interpreter: torch.* and torch.nn.functional.* applied to symbolic tensors (activations,
 * residual adds, concatenation, pooling, normalization, attention), and the tensor operations both frameworks'
 * tensors share (binary operators, attributes, methods). Functions of the interpreter, which they take as `ip`.
 */
import { resolveActivation } from '../../core/activations';
import type { ActivationRef } from '../../core/model';
import { type CallArgs, type Interp } from './interpreter';
import { type Node, spanOf, textOf } from './syntax';
import { TORCH_ACT_FNS, TORCH_SHAPE_OPS, TORCH_SPLIT_OPS, torchActivation } from './torch';
import { type GNode, type V, UNKNOWN, intsOf, numOf, strOf } from './values';
import { construct, initFunction, isTensor, short, tensor } from './torch-runtime';

type TensorV = Extract<V, { k: 'tensor' }>;

export function callTorchExt(ip: Interp, path: string, args: CallArgs, at: Node): V {
  if (path.startsWith('torch.nn.init.')) return initFunction(ip, path.slice('torch.nn.init.'.length), args, at);
  if (path.startsWith('torch.nn.functional.')) return functional(ip, path.slice('torch.nn.functional.'.length), args, at, 'F.');
  if (path.startsWith('torch.nn.utils.')) {
    const fn = path.split('.').pop()!;
    if (/weight_norm|spectral_norm/.test(fn)) ip.note(`${fn} reparameterizes the weight (not modelled)`);
    return args.pos[0] ?? UNKNOWN;
  }
  if (path.startsWith('torch.nn.')) {
    const name = path.slice('torch.nn.'.length);
    if (name === 'Parameter') return UNKNOWN;
    if (/^[A-Z]\w*$/.test(name)) return construct(ip, name, args, at);
    return UNKNOWN;
  }
  if (path.startsWith('torch.')) return functional(ip, path.slice('torch.'.length), args, at, 'torch.');
  return UNKNOWN;
}

/** torch.nn.functional / torch functions applied to tensors. */
function functional(ip: Interp, name: string, args: CallArgs, at: Node, prefix: string): V {
  const x = args.pos[0] ?? args.kw.get('input');
  const op = `${prefix}${name}`;
  const tensors = [...args.pos, ...args.kw.values()].flatMap((v) => (v.k === 'list' ? v.items : [v])).filter(isTensor);
  if (!tensors.length) return UNKNOWN;
  const pool = POOL_FN.exec(name);
  if (pool) return poolingCall(ip, pool, op, x, args, at);
  switch (name) {
    case 'cat':
    case 'concat':
    case 'concatenate':
    case 'stack':
    case 'hstack':
    case 'vstack': {
      const l = args.pos[0] ?? args.kw.get('tensors');
      const items = l?.k === 'list' && !l.anyLen ? l.items : undefined;
      if (!items || !items.every(isTensor)) return ip.unknownNode(op, `${op} of unknown tensors`, tensors, at);
      const g = merge(ip, 'concatenate', op, items as TensorV[], at);
      if (name === 'stack') {
        // A new axis: the features are not summed.
        const feats = (items as TensorV[]).map((t) => t.node.out.feat);
        if (feats.every((f) => f !== undefined && f === feats[0])) g.node.out.feat = feats[0];
        else delete g.node.out.feat;
      }
      return g;
    }
    case 'add': {
      const y = args.pos[1] ?? args.kw.get('other');
      return tensorBinary(ip, '+', x ?? UNKNOWN, y ?? UNKNOWN, at);
    }
    case 'matmul':
    case 'bmm':
    case 'mm':
    case 'einsum':
      if (name === 'einsum') return ip.unknownNode(op, `${op} is not modelled`, tensors, at);
      return matmul(ip, x ?? UNKNOWN, args.pos[1] ?? UNKNOWN, at);
    case 'flatten':
      if (isTensor(x) && x.node.out.spatialOne) return x; // (B, C, 1, 1) → (B, C): no change of values
      return isTensor(x) ? simpleNode(ip, 'flatten', op, x, at) : UNKNOWN;
    case 'mean':
    case 'amax':
    case 'max':
    case 'sum':
    case 'logsumexp':
      if (!isTensor(x)) return UNKNOWN;
      if (name === 'mean') return reduceMean(ip, x, args, at, op);
      return ip.unknownNode(op, `${op} is not modelled`, [x], at);
    case 'dropout':
    case 'dropout1d':
    case 'dropout2d':
    case 'dropout3d':
    case 'alpha_dropout':
    case 'feature_alpha_dropout': {
      if (!isTensor(x)) return UNKNOWN;
      const training = args.kw.get('training') ?? args.pos[2];
      if (training && training.k === 'bool' && !training.v) return x;
      if (x.role) return x;
      const pv = args.kw.get('p') ?? args.pos[1];
      const g = simpleNode(ip, 'dropout', op, x, at);
      const p = pv ? numOf(pv) : 0.5;
      if (p !== undefined) g.node.rate = p;
      else g.node.unknownReason = 'dropout rate unknown';
      return g;
    }
    case 'layer_norm':
    case 'group_norm':
    case 'instance_norm':
    case 'rms_norm': {
      if (!isTensor(x)) return UNKNOWN;
      const g = simpleNode(ip, 'layerNorm', op, x, at);
      const eps = numOf(args.kw.get('eps') ?? (name === 'layer_norm' ? args.pos[4] : undefined));
      g.node.epsilon = eps ?? 1e-5;
      return g;
    }
    case 'batch_norm': {
      if (!isTensor(x)) return UNKNOWN;
      const g = simpleNode(ip, 'batchNorm', op, x, at);
      g.node.epsilon = numOf(args.kw.get('eps')) ?? 1e-5;
      return g;
    }
    case 'scaled_dot_product_attention': {
      const v = args.pos[2] ?? args.kw.get('value');
      return isTensor(v) ? attention(ip, v, at) : ip.unknownNode(op, 'attention of unknown values', tensors, at);
    }
    case 'softmax':
    case 'log_softmax':
      if (isTensor(x) && x.role === 'scores') return tensor(x.node, 'weights');
      break;
    default:
      break;
  }
  if (TORCH_SHAPE_OPS.has(name) || name === 'squeeze' || name === 'unsqueeze' || name === 'pad') return x && isTensor(x) ? x : UNKNOWN;
  if (TORCH_SPLIT_OPS.has(name)) return isTensor(x) ? { k: 'list', items: [x], tuple: true, anyLen: true } : UNKNOWN;
  const act = TORCH_ACT_FNS[name];
  if (act && isTensor(x)) {
    if (x.role) return x;
    let alpha: number | undefined;
    let id: string | undefined;
    if (act.param === 'approximate') {
      const ap = strOf(args.kw.get('approximate')) ?? 'none';
      id = ap === 'tanh' ? 'geluTanh' : ap === 'none' ? 'gelu' : undefined;
    } else {
      id = resolveActivation('pytorch', act.act)?.id;
      if (act.param) {
        const pv = args.kw.get(act.param) ?? (act.paramIndex !== undefined ? args.pos[act.paramIndex] : undefined);
        if (pv) {
          alpha = numOf(pv);
          if (alpha === undefined) id = undefined;
        }
      }
    }
    const ref: ActivationRef = id === undefined ? { id: undefined, explicit: true } : torchActivation(act.act, true, alpha);
    if (id !== undefined) ref.id = id;
    ref.span = spanOf(at);
    ref.text = short(textOf(ip.text, at));
    return activationNode(ip, op, ref, x, at);
  }
  return ip.unknownNode(op, `${op} is not modelled`, tensors, at);
}

/** F.max_pool2d, F.avg_pool1d, F.adaptive_max_pool3d, …: (adaptive, max or avg, rank). */
const POOL_FN = /^(adaptive_)?(max|avg)_pool([123])d$/;

/** A pooling function applied to `x`: fixed windows (kernel_size, stride) or adaptive (output_size; global when all 1). */
function poolingCall(ip: Interp, [, adaptive, kind, r]: RegExpExecArray, op: string, x: V | undefined, args: CallArgs, at: Node): V {
  if (!isTensor(x)) return UNKNOWN;
  const rank = Number(r);
  const pooling = kind === 'max' ? 'max' : 'average';
  if (!adaptive) {
    const g = simpleNode(ip, 'pooling', op, x, at);
    g.node.pooling = pooling;
    const ks = intsOf(args.pos[1] ?? args.kw.get('kernel_size'), rank);
    if (ks) g.node.poolSize = ks;
    const st = args.pos[2] ?? args.kw.get('stride');
    g.node.strides = st && st.k !== 'none' ? intsOf(st, rank) : ks;
    return g;
  }
  const os = intsOf(args.pos[1] ?? args.kw.get('output_size'), rank);
  const global = !!os && os.every((o) => o === 1);
  const g = simpleNode(ip, global ? 'globalPooling' : 'pooling', op, x, at);
  g.node.pooling = pooling;
  if (global) g.node.out.spatialOne = true;
  return g;
}

function simpleNode(ip: Interp, kind: GNode['kind'], op: string, x: TensorV, at: Node): TensorV & { node: GNode } {
  const g = ip.newNode(kind, op, [x.node], spanOf(at));
  if (kind !== 'flatten' && x.node.out.feat !== undefined) g.out.feat = x.node.out.feat;
  if (kind === 'flatten' && x.node.out.spatialOne) g.out.feat = x.node.out.feat;
  return tensor(g);
}

export function activationNode(ip: Interp, op: string, ref: ActivationRef, x: TensorV, at: Node): TensorV {
  const g = simpleNode(ip, 'activation', op, x, at);
  g.node.activation = ref;
  if (x.node.out.spatialOne) g.node.out.spatialOne = true;
  return g;
}

function reduceMean(ip: Interp, x: TensorV, args: CallArgs, at: Node, op: string): V {
  const dim = args.kw.get('dim') ?? args.pos[1] ?? args.kw.get('axis');
  if (!dim) return ip.unknownNode(op, 'a mean over every dimension is not modelled', [x], at);
  const g = simpleNode(ip, 'globalPooling', op, x, at);
  g.node.pooling = 'average';
  return g;
}

function attention(ip: Interp, v: TensorV, at: Node): V {
  const g = simpleNode(ip, 'pooling', 'attention', v, at);
  g.node.pooling = 'average';
  delete g.node.out.feat; // v is a split of a projection: its width is not the projection's
  // Along the sequence, each output is a weighted mean of values: no window of its own (a rebuild keeps the shape).
  g.node.poolSize = [1];
  g.node.strides = [1];
  // softmax(q·kᵀ)·v is a convex combination of value vectors: bounded like an average pooling (E[y²] ≤ E[v²]),
  // which is what the propagation's average-pooling bounds say; no note of its own.
  return g;
}

function matmul(ip: Interp, a: V, b: V, at: Node): V {
  if (isTensor(a) && a.role === 'weights' && isTensor(b) && !b.role) return attention(ip, b, at);
  if (isTensor(a) && !a.role && isTensor(b) && !b.role) return tensor(a.node, 'scores');
  const both = isTensor(a) && isTensor(b);
  return ip.unknownNode('matmul', both ? 'a matrix product of two activations is not modelled' : 'a matrix product with an operand the analyzer does not know (a custom weight?) is not modelled', [a, b], at);
}

export function merge(ip: Interp, kind: 'add' | 'concatenate', op: string, items: TensorV[], at: Node): TensorV {
  const g = ip.newNode(kind, op, items.map((t) => t.node), spanOf(at));
  const feats = items.map((t) => t.node.out.feat);
  if (kind === 'add') {
    const f = feats.find((x) => x !== undefined);
    if (f !== undefined) g.out.feat = f;
  } else if (feats.every((x) => x !== undefined)) g.out.feat = (feats as number[]).reduce((p, q) => p + q, 0);
  return tensor(g);
}

/** Binary operators with a tensor operand. */
export function tensorBinary(ip: Interp, op: string, a: V, b: V, at: Node): V {
  const ta = isTensor(a) ? a : undefined;
  const tb = isTensor(b) ? b : undefined;
  if (op === '@') return matmul(ip, a, b, at);
  const role = ta?.role ?? tb?.role;
  if (role) {
    // Attention internals: scaling, masking, biases keep what they are.
    const base = ta?.role ? ta : tb!;
    return tensor(base.node, base.role);
  }
  if ((op === '+' || op === '-') && ta && tb) {
    if (ta.node === tb.node) return ip.unknownNode(op, `x ${op} x is not modelled`, [ta], at);
    return merge(ip, 'add', op === '+' ? 'add' : 'subtract', [ta, tb], at);
  }
  const opName = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '**': 'power', '//': 'floor divide', '%': 'modulo' }[op] ?? op;
  const other = ta && tb ? 'another tensor' : (numOf(ta ? b : a) !== undefined ? 'a constant' : 'an unknown value');
  return ip.unknownNode(opName, `${opName} by ${other} is not modelled`, [a, b], at);
}

export function tensorAttr(ip: Interp, t: TensorV, name: string): V {
  void ip;
  switch (name) {
    case 'shape':
      return { k: 'list', items: [UNKNOWN], tuple: true, anyLen: true };
    case 'T':
    case 'mT':
    case 'data':
      return t;
    case 'ndim':
    case 'dtype':
    case 'device':
      return UNKNOWN;
    case 'requires_grad':
    case 'is_cuda':
      return UNKNOWN;
    default:
      return { k: 'method', self: t, name };
  }
}

/** Methods on tensors: shape changes, activations, reductions; anything else is an unknown node. */
export function tensorMethod(ip: Interp, t: TensorV, name: string, args: CallArgs, at: Node): V {
  switch (name) {
    case 'size':
    case 'dim':
    case 'numel':
    case 'item':
    case 'tolist':
    case 'numpy':
    case 'get_shape':
    case 'new_zeros':
    case 'new_ones':
    case 'new_empty':
    case 'new_full':
    case 'new_tensor':
    case 'zero_':
      return UNKNOWN;
    case 'masked_fill':
    case 'masked_fill_':
      return t;
    case 'softmax':
    case 'log_softmax':
      if (t.role === 'scores') return tensor(t.node, 'weights');
      break;
    case 'matmul':
    case 'bmm':
      return matmul(ip, t, args.pos[0] ?? UNKNOWN, at);
    case 'add':
      return tensorBinary(ip, '+', t, args.pos[0] ?? UNKNOWN, at);
    case 'add_':
      return tensorBinary(ip, '+', t, args.pos[0] ?? UNKNOWN, at);
    default:
      break;
  }
  if (t.role) return t;
  if (TORCH_SHAPE_OPS.has(name)) return t;
  if (TORCH_SPLIT_OPS.has(name)) return { k: 'list', items: [t], tuple: true, anyLen: true };
  if (name === 'flatten') return t.node.out.spatialOne ? t : simpleNode(ip, 'flatten', 'flatten', t, at);
  if (name === 'mean') return reduceMean(ip, t, args, at, 'mean');
  const a = TORCH_ACT_FNS[name] ?? TORCH_ACT_FNS[name.replace(/_$/, '')];
  if (a && !a.param) {
    const ref = torchActivation(a.act, true);
    ref.span = spanOf(at);
    ref.text = short(textOf(ip.text, at));
    return activationNode(ip, `.${name}()`, ref, t, at);
  }
  return ip.unknownNode(name, `tensor.${name}() is not modelled`, [t, ...args.pos], at);
}

