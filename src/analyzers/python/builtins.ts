/**
 * Python built-ins as the interpreter models them: the built-in functions (len, range, isinstance, getattr, …),
 * the methods of lists, dicts and strings, and math / numpy scalar functions. Functions of the interpreter
 * (interpreter.ts), which they take as `ip`.
 */
import { type Node } from './syntax';
import {
  type ClassV,
  type FnV,
  type V,
  FALSE,
  NONE,
  TRUE,
  UNKNOWN,
  bool,
  equals,
  intOf,
  list,
  num,
  numOf,
  str,
  strOf,
  truthy,
} from './values';
import { type Interp, type CallArgs, LIMITS, posArgs, extV, keyOf, runtimeOf } from './interpreter';
import { setAttr } from './statements';
import { getAttr } from './expressions';

export function callBuiltin(ip: Interp, name: string, args: CallArgs, at: Node): V {
  const a = args.pos[0];
  switch (name) {
    case 'range': {
      const ns = args.pos.map(intOf);
      if (!ns.length || ns.some((x) => x === undefined)) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      const [start, stop, stp] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
      if (stp === 0) return UNKNOWN;
      const out: V[] = [];
      for (let i = start; stp > 0 ? i < stop : i > stop; i += stp) {
        // Too long to hold: a loop over it runs its first iterations (said in a note), anything else is unknown.
        if (out.length > LIMITS.loopIterations) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true, range: [start, stop, stp] };
        out.push(num(i));
      }
      return list(out);
    }
    case 'len': {
      if (!a) return UNKNOWN;
      if (a.k === 'list' && a.range) {
        const [start, stop, stp] = a.range;
        return num(Math.max(0, Math.ceil((stop - start) / stp)));
      }
      if (a.k === 'list') return a.anyLen ? UNKNOWN : num(a.items.length);
      if (a.k === 'str') return num(a.v.length);
      if (a.k === 'dict') return num(a.map.size);
      if (a.k === 'mod' && (a.type === 'list' || a.type === 'seq' || a.type === 'dict' || a.type === 'kseq')) {
        return a.attrs.get('__unknownChildren__') ? UNKNOWN : num(a.children.size);
      }
      return UNKNOWN;
    }
    case 'enumerate': {
      const items = a ? ip.iterate(a, at) : undefined;
      const start = intOf(args.pos[1] ?? args.kw.get('start')) ?? 0;
      if (!items) return { k: 'list', items: [list([UNKNOWN, a?.k === 'list' && a.anyLen ? a.items[0] : UNKNOWN], true)], tuple: false, anyLen: true };
      return list(items.map((x, i) => list([num(i + start), x], true)));
    }
    case 'zip': {
      const its = args.pos.map((x) => ip.iterate(x, at));
      if (!its.length || its.some((x) => !x)) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      const n = Math.min(...its.map((x) => x!.length));
      return list(Array.from({ length: n }, (_, i) => list(its.map((x) => x![i]), true)));
    }
    case 'reversed': {
      const items = a ? ip.iterate(a, at) : undefined;
      return items ? list([...items].reverse()) : { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
    }
    case 'sorted': {
      const items = a ? ip.iterate(a, at) : undefined;
      if (!items) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      if (items.every((x) => x.k === 'num')) return list([...items].sort((x, y) => numOf(x)! - numOf(y)!));
      if (items.every((x) => x.k === 'str')) return list([...items].sort((x, y) => (strOf(x)! < strOf(y)! ? -1 : 1)));
      return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset': {
      if (!a) return list([], name === 'tuple');
      const items = ip.iterate(a, at);
      if (a.k === 'mod') return items ? list(items, name === 'tuple') : UNKNOWN;
      return items ? list(items, name === 'tuple') : { k: 'list', items: [a.k === 'list' && a.anyLen ? a.items[0] : UNKNOWN], tuple: name === 'tuple', anyLen: true };
    }
    case 'dict': {
      const m = new Map<string, V>();
      if (a?.k === 'dict') for (const [k, v] of a.map) m.set(k, v);
      else if (a) {
        const items = ip.iterate(a, at);
        if (!items) return UNKNOWN;
        for (const it of items) {
          if (it.k !== 'list' || it.items.length !== 2) return UNKNOWN;
          const k = keyOf(it.items[0]);
          if (k === undefined) return UNKNOWN;
          m.set(k, it.items[1]);
        }
      }
      for (const [k, v] of args.kw) m.set(k, v);
      return { k: 'dict', map: m };
    }
    case 'int': {
      const n = numOf(a);
      if (n !== undefined) return num(Math.trunc(n));
      const s = strOf(a);
      return s !== undefined && /^\s*[-+]?\d+\s*$/.test(s) ? num(parseInt(s, 10)) : UNKNOWN;
    }
    case 'float': {
      const n = numOf(a);
      if (n !== undefined) return num(n);
      const s = strOf(a);
      if (s !== undefined) {
        const v = Number(s.trim());
        return Number.isFinite(v) || /inf/i.test(s) ? num(/^-/.test(s.trim()) && /inf/i.test(s) ? -Infinity : /inf/i.test(s) ? Infinity : v) : UNKNOWN;
      }
      return UNKNOWN;
    }
    case 'bool': {
      const t = a ? truthy(a) : false;
      return t === undefined ? UNKNOWN : bool(t);
    }
    case 'str':
      if (a?.k === 'str') return a;
      if (a?.k === 'num') return str(String(a.v));
      return UNKNOWN;
    case 'abs': {
      const n = numOf(a);
      return n === undefined ? UNKNOWN : num(Math.abs(n));
    }
    case 'round': {
      const n = numOf(a);
      const d = intOf(args.pos[1]) ?? 0;
      return n === undefined ? UNKNOWN : num(Math.round(n * 10 ** d) / 10 ** d);
    }
    case 'min':
    case 'max':
    case 'sum': {
      const items = args.pos.length === 1 && a ? ip.iterate(a, at) : args.pos;
      const ns = items?.map(numOf);
      if (!ns || ns.some((x) => x === undefined) || (!ns.length && name !== 'sum')) return UNKNOWN;
      const xs = ns as number[];
      return num(name === 'sum' ? xs.reduce((p, q) => p + q, 0) : name === 'min' ? Math.min(...xs) : Math.max(...xs));
    }
    case 'any':
    case 'all': {
      const items = a ? ip.iterate(a, at) : undefined;
      if (!items) return UNKNOWN;
      const ts = items.map(truthy);
      if (name === 'any') return ts.some((t) => t === true) ? TRUE : ts.every((t) => t === false) ? FALSE : UNKNOWN;
      return ts.some((t) => t === false) ? FALSE : ts.every((t) => t === true) ? TRUE : UNKNOWN;
    }
    case 'isinstance': {
      const r = a && args.pos[1] ? isInstance(ip, a, args.pos[1]) : undefined;
      return r === undefined ? UNKNOWN : bool(r);
    }
    case 'issubclass':
      return UNKNOWN;
    case 'hasattr': {
      const n = strOf(args.pos[1]);
      if (!a || n === undefined) return UNKNOWN;
      const v = getAttr(ip, a, n, at);
      if (v.k === 'unknown') return UNKNOWN;
      return TRUE;
    }
    case 'getattr': {
      const n = strOf(args.pos[1]);
      if (!a || n === undefined) return UNKNOWN;
      const v = getAttr(ip, a, n, at);
      if (v.k === 'unknown' && args.pos[2] && (a.k === 'obj' || a.k === 'mod') && !a.attrs.has(n)) return args.pos[2];
      return v;
    }
    case 'setattr': {
      const n = strOf(args.pos[1]);
      if (a && n !== undefined && args.pos[2]) setAttr(ip, a, n, args.pos[2], at, at, args.posNodes[2]);
      return NONE;
    }
    case 'print':
    case 'exit':
    case 'quit':
      return NONE;
    case 'super': {
      const frame = ip.frames[ip.frames.length - 1];
      if (args.pos.length >= 2 && args.pos[0].k === 'class') return { k: 'super', cls: args.pos[0], self: args.pos[1] };
      const cls = (frame?.fn as (FnV & { cls?: ClassV }) | undefined)?.cls;
      if (!cls || frame?.self === undefined) return UNKNOWN;
      return { k: 'super', cls, self: frame.self };
    }
    case 'iter':
      return a ?? UNKNOWN;
    case 'next': {
      const items = a ? ip.iterate(a, at) : undefined;
      return items?.[0] ?? (a?.k === 'list' && a.anyLen ? a.items[0] : UNKNOWN);
    }
    case 'map': {
      const items = args.pos[1] ? ip.iterate(args.pos[1], at) : undefined;
      if (!a || !items || items.length > LIMITS.loopIterations) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      return list(items.map((x) => ip.callValue(a, posArgs([x]), at)));
    }
    case 'type':
      return a ? typeOf(ip, a) : UNKNOWN;
    case '__partial': {
      if (!a) return UNKNOWN;
      return { k: 'partial', fn: a, args: args.pos.slice(1), kw: new Map(args.kw) };
    }
    default:
      return ip.unknownNode(name, `${name}() is not modelled`, [...args.pos, ...args.kw.values()], at);
  }
}

