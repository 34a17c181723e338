/**
 * The expressions of the Python interpreter: literals, names, f-strings, dicts, comprehensions, attribute and item
 * access, calls with their arguments, and binary operators. Functions of the interpreter (interpreter.ts), which
 * they take as `ip`.
 */
import {
  type Arg,
  type Node,
  argListOf,
  exprKids,
  isToken,
  kids,
  numberValue,
  splitArgs,
  stringValue,
  textOf,
  trailingDotFloat,
} from './syntax';
import { type V, FALSE, NONE, Scope, TRUE, UNKNOWN, bool, equals, identical, intOf, list, num, numOf, str, truthy } from './values';
import * as torch from './torch-runtime';
import * as tensors from './torch-tensors';
import { type Interp, type CallArgs, LIMITS, noArgs, extAttr, keyOf, isSlice, sliceBounds, mroAfter, MATH_CONSTANTS, runtimeOf } from './interpreter';
import { contains, typeOf } from './builtins';
import { assignTo, destructure } from './statements';

export function evalInner(ip: Interp, n: Node, scope: Scope): V {
  switch (n.name) {
    case 'Number': {
      const v = numberValue(textOf(ip.text, n));
      return v === undefined ? UNKNOWN : num(v);
    }
    case 'String': {
      const v = stringValue(textOf(ip.text, n));
      return v === undefined ? UNKNOWN : { k: 'str', v, node: n };
    }
    case 'ContinuedString': {
      let s = '';
      for (const c of kids(n)) {
        if (c.name !== 'String') return UNKNOWN;
        const v = stringValue(textOf(ip.text, c));
        if (v === undefined) return UNKNOWN;
        s += v;
      }
      return str(s);
    }
    case 'FormatString':
      return evalFormatString(ip, n, scope);
    case 'Boolean':
      return bool(textOf(ip.text, n) === 'True');
    case 'None':
      return NONE;
    case 'Ellipsis':
      return UNKNOWN;
    case 'VariableName':
      return ip.lookup(textOf(ip.text, n), scope);
    case 'self':
      return ip.lookup('self', scope);
    case 'ParenthesizedExpression': {
      const inner = exprKids(n);
      return inner.length === 1 ? ip.eval(inner[0], scope) : UNKNOWN;
    }
    case 'TupleExpression':
      return list(ip.evalSeq(exprKids(n), scope), true);
    case 'ArrayExpression':
    case 'SetExpression': {
      const items = ip.evalSeq(exprKids(n), scope);
      if (items.length === 1 && items[0].k === 'unknown' && kids(n).some((c) => c.name === '*')) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      return list(items);
    }
    case 'DictionaryExpression':
      return evalDict(ip, n, scope);
    case 'ArrayComprehensionExpression':
    case 'SetComprehensionExpression':
    case 'ComprehensionExpression':
    case 'DictionaryComprehensionExpression':
      return evalComprehension(ip, n, scope);
    case 'MemberExpression': {
      const f = trailingDotFloat(ip.text, n);
      return f !== undefined ? num(f) : evalMember(ip, n, scope);
    }
    case 'CallExpression':
      return evalCall(ip, n, scope);
    case 'UnaryExpression': {
      const cs = kids(n);
      const op = cs[0];
      const e = cs.find((c, i) => i > 0 && !isToken(c));
      if (!op || !e) return UNKNOWN;
      const v = ip.eval(e, scope);
      const o = textOf(ip.text, op);
      if (o === 'not') {
        const t = truthy(v);
        return t === undefined ? UNKNOWN : bool(!t);
      }
      if (v.k === 'tensor') return v;
      const x = numOf(v);
      if (x === undefined) return UNKNOWN;
      return o === '-' ? num(-x) : o === '+' ? num(x) : o === '~' ? num(~x) : UNKNOWN;
    }
    case 'BinaryExpression': {
      const f = trailingDotFloat(ip.text, n);
      return f !== undefined ? num(f) : evalBinary(ip, n, scope);
    }
    case 'ConditionalExpression': {
      const cs = exprKids(n);
      const [a, c, b] = cs;
      if (!a || !c || !b) return UNKNOWN;
      const t = truthy(ip.eval(c, scope));
      if (t === true) return ip.eval(a, scope);
      if (t === false) return ip.eval(b, scope);
      ip.uncertainLines.add(ip.line(c));
      const va = ip.eval(a, scope);
      const vb = ip.eval(b, scope);
      return ip.join([va, vb], c) as V;
    }
    case 'LambdaExpression':
      return { k: 'fn', def: n, name: '<lambda>', closure: scope, lambda: true };
    case 'NamedExpression': {
      const cs = exprKids(n);
      if (cs.length < 2) return UNKNOWN;
      const v = ip.eval(cs[cs.length - 1], scope);
      if (cs[0].name === 'VariableName') ip.setVar(scope, textOf(ip.text, cs[0]), v);
      return v;
    }
    case 'AwaitExpression': {
      const e = exprKids(n)[0];
      return e ? ip.eval(e, scope) : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

/** f"act{i}": literal parts and replacements whose values are known strings or numbers (no format spec). */
export function evalFormatString(ip: Interp, n: Node, scope: Scope): V {
  const raw = textOf(ip.text, n);
  const m = /^([rRbBuUfF]{1,3})('''|"""|'|")/.exec(raw);
  if (!m) return UNKNOWN;
  const rawPrefix = m[1].toLowerCase().includes('r');
  const open = n.from + m[0].length;
  const close = n.to - m[2].length;
  let out = '';
  let pos = open;
  const literal = (a: number, b: number): string | undefined => {
    const piece = ip.text.slice(a, b).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    if (rawPrefix) return piece;
    return stringValue(`"${piece.replace(/"/g, '\\"')}"`);
  };
  for (const r of kids(n)) {
    if (r.name !== 'FormatReplacement') continue;
    const lit = literal(pos, r.from);
    if (lit === undefined) return UNKNOWN;
    out += lit;
    const parts = kids(r);
    if (parts.some((p) => p.name === 'FormatSpec' || p.name === 'FormatConversion')) return UNKNOWN;
    const e = parts.find((p) => !isToken(p) && p.name !== '{' && p.name !== '}');
    if (!e) return UNKNOWN;
    const v = ip.eval(e, scope);
    if (v.k === 'str') out += v.v;
    else if (v.k === 'num' && Number.isInteger(v.v)) out += String(v.v);
    else if (v.k === 'bool') out += v.v ? 'True' : 'False';
    else return UNKNOWN;
    pos = r.to;
  }
  const tail = literal(pos, Math.max(pos, close));
  return tail === undefined ? UNKNOWN : str(out + tail);
}

export function evalDict(ip: Interp, n: Node, scope: Scope): V {
  const cs = kids(n).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',' && c.name !== 'Comment');
  const m = new Map<string, V>();
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (c.name === '**') {
      const v = cs[i + 1] ? ip.eval(cs[i + 1], scope) : UNKNOWN;
      if (v.k !== 'dict') return UNKNOWN;
      for (const [k, x] of v.map) m.set(k, x);
      i++;
      continue;
    }
    if (cs[i + 1]?.name === ':' && cs[i + 2]) {
      const k = keyOf(ip.eval(c, scope));
      const v = ip.eval(cs[i + 2], scope);
      if (k === undefined) return UNKNOWN;
      m.set(k, v);
      i += 2;
    }
  }
  return { k: 'dict', map: m };
}

export function evalComprehension(ip: Interp, n: Node, scope: Scope): V {
  const cs = kids(n).filter((c) => c.name !== 'Comment');
  const iFor = cs.findIndex((c) => c.name === 'for');
  if (iFor < 0) return UNKNOWN;
  const head = cs.slice(1, iFor).filter((c) => !isToken(c) || c.name === ':');
  const isDict = n.name === 'DictionaryComprehensionExpression';
  // Clauses: for targets in iter [if cond]* [for ...]*
  interface Clause { kind: 'for' | 'if'; targets?: Node[]; expr: Node }
  const clauses: Clause[] = [];
  for (let i = iFor; i < cs.length; i++) {
    const c = cs[i];
    if (c.name === 'for') {
      const iIn = cs.findIndex((x, j) => j > i && x.name === 'in');
      if (iIn < 0 || !cs[iIn + 1]) return UNKNOWN;
      clauses.push({ kind: 'for', targets: cs.slice(i + 1, iIn).filter((x) => !isToken(x)), expr: cs[iIn + 1] });
      i = iIn + 1;
    } else if (c.name === 'if' && cs[i + 1]) {
      clauses.push({ kind: 'if', expr: cs[i + 1] });
      i++;
    }
  }
  const inner = new Scope(scope, 'function');
  const out: V[] = [];
  const dict = new Map<string, V>();
  let unknownLen = false;
  let count = 0;
  const emit = () => {
    if (isDict) {
      const kNode = head[0];
      const vNode = head[head.length - 1];
      if (!kNode || !vNode || kNode === vNode) return;
      const k = keyOf(ip.eval(kNode, inner));
      if (k === undefined) unknownLen = true;
      else dict.set(k, ip.eval(vNode, inner));
    } else if (head[0]) out.push(ip.eval(head[0], inner));
  };
  const run = (ci: number): void => {
    if (ci >= clauses.length) {
      emit();
      return;
    }
    const cl = clauses[ci];
    if (cl.kind === 'if') {
      const t = truthy(ip.eval(cl.expr, inner));
      if (t === true) run(ci + 1);
      else if (t === undefined) unknownLen = true;
      return;
    }
    const it = ip.eval(cl.expr, inner);
    const items = ip.iterate(it, cl.expr);
    const assign = (v: V) => {
      const ts = cl.targets!;
      if (ts.length === 1) assignTo(ip, ts[0], v, inner, n);
      else destructure(ip, ts, v, inner, n);
    };
    if (!items) {
      unknownLen = true;
      assign(it.k === 'list' && it.anyLen && it.items.length === 1 ? it.items[0] : UNKNOWN);
      run(ci + 1);
      return;
    }
    for (const item of items) {
      if (++count > LIMITS.loopIterations) {
        unknownLen = true;
        return;
      }
      assign(item);
      run(ci + 1);
    }
  };
  run(0);
  if (isDict) return unknownLen ? UNKNOWN : { k: 'dict', map: dict };
  if (unknownLen) return { k: 'list', items: [out[0] ?? UNKNOWN], tuple: false, anyLen: true };
  return list(out, n.name === 'ComprehensionExpression');
}

export function evalMember(ip: Interp, n: Node, scope: Scope): V {
  const obj = n.firstChild;
  if (!obj) return UNKNOWN;
  const op = obj.nextSibling;
  if (op?.name === '.') {
    // obj.name: the common case, without the list of children.
    const ov = ip.eval(obj, scope);
    const prop = op.nextSibling;
    if (!prop || prop.name !== 'PropertyName') return UNKNOWN;
    return getAttr(ip, ov, textOf(ip.text, prop), n);
  }
  const cs = kids(n);
  const ov = ip.eval(obj, scope);
  if (cs[1]?.name === '[') {
    const idx = evalSubscript(ip, cs.slice(2, cs[cs.length - 1]?.name === ']' ? -1 : undefined), scope);
    return getItem(ip, ov, idx, n);
  }
  return UNKNOWN;
}

/** A subscript: one index, a slice {k:'slice'} encoded as a dict, or a tuple of them. */
export function evalSubscript(ip: Interp, parts: Node[], scope: Scope): V {
  const groups: Node[][] = [[]];
  for (const p of parts) {
    if (p.name === ',') groups.push([]);
    else groups[groups.length - 1].push(p);
  }
  const one = (g: Node[]): V => {
    if (!g.some((p) => p.name === ':')) {
      const e = g.find((p) => !isToken(p));
      return e ? ip.eval(e, scope) : UNKNOWN;
    }
    const segs: (Node | undefined)[] = [undefined];
    for (const p of g) {
      if (p.name === ':') segs.push(undefined);
      else if (!isToken(p)) segs[segs.length - 1] = p;
    }
    const val = (x: Node | undefined) => (x ? ip.eval(x, scope) : NONE);
    return { k: 'dict', map: new Map<string, V>([['__slice__', TRUE], ['start', val(segs[0])], ['stop', val(segs[1])], ['step', val(segs[2])]]) };
  };
  const vs = groups.filter((g) => g.length).map(one);
  return vs.length === 1 && groups.length === 1 ? vs[0] : list(vs, true);
}

export function getItem(ip: Interp, obj: V, idx: V, at: Node): V {
  const slice = isSlice(idx) ? idx : undefined;
  switch (obj.k) {
    case 'list': {
      if (slice) {
        if (obj.anyLen) return obj;
        const [a, b] = sliceBounds(slice, obj.items.length);
        if (a === undefined || b === undefined) return { k: 'list', items: [UNKNOWN], tuple: obj.tuple, anyLen: true };
        return list(obj.items.slice(a, b), obj.tuple);
      }
      if (obj.anyLen) return obj.items.length === 1 ? obj.items[0] : UNKNOWN;
      const i = intOf(idx);
      if (i === undefined) return UNKNOWN;
      return obj.items[i < 0 ? obj.items.length + i : i] ?? UNKNOWN;
    }
    case 'dict': {
      const k = keyOf(idx);
      return k === undefined ? UNKNOWN : (obj.map.get(k) ?? UNKNOWN);
    }
    case 'str': {
      const i = intOf(idx);
      if (slice) {
        const [a, b] = sliceBounds(slice, obj.v.length);
        return a === undefined || b === undefined ? UNKNOWN : str(obj.v.slice(a, b));
      }
      return i === undefined ? UNKNOWN : str(obj.v.at(i) ?? '');
    }
    case 'mod':
      return runtimeOf(obj).moduleItem(ip, obj, idx, at);
    case 'param':
      return torch.paramItem(ip, obj, idx);
    case 'tensor':
      return obj; // indexing and slicing keep the distribution
    default:
      return UNKNOWN;
  }
}

export function getAttr(ip: Interp, obj: V, name: string, at: Node): V {
  switch (obj.k) {
    case 'ext':
      if ((obj.path === 'math' || obj.path === 'numpy') && Object.prototype.hasOwnProperty.call(MATH_CONSTANTS, name)) return num(MATH_CONSTANTS[name]);
      if (name === '__name__') return str(obj.path.split('.').pop()!);
      return extAttr(obj.path, name);
    case 'mod': {
      if (name === '__class__') return typeOf(ip, obj);
      const c = obj.children.get(name);
      if (c) return c;
      const a = obj.attrs.get(name);
      if (a) return a;
      const m = ip.findClassAttr(obj.cls, name);
      if (m) return bindAttr(ip, m, obj, at);
      return runtimeOf(obj).moduleAttr(ip, obj, name, at);
    }
    case 'obj': {
      if (name === '__class__') return obj.cls;
      const a = obj.attrs.get(name);
      if (a) return a;
      const m = ip.findClassAttr(obj.cls, name);
      return m ? bindAttr(ip, m, obj, at) : UNKNOWN;
    }
    case 'class': {
      if (name === '__name__') return str(obj.name);
      const m = ip.findClassAttr(obj, name);
      if (m?.k === 'fn' && m.classmethod) return { k: 'bound', fn: m, self: obj };
      return m ?? UNKNOWN;
    }
    case 'super': {
      const self = obj.self;
      const ownerCls = self.k === 'mod' || self.k === 'obj' ? self.cls : undefined;
      const after = mroAfter(ownerCls, obj.cls);
      for (const c of after) {
        if (c.k !== 'class') continue;
        const v = c.attrs.get(name);
        if (v) return bindAttr(ip, v, self, at);
      }
      if (name === '__init__') {
        const ext = ip.externalBase(obj.cls);
        if (ext === 'torch.nn.Sequential' || ext === 'torch.nn.ModuleList' || ext === 'torch.nn.ModuleDict') return { k: 'builtin', name: `__superinit:${ext}` } satisfies V;
        return { k: 'builtin', name: '__noop' };
      }
      return UNKNOWN;
    }
    case 'param':
      return torch.paramAttr(ip, obj, name);
    case 'tensor':
      return tensors.tensorAttr(ip, obj, name);
    case 'str':
    case 'list':
    case 'dict':
      return { k: 'method', self: obj, name };
    case 'fn':
      return name === '__name__' ? str(obj.name) : UNKNOWN;
    case 'init':
      return UNKNOWN;
    default:
      return UNKNOWN;
  }
}

export function bindAttr(ip: Interp, v: V, self: V, at: Node): V {
  if (v.k !== 'fn') return v;
  if (v.staticmethod) return v;
  if (v.classmethod) return { k: 'bound', fn: v, self: self.k === 'mod' || self.k === 'obj' ? (self.cls ?? UNKNOWN) : UNKNOWN };
  if (v.property) return ip.callFunction(v, noArgs(), self, at);
  return { k: 'bound', fn: v, self };
}

export function evalCall(ip: Interp, n: Node, scope: Scope): V {
  const callee = n.firstChild;
  const argList = argListOf(n);
  if (!callee || !argList) return UNKNOWN;
  const f = ip.eval(callee, scope);
  const args = evalArgs(ip, argList, scope);
  if (f.k === 'builtin' && f.name.startsWith('__superinit:')) {
    const frame = ip.frames[ip.frames.length - 1];
    if (frame?.self?.k === 'mod') torch.initSequentialBase(ip, frame.self, args);
    return NONE;
  }
  if (f.k === 'builtin' && f.name === '__noop') return NONE;
  return ip.callValue(f, args, n);
}

export function evalArgs(ip: Interp, argList: Node, scope: Scope): CallArgs {
  const { args, generator } = splitArgs(ip.text, argList);
  const out = noArgs(argList);
  if (generator) {
    out.pos.push(evalComprehension(ip, argList, scope));
    out.posNodes.push(argList);
    return out;
  }
  let kw: Map<string, V> | undefined;
  let kwNodes: Map<string, { name: Node; value: Node }> | undefined;
  for (const a of args as Arg[]) {
    const v = ip.eval(a.value, scope);
    if (a.kind === 'pos') {
      out.pos.push(v);
      out.posNodes.push(a.value);
    } else if (a.kind === 'kw' && a.name) {
      (kw ??= new Map()).set(a.name, v);
      (kwNodes ??= new Map()).set(a.name, { name: a.nameNode!, value: a.value });
    } else if (a.kind === 'star') {
      const items = ip.iterate(v, a.value);
      if (items) {
        out.pos.push(...items);
        out.posNodes.push(...items.map(() => undefined));
      } else out.unknownStar = true;
    } else if (a.kind === 'kwstar') {
      if (v.k === 'dict') for (const [k, x] of v.map) (kw ??= new Map()).set(k, x);
      else out.unknownStar = true;
    }
  }
  if (kw) out.kw = kw;
  if (kwNodes) out.kwNodes = kwNodes;
  return out;
}

export function evalBinary(ip: Interp, n: Node, scope: Scope): V {
  const cs = kids(n);
  const left = cs[0];
  const right = cs[cs.length - 1];
  if (!left || !right || left === right) return UNKNOWN;
  const ops = cs.slice(1, -1);
  const opText = ops.map((o) => textOf(ip.text, o)).join(' ').replace(/\s+/g, ' ').trim();
  if (opText === 'and' || opText === 'or') {
    const a = ip.eval(left, scope);
    const t = truthy(a);
    if (opText === 'and') {
      if (t === false) return a;
      const b = ip.eval(right, scope);
      if (t === true) return b;
      const tb = truthy(b);
      return tb === false ? FALSE : UNKNOWN;
    }
    if (t === true) return a;
    const b = ip.eval(right, scope);
    if (t === false) return b;
    return truthy(b) === true ? TRUE : UNKNOWN;
  }
  const a = ip.eval(left, scope);
  const b = ip.eval(right, scope);
  return binary(ip, opText, a, b, n);
}

export function binary(ip: Interp, op: string, a: V, b: V, at: Node): V {
  switch (op) {
    case '==':
    case '!=': {
      const e = equals(a, b);
      return e === undefined ? UNKNOWN : bool(op === '==' ? e : !e);
    }
    case 'is':
    case 'is not': {
      const e = identical(a, b);
      return e === undefined ? UNKNOWN : bool(op === 'is' ? e : !e);
    }
    case 'in':
    case 'not in': {
      const r = contains(b, a, ip);
      return r === undefined ? UNKNOWN : bool(op === 'in' ? r : !r);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const x = numOf(a);
      const y = numOf(b);
      if (x === undefined || y === undefined) {
        if (a.k === 'str' && b.k === 'str') return bool(op === '<' ? a.v < b.v : op === '<=' ? a.v <= b.v : op === '>' ? a.v > b.v : a.v >= b.v);
        return UNKNOWN;
      }
      return bool(op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y);
    }
  }
  if (a.k === 'tensor' || b.k === 'tensor') return tensors.tensorBinary(ip, op, a, b, at);
  if (op === '+' && a.k === 'str' && b.k === 'str') return str(a.v + b.v);
  if (op === '+' && a.k === 'list' && b.k === 'list') {
    if (a.anyLen || b.anyLen) return { k: 'list', items: [a.items[0] ?? b.items[0] ?? UNKNOWN], tuple: a.tuple, anyLen: true };
    return list([...a.items, ...b.items], a.tuple);
  }
  if (op === '*' && a.k === 'list' && intOf(b) !== undefined) {
    const k = intOf(b)!;
    if (a.anyLen || k * a.items.length > LIMITS.loopIterations) return { k: 'list', items: [a.items[0] ?? UNKNOWN], tuple: a.tuple, anyLen: true };
    return list(Array.from({ length: Math.max(0, k) }, () => a.items).flat(), a.tuple);
  }
  if (op === '%' && a.k === 'str') return UNKNOWN;
  const x = numOf(a);
  const y = numOf(b);
  // k · (an unknown layer size) stays that multiple of it (see V's `dim`).
  if (op === '*' && x !== undefined && b.k === 'unknown' && b.dim) return { k: 'unknown', dim: { rec: b.dim.rec, factor: b.dim.factor * x } };
  if (op === '*' && y !== undefined && a.k === 'unknown' && a.dim) return { k: 'unknown', dim: { rec: a.dim.rec, factor: a.dim.factor * y } };
  if (x === undefined || y === undefined) return UNKNOWN;
  switch (op) {
    case '+':
      return num(x + y);
    case '-':
      return num(x - y);
    case '*':
      return num(x * y);
    case '/':
      return y === 0 ? UNKNOWN : num(x / y);
    case '//':
      return y === 0 ? UNKNOWN : num(Math.floor(x / y));
    case '%':
      return y === 0 ? UNKNOWN : num(((x % y) + y) % y);
    case '**': {
      const r = x ** y;
      return Number.isFinite(r) ? num(r) : UNKNOWN;
    }
    case '<<':
      return num(x << y);
    case '>>':
      return num(x >> y);
    case '&':
      return num(x & y);
    case '|':
      return num(x | y);
    case '^':
      return num(x ^ y);
    default:
      return UNKNOWN;
  }
}
