/**
 * JavaScript built-ins as the tfjs interpreter models them: global functions and objects (Math, Number, Object,
 * JSON, …), and the methods of arrays (with their callbacks) and strings. Functions of the interpreter
 * (interpreter.ts), which they take as `ip`.
 */
import { ts } from 'ts-morph';
import { applyLayer, applyModel, coreMethod, modelAdd } from './tf-runtime';
import { tfjsModulePath } from './tables';
import { type ArrV, type BuiltinV, SPREAD, type V, UNDEF, UNKNOWN, bool, isPrimitive, newArr, num, str, strictEq, truthy } from './values';

import { type Interpreter, LIMITS, GLOBAL_NAMES } from './interpreter';
import { noteArrayMutation, openObject, prim } from './expressions';

export function globalProp(ip: Interpreter, name: string, key: string, node?: ts.Node): V {
  if (name === 'window') {
    if (key === 'tf') return { k: 'ns', path: [], node };
    if (GLOBAL_NAMES.has(key)) return { k: 'global', name: key };
    return UNKNOWN;
  }
  if (name === 'Math') {
    const c: Record<string, number> = { PI: Math.PI, E: Math.E, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E };
    if (key in c) return num(c[key], node);
  }
  if (name === 'Number') {
    const c: Record<string, number> = { MIN_VALUE: Number.MIN_VALUE, MAX_VALUE: Number.MAX_VALUE, EPSILON: Number.EPSILON, MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER, POSITIVE_INFINITY: Infinity, NEGATIVE_INFINITY: -Infinity, NaN: NaN };
    if (key in c) return num(c[key], node);
  }
  return { k: 'builtin', name: `${name}.${key}` };
}