export function listMethod(ip: Interp, l: Extract<V, { k: 'list' }>, name: string, args: CallArgs): V {
  const a = args.pos[0];
  switch (name) {
    case 'append':
      if (l.anyLen) return NONE;
      if (a) ip.setItems(l, [...l.items, a]);
      return NONE;
    case 'extend': {
      if (l.anyLen) return NONE;
      const items = a ? ip.iterate(a, args.node ?? ip.tree.topNode) : undefined;
      if (items) ip.setItems(l, [...l.items, ...items]);
      else ip.setItems(l, [UNKNOWN]), (l as { anyLen?: boolean }).anyLen = true;
      return NONE;
    }
    case 'insert': {
      const i = intOf(a);
      if (i === undefined || l.anyLen || !args.pos[1]) return NONE;
      const items = [...l.items];
      items.splice(i, 0, args.pos[1]);
      ip.setItems(l, items);
      return NONE;
    }
    case 'pop': {
      if (l.anyLen || !l.items.length) return UNKNOWN;
      const items = [...l.items];
      const i = a ? intOf(a) : -1;
      if (i === undefined) return UNKNOWN;
      const [v] = items.splice(i < 0 ? items.length + i : i, 1);
      ip.setItems(l, items);
      return v ?? UNKNOWN;
    }
    case 'index': {
      if (l.anyLen || !a) return UNKNOWN;
      const i = l.items.findIndex((x) => equals(x, a) === true);
      return i >= 0 ? num(i) : UNKNOWN;
    }
    case 'count':
      return l.anyLen || !a ? UNKNOWN : num(l.items.filter((x) => equals(x, a) === true).length);
    case 'copy':
      return { ...l, items: [...l.items] };
    case 'reverse':
      if (!l.anyLen) ip.setItems(l, [...l.items].reverse());
      return NONE;
    default:
      return UNKNOWN;
  }
}

export function dictMethod(ip: Interp, d: Extract<V, { k: 'dict' }>, name: string, args: CallArgs): V {
  switch (name) {
    case 'items':
      return list([...d.map].map(([k, v]) => list([str(k), v], true)));
    case 'keys':
      return list([...d.map.keys()].map((k) => str(k)));
    case 'values':
      return list([...d.map.values()]);
    case 'get': {
      const k = args.pos[0] ? keyOf(args.pos[0]) : undefined;
      if (k === undefined) return UNKNOWN;
      return d.map.get(k) ?? args.pos[1] ?? NONE;
    }
    case 'pop': {
      const k = args.pos[0] ? keyOf(args.pos[0]) : undefined;
      if (k === undefined) return UNKNOWN;
      const v = d.map.get(k) ?? args.pos[1] ?? UNKNOWN;
      ip.remove(d.map as Map<string, unknown>, k);
      return v;
    }
    case 'update': {
      const o = args.pos[0];
      if (o?.k === 'dict') for (const [k, v] of o.map) ip.put(d.map as Map<string, unknown>, k, v);
      for (const [k, v] of args.kw) ip.put(d.map as Map<string, unknown>, k, v);
      return NONE;
    }
    case 'copy':
      return { k: 'dict', map: new Map(d.map) };
    case 'setdefault': {
      const k = args.pos[0] ? keyOf(args.pos[0]) : undefined;
      if (k === undefined) return UNKNOWN;
      if (!d.map.has(k)) ip.put(d.map as Map<string, unknown>, k, args.pos[1] ?? NONE);
      return d.map.get(k)!;
    }
    default:
      return UNKNOWN;
  }
}