/** Global functions called directly: Array(n), Number(x), String(x), Boolean(x), parseInt, parseFloat. */
export function callGlobal(ip: Interpreter, name: string, args: V[]): V {
  const a = args[0];
  switch (name) {
    case 'Array':
      if (args.length === 1 && a.k === 'num') {
        if (!Number.isInteger(a.v) || a.v < 0) return UNKNOWN;
        return a.v <= LIMITS.layersPerModel ? newArr(Array.from({ length: a.v }, () => UNDEF)) : newArr([], true);
      }
      return newArr([...args]);
    case 'Number':
      return a && isPrimitive(a) ? num(Number(prim(ip, a))) : UNKNOWN;
    case 'String':
      return a && isPrimitive(a) ? str(String(prim(ip, a))) : UNKNOWN;
    case 'Boolean': {
      const t = a ? truthy(a) : false;
      return t === undefined ? UNKNOWN : bool(t);
    }
    case 'parseInt':
      return a && isPrimitive(a) ? num(parseInt(String(prim(ip, a)), 10)) : UNKNOWN;
    case 'parseFloat':
      return a && isPrimitive(a) ? num(parseFloat(String(prim(ip, a)))) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

export function callBuiltin(ip: Interpreter, f: BuiltinV, args: V[], node: ts.Node): V {
  const name = f.name;
  const n0 = args[0];
  if (name === 'require') {
    const path = n0 && n0.k === 'str' ? tfjsModulePath(n0.v) : undefined;
    return path ? { k: 'ns', path, node } : UNKNOWN;
  }
  if (name.startsWith('Math.')) {
    const fnName = name.slice(5);
    const m = (Math as unknown as Record<string, unknown>)[fnName];
    if (typeof m === 'function' && fnName !== 'random' && args.every((a) => a.k === 'num')) {
      return num((m as (...x: number[]) => number)(...args.map((a) => (a as { v: number }).v)));
    }
    return UNKNOWN;
  }
  switch (name) {
    case 'Number.parseInt':
      return n0 && isPrimitive(n0) ? num(parseInt(String(prim(ip, n0)), 10)) : UNKNOWN;
    case 'Number.parseFloat':
      return n0 && isPrimitive(n0) ? num(parseFloat(String(prim(ip, n0)))) : UNKNOWN;
    case 'Number.isInteger':
      return n0 && n0.k === 'num' ? bool(Number.isInteger(n0.v)) : UNKNOWN;
    case 'Object.assign': {
      if (!n0 || n0.k !== 'obj') return UNKNOWN;
      for (const s of args.slice(1)) {
        if (s.k === 'obj') {
          for (const [k, p] of s.props) ip.setProp(n0, k, p);
          if (s.open) openObject(ip, n0);
        } else if (s.k !== 'undef' && s.k !== 'null') openObject(ip, n0);
      }
      return n0;
    }
    case 'Object.freeze':
    case 'Object.seal':
      return n0 ?? UNDEF;
    case 'Object.keys':
    case 'Object.values':
    case 'Object.entries': {
      if (!n0 || n0.k !== 'obj' || n0.open || n0.cls) return UNKNOWN;
      const entries = [...n0.props.entries()];
      if (name === 'Object.keys') return newArr(entries.map(([k]) => str(k)));
      if (name === 'Object.values') return newArr(entries.map(([, p]) => p.v));
      return newArr(entries.map(([k, p]) => newArr([str(k), p.v])));
    }
    case 'Array.isArray':
      return n0 ? (n0.k === 'unknown' ? UNKNOWN : bool(n0.k === 'arr')) : UNKNOWN;
    case 'Array.of':
      return newArr([...args]);
    case 'Array.from': {
      if (!n0) return UNKNOWN;
      let items: V[] | undefined;
      if (n0.k === 'arr' && !n0.open) items = [...n0.items];
      else if (n0.k === 'obj') {
        const len = n0.props.get('length')?.v;
        if (len && len.k === 'num' && Number.isInteger(len.v) && len.v >= 0) items = Array.from({ length: Math.min(len.v, LIMITS.loopIterations + 1) }, () => UNDEF);
      }
      if (!items) return uncertainCallbacks(ip, args[1], node);
      return mapItems(ip, items, args[1], node, n0.k === 'obj' ? (n0.props.get('length')?.v as { v: number }).v : items.length);
    }
    case 'JSON.parse':
      return UNKNOWN;
    case 'fn.call':
      return f.self && f.self.k === 'fn' ? ip.callFn(f.self, args.slice(1), args[0], node, false) : UNKNOWN;
    case 'fn.apply': {
      if (!f.self || f.self.k !== 'fn') return UNKNOWN;
      const a = args[1];
      return ip.callFn(f.self, a && a.k === 'arr' && !a.open ? a.items : [], args[0], node, false);
    }
    case 'fn.bind':
      return f.self && f.self.k === 'fn' ? { ...f.self, thisV: args[0] } : UNKNOWN;
    case 'layer.apply':
      return f.self && f.self.k === 'layer' ? applyLayer(ip, f.self.rec, n0, node) : UNKNOWN;
    case 'model.add':
      if (f.self && f.self.k === 'model') modelAdd(ip, f.self.m, n0 ?? UNDEF, node);
      return UNDEF;
    case 'model.apply':
      return applyModel(ip, n0, node);
  }
  if (name.startsWith('arr.') && f.self && f.self.k === 'arr') return arrayMethod(ip, f.self, name.slice(4), args, node);
  if (name.startsWith('str.') && f.self && f.self.k === 'str') return stringMethod(ip, f.self.v, name.slice(4), args);
  if (name.startsWith('tensor.') && f.self) return coreMethod(ip, f.self, name.slice(7), args, node, undefined);
  return UNKNOWN;
}

/** Callbacks over an unknown collection: run once with unknown arguments, under uncertainty. */
export function uncertainCallbacks(ip: Interpreter, cb: V | undefined, node: ts.Node): V {
  if (cb && cb.k === 'fn') {
    const seq0 = ip.mutationSeq;
    ip.branches(ip.line(node), [
      () => {
        ip.callFn(cb, [UNKNOWN, UNKNOWN, UNKNOWN], UNDEF, node, false);
        return undefined;
      },
      () => undefined,
    ]);
    ip.capNote(seq0, `The callback at line ${ip.line(node)} runs over a collection that could not be resolved; it was analyzed once.`);
  }
  return UNKNOWN;
}

export function mapItems(ip: Interpreter, items: V[], cb: V | undefined, node: ts.Node, total: number): V {
  const seq0 = ip.mutationSeq;
  const out: V[] = [];
  const n = Math.min(items.length, LIMITS.loopIterations);
  for (let i = 0; i < n; i++) out.push(cb && cb.k === 'fn' ? ip.callFn(cb, [items[i], num(i)], UNDEF, node, false) : cb ? UNKNOWN : items[i]);
  const capped = total > LIMITS.loopIterations;
  if (capped) ip.capNote(seq0, `The callback at line ${ip.line(node)} was run for the first ${LIMITS.loopIterations.toLocaleString('en-US')} elements only.`);
  const a = newArr(out, capped);
  if (capped) {
    const note = `The array built at line ${ip.line(node)} was cut to its first ${LIMITS.loopIterations.toLocaleString('en-US')} elements.`;
    a.notes = [note];
  }
  return a;
}

export function arrayMethod(ip: Interpreter, a: ArrV, m: string, args: V[], node: ts.Node): V {
  const cb = args[0];
  const known = !a.open && !a.items.some((x) => x.k === 'unknown' && x.reason === SPREAD);
  switch (m) {
    case 'push':
    case 'unshift': {
      const items = args.filter((x) => !(x.k === 'unknown' && x.reason === SPREAD));
      if (items.length !== args.length) a.open = true;
      if (a.items.length + items.length > LIMITS.layersPerModel) {
        a.open = true;
        const note = `The array built at line ${ip.line(node)} grew beyond ${LIMITS.layersPerModel.toLocaleString('en-US')} elements; only the first ones are described.`;
        if (!(a.notes ??= []).includes(note)) a.notes.push(note);
        return UNKNOWN;
      }
      if (m === 'push') a.items.push(...items);
      else a.items.unshift(...items);
      noteArrayMutation(ip, a);
      return a.open ? UNKNOWN : num(a.items.length);
    }
    case 'pop':
      noteArrayMutation(ip, a);
      return known ? a.items.pop() ?? UNDEF : UNKNOWN;
    case 'shift':
      noteArrayMutation(ip, a);
      return known ? a.items.shift() ?? UNDEF : UNKNOWN;
    case 'forEach':
    case 'map': {
      if (!known) return uncertainCallbacks(ip, cb, node);
      const r = mapItems(ip, a.items, cb, node, a.items.length);
      if (a.notes) (r as ArrV).notes = [...((r as ArrV).notes ?? []), ...a.notes];
      return m === 'map' ? r : UNDEF;
    }
    case 'filter': {
      if (!known || !cb || cb.k !== 'fn') return uncertainCallbacks(ip, cb, node);
      const out: V[] = [];
      for (let i = 0; i < Math.min(a.items.length, LIMITS.loopIterations); i++) {
        const t = truthy(ip.callFn(cb, [a.items[i], num(i)], UNDEF, node, false));
        if (t === undefined) return UNKNOWN;
        if (t) out.push(a.items[i]);
      }
      return newArr(out, a.items.length > LIMITS.loopIterations);
    }
    case 'reduce': {
      if (!known || !cb || cb.k !== 'fn') return uncertainCallbacks(ip, cb, node);
      let acc: V;
      let start = 0;
      if (args.length >= 2) acc = args[1];
      else {
        if (!a.items.length) return UNKNOWN;
        acc = a.items[0];
        start = 1;
      }
      const seq0 = ip.mutationSeq;
      for (let i = start; i < a.items.length; i++) {
        if (i >= LIMITS.loopIterations) {
          ip.capNote(seq0, `The reduce at line ${ip.line(node)} was run for the first ${LIMITS.loopIterations.toLocaleString('en-US')} elements only.`);
          return UNKNOWN;
        }
        acc = ip.callFn(cb, [acc, a.items[i], num(i)], UNDEF, node, false);
      }
      return acc;
    }
    case 'concat': {
      const out = newArr([...a.items], a.open);
      out.notes = a.notes ? [...a.notes] : undefined;
      for (const x of args) {
        if (x.k === 'arr') {
          out.items.push(...x.items);
          if (x.open) out.open = true;
          if (x.notes) (out.notes ??= []).push(...x.notes);
        } else out.items.push(x);
      }
      return out;
    }
    case 'slice': {
      if (!known) return UNKNOWN;
      const s = args[0]?.k === 'num' ? args[0].v : args[0] ? undefined : 0;
      const e = args[1]?.k === 'num' ? args[1].v : args[1] ? undefined : a.items.length;
      if (s === undefined || e === undefined) return UNKNOWN;
      return newArr(a.items.slice(s, e));
    }
    case 'flat': {
      if (!known) return UNKNOWN;
      const out: V[] = [];
      for (const x of a.items) {
        if (x.k === 'arr') {
          if (x.open) return UNKNOWN;
          out.push(...x.items);
        } else out.push(x);
      }
      return newArr(out);
    }
    case 'includes': {
      if (!known || !cb) return UNKNOWN;
      let any = false;
      for (const x of a.items) {
        const eq = strictEq(x, cb);
        if (eq === undefined) return UNKNOWN;
        any ||= eq;
      }
      return bool(any);
    }
    case 'indexOf': {
      if (!known || !cb) return UNKNOWN;
      for (let i = 0; i < a.items.length; i++) {
        const eq = strictEq(a.items[i], cb);
        if (eq === undefined) return UNKNOWN;
        if (eq) return num(i);
      }
      return num(-1);
    }
    case 'join': {
      if (!known || !a.items.every(isPrimitive)) return UNKNOWN;
      const sep = args[0]?.k === 'str' ? args[0].v : ',';
      return str(a.items.map((x) => String(prim(ip, x) ?? '')).join(sep));
    }
    case 'reverse':
      if (known) a.items.reverse();
      return a;
    case 'fill': {
      if (!known) return UNKNOWN;
      a.items = a.items.map(() => cb ?? UNDEF);
      return a;
    }
    case 'keys':
      return known ? newArr(a.items.map((_, i) => num(i))) : UNKNOWN;
    case 'entries':
      return known ? newArr(a.items.map((x, i) => newArr([num(i), x]))) : UNKNOWN;
    case 'values':
      return a;
    default:
      return UNKNOWN;
  }
}

export function stringMethod(ip: Interpreter, s: string, m: string, args: V[]): V {
  const a0 = args[0];
  switch (m) {
    case 'toLowerCase':
      return str(s.toLowerCase());
    case 'toUpperCase':
      return str(s.toUpperCase());
    case 'trim':
      return str(s.trim());
    case 'startsWith':
      return a0?.k === 'str' ? bool(s.startsWith(a0.v)) : UNKNOWN;
    case 'endsWith':
      return a0?.k === 'str' ? bool(s.endsWith(a0.v)) : UNKNOWN;
    case 'includes':
      return a0?.k === 'str' ? bool(s.includes(a0.v)) : UNKNOWN;
    case 'concat':
      return args.every(isPrimitive) ? str(s + args.map((x) => String(prim(ip, x))).join('')) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}