/** type(v): a user class, the canonical path of a framework class, or a builtin type. */
export function typeOf(ip: Interp, a: V): V {
  if (a.k === 'obj') return a.cls;
  if (a.k === 'mod') {
    if (a.cls) return a.cls;
    if (a.rec) return extV(a.rec.cls);
    if (a.type === 'seq') return extV('torch.nn.Sequential');
    if (a.type === 'list') return extV('torch.nn.ModuleList');
    if (a.type === 'dict') return extV('torch.nn.ModuleDict');
    if (a.type === 'kseq') return extV('keras.Sequential');
    if (a.type === 'kfunc') return extV('keras.Model');
  }
  if (a.k === 'num') return { k: 'builtin', name: Number.isInteger(a.v) ? 'int' : 'float' };
  if (a.k === 'str') return { k: 'builtin', name: 'str' };
  if (a.k === 'bool') return { k: 'builtin', name: 'bool' };
  return UNKNOWN;
}

/** isinstance(v, cls) where it can be decided. */
export function isInstance(ip: Interp, v: V, cls: V): boolean | undefined {
  if (cls.k === 'list') {
    const rs = cls.items.map((c) => isInstance(ip, v, c));
    if (rs.some((r) => r === true)) return true;
    return rs.every((r) => r === false) ? false : undefined;
  }
  if (cls.k === 'builtin') {
    switch (cls.name) {
      case 'int':
        return v.k === 'num' ? Number.isInteger(v.v) : v.k === 'bool' ? true : v.k === 'unknown' ? undefined : false;
      case 'float':
        return v.k === 'num' ? !Number.isInteger(v.v) || undefined : v.k === 'unknown' ? undefined : false;
      case 'str':
        return v.k === 'str' ? true : v.k === 'unknown' ? undefined : false;
      case 'bool':
        return v.k === 'bool' ? true : v.k === 'unknown' ? undefined : false;
      case 'list':
      case 'tuple':
        return v.k === 'list' ? v.tuple === (cls.name === 'tuple') : v.k === 'unknown' ? undefined : false;
      case 'dict':
        return v.k === 'dict' ? true : v.k === 'unknown' ? undefined : false;
      default:
        return undefined;
    }
  }
  if (v.k === 'mod') {
    if (cls.k === 'class') return !!v.cls && (v.cls === cls || ip.inherits(v.cls, cls));
    if (cls.k === 'ext') return runtimeOf(v).isInstance(ip, v, cls.path);
    return undefined;
  }
  if (v.k === 'obj') {
    if (cls.k === 'class') return v.cls === cls || ip.inherits(v.cls, cls);
    return cls.k === 'ext' ? false : undefined;
  }
  if (v.k === 'param' || v.k === 'tensor') {
    if (cls.k === 'ext') return cls.path === 'torch.Tensor' || cls.path === 'torch.nn.Parameter' ? true : cls.path.startsWith('torch.nn.') ? false : undefined;
    return cls.k === 'class' ? false : undefined;
  }
  if (v.k === 'unknown') return undefined;
  if (v.k === 'num' || v.k === 'str' || v.k === 'bool' || v.k === 'none' || v.k === 'list' || v.k === 'dict') return cls.k === 'ext' || cls.k === 'class' ? false : undefined;
  return undefined;
}

export function contains(container: V, item: V, ip: Interp): boolean | undefined {
  switch (container.k) {
    case 'str':
      return item.k === 'str' ? container.v.includes(item.v) : undefined;
    case 'list': {
      if (container.anyLen) return undefined;
      let unknown = false;
      for (const x of container.items) {
        const e = equals(x, item);
        if (e === true) return true;
        if (e === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    case 'dict': {
      const k = keyOf(item);
      return k === undefined ? undefined : container.map.has(k);
    }
    case 'mod':
      if (container.type === 'dict') {
        const k = keyOf(item);
        return k === undefined ? undefined : container.children.has(k);
      }
      void ip;
      return undefined;
    default:
      return undefined;
  }
}

export function strMethod(s: string, name: string, args: CallArgs): V {
  const a = strOf(args.pos[0]);
  switch (name) {
    case 'startswith':
    case 'endswith': {
      const arg = args.pos[0];
      const options = arg?.k === 'list' && !arg.anyLen ? arg.items.map(strOf) : [a];
      if (options.some((o) => o === undefined)) return UNKNOWN;
      return bool(options.some((o) => (name === 'startswith' ? s.startsWith(o!) : s.endsWith(o!))));
    }
    case 'split': {
      if (args.pos.length === 0) return list(s.trim().split(/\s+/).filter(Boolean).map((x) => str(x)));
      return a === undefined || a === '' ? UNKNOWN : list(s.split(a).map((x) => str(x)));
    }
    case 'rsplit':
      return a === undefined || a === '' ? UNKNOWN : list(s.split(a).map((x) => str(x)));
    case 'replace': {
      const b = strOf(args.pos[1]);
      return a === undefined || b === undefined ? UNKNOWN : str(s.split(a).join(b));
    }
    case 'lower':
      return str(s.toLowerCase());
    case 'upper':
      return str(s.toUpperCase());
    case 'strip':
      return str(s.trim());
    case 'find':
      return a === undefined ? UNKNOWN : num(s.indexOf(a));
    case 'join': {
      const l = args.pos[0];
      if (l?.k !== 'list' || l.anyLen || l.items.some((x) => x.k !== 'str')) return UNKNOWN;
      return str(l.items.map((x) => strOf(x)).join(s));
    }
    default:
      return UNKNOWN;
  }
}

export function mathCall(fn: string, args: CallArgs): V {
  const xs = args.pos.map(numOf);
  const x = xs[0];
  if (x === undefined) return UNKNOWN;
  const r = (v: number) => (Number.isFinite(v) ? num(v) : UNKNOWN);
  switch (fn) {
    case 'sqrt':
      return x < 0 ? UNKNOWN : r(Math.sqrt(x));
    case 'log':
      return x <= 0 ? UNKNOWN : xs[1] !== undefined ? r(Math.log(x) / Math.log(xs[1])) : r(Math.log(x));
    case 'log2':
      return x <= 0 ? UNKNOWN : r(Math.log2(x));
    case 'log10':
      return x <= 0 ? UNKNOWN : r(Math.log10(x));
    case 'exp':
      return r(Math.exp(x));
    case 'ceil':
      return r(Math.ceil(x));
    case 'floor':
      return r(Math.floor(x));
    case 'pow':
      return xs[1] === undefined ? UNKNOWN : r(x ** xs[1]);
    case 'tanh':
      return r(Math.tanh(x));
    default:
      return UNKNOWN;
  }
}
