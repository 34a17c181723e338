/**
 * The statements of the Python interpreter: assignments (with destructuring, attributes and items), if / for /
 * while / with, imports, and function and class definitions. Functions of the interpreter (interpreter.ts), which
 * they take as `ip`.
 */
import { type Node, exprKids, isToken, kids, spanOf, splitArgs, statements, textOf } from './syntax';
import { type ClassV, type FnV, type V, NONE, Scope, UNKNOWN, canonPath, intOf, list, num, truthy } from './values';
import * as torch from './torch-runtime';
import { Abort, BudgetExceeded } from '../shared/work-budget';
import { type LoopPass, itemsHead, loopCapNote, maybeOnce, unroll } from '../shared/loops';
import { type Interp, type Completion, LIMITS, extV, unparen, keyOf } from './interpreter';
import { binary, evalSubscript } from './expressions';
import { handleTopError } from './driver';

export function execInner(ip: Interp, s: Node, scope: Scope): Completion {
  switch (s.name) {
    case 'ExpressionStatement': {
      let e = s.firstChild;
      while (e && isToken(e)) e = e.nextSibling;
      if (e) ip.eval(e, scope);
      return undefined;
    }
    case 'AssignStatement':
      execAssign(ip, s, scope);
      return undefined;
    case 'UpdateStatement':
      execUpdate(ip, s, scope);
      return undefined;
    case 'IfStatement':
      return execIf(ip, s, scope);
    case 'ForStatement':
      return execFor(ip, s, scope);
    case 'WhileStatement':
      return execWhile(ip, s, scope);
    case 'FunctionDefinition':
      defineFunction(ip, s, scope, []);
      return undefined;
    case 'ClassDefinition':
      defineClass(ip, s, scope, []);
      return undefined;
    case 'DecoratedStatement': {
      const decos = kids(s).filter((c) => c.name === 'Decorator');
      const def = kids(s).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
      if (!def) return undefined;
      const names = decos.map((d) => textOf(ip.text, d).replace(/^@\s*/, '').replace(/\(.*$/s, '').trim());
      if (def.name === 'FunctionDefinition') defineFunction(ip, def, scope, names);
      else defineClass(ip, def, scope, names);
      return undefined;
    }
    case 'ReturnStatement': {
      const es = exprKids(s);
      if (!es.length) return { t: 'return', v: NONE };
      if (es.length === 1 && !kids(s).some((c) => c.name === ',')) return { t: 'return', v: ip.eval(es[0], scope) };
      return { t: 'return', v: list(ip.evalSeq(es, scope), true) };
    }
    case 'ImportStatement':
      execImport(ip, s, scope);
      return undefined;
    case 'WithStatement':
      return execWith(ip, s, scope);
    case 'TryStatement': {
      // The try body (the path the code is written for); except handlers are error paths and are skipped.
      const cs = kids(s);
      let c: Completion;
      for (let i = 0; i < cs.length; i++) {
        const k = cs[i];
        if (k.name !== 'Body') continue;
        const prev = cs.slice(0, i).reverse().find((x) => x.name === 'try' || x.name === 'except' || x.name === 'else' || x.name === 'finally');
        if (prev?.name === 'except') continue;
        if (prev?.name === 'else' && c) continue;
        const r = ip.execBlock(statements(k), scope);
        if (prev?.name === 'try') c = r && r.t === 'raise' ? undefined : r;
        else if (r) c = r;
      }
      return c;
    }
    case 'BreakStatement':
      return { t: 'break' };
    case 'ContinueStatement':
      return { t: 'continue' };
    case 'RaiseStatement':
      return { t: 'raise' };
    case 'ScopeStatement': {
      if (kids(s)[0]?.name === 'global') {
        scope.globals ??= new Set();
        for (const c of kids(s)) if (c.name === 'VariableName') scope.globals.add(textOf(ip.text, c));
      }
      return undefined;
    }
    case 'DeleteStatement':
      for (const c of exprKids(s)) if (c.name === 'VariableName') ip.setVar(scope, textOf(ip.text, c), UNKNOWN);
      return undefined;
    default:
      // pass, assert, print, match, error nodes: nothing the analysis needs.
      return undefined;
  }
}

export function execAssign(ip: Interp, s: Node, scope: Scope): void {
  const groups: Node[][] = [[]];
  for (let c = s.firstChild; c; c = c.nextSibling) {
    if (c.name === 'AssignOp') groups.push([]);
    else if (c.name === 'TypeDef' || c.name === ',' || c.name === 'Comment' || c.type.isError) continue;
    else groups[groups.length - 1].push(c);
  }
  if (groups.length < 2) {
    // `x: int` (annotation only): a dataclass field without default, nothing to evaluate.
    return;
  }
  const valueNodes = groups[groups.length - 1];
  if (!valueNodes.length) return;
  const v = valueNodes.length === 1 ? ip.eval(valueNodes[0], scope) : list(ip.evalSeq(valueNodes, scope), true);
  for (const targets of groups.slice(0, -1)) {
    if (targets.length === 1) assignTo(ip, targets[0], v, scope, s, valueNodes.length === 1 ? valueNodes[0] : undefined);
    else destructure(ip, targets, v, scope, s);
  }
}

export function assignTo(ip: Interp, target: Node, v: V, scope: Scope, stmt: Node, valueNode?: Node): void {
  switch (target.name) {
    case 'VariableName': {
      const name = textOf(ip.text, target);
      let val = v;
      // A model is named after the variable a plain assignment gives it (not a loop target: `for m in modules()`).
      if (v.k === 'mod' && !v.name && v.type !== 'leaf' && stmt.name === 'AssignStatement') v.name = name;
      if (v.k === 'init' && !v.holder) val = { ...v, holder: { name, span: spanOf(target) } };
      ip.setVar(scope, name, val);
      return;
    }
    case 'MemberExpression': {
      const cs = kids(target);
      const obj = cs[0];
      if (!obj) return;
      const ov = ip.eval(obj, scope);
      if (cs[1]?.name === '.' && cs[2]?.name === 'PropertyName') {
        setAttr(ip, ov, textOf(ip.text, cs[2]), v, target, stmt, valueNode);
        return;
      }
      if (cs[1]?.name === '[') {
        const idx = evalSubscript(ip, cs.slice(2, -1), scope);
        setItem(ip, ov, idx, v);
      }
      return;
    }
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'ParenthesizedExpression': {
      const inner = exprKids(target);
      if (target.name === 'ParenthesizedExpression' && inner.length === 1) return assignTo(ip, inner[0], v, scope, stmt, valueNode);
      destructure(ip, inner, v, scope, stmt);
      return;
    }
    default:
      return;
  }
}

export function destructure(ip: Interp, targets: Node[], v: V, scope: Scope, stmt: Node): void {
  let items: V[] | undefined;
  if (v.k === 'list' && !v.anyLen) items = v.items;
  else if (v.k === 'list' && v.anyLen && v.items.length === 1) items = targets.map(() => v.items[0]);
  const star = targets.findIndex((t) => t.name === 'StarPattern' || textOf(ip.text, t).startsWith('*'));
  targets.forEach((t, i) => {
    let item: V = UNKNOWN;
    if (items) {
      if (star < 0) item = items.length === targets.length ? items[i] : UNKNOWN;
      else if (i < star) item = items[i] ?? UNKNOWN;
      else if (i === star) item = list(items.slice(star, items.length - (targets.length - 1 - star)));
      else item = items[items.length - (targets.length - i)] ?? UNKNOWN;
    }
    assignTo(ip, t, item, scope, stmt);
  });
}

export function setAttr(ip: Interp, obj: V, name: string, v: V, target: Node, stmt: Node, valueNode?: Node): void {
  if (obj.k === 'mod') {
    if (obj.type === 'leaf' && obj.rec) {
      torch.setLeafAttr(ip, obj, name, v, target);
      return;
    }
    if (v.k === 'mod') {
      ip.register(obj, name, v);
      if (v.rec && !v.rec.assign && valueNode && unparen(valueNode) === v.rec.call && stmt.name === 'AssignStatement') {
        v.rec.assign = { target: textOf(ip.text, target), stmt };
      }
      ip.remove(obj.attrs as Map<string, unknown>, name);
      return;
    }
    if (obj.children.has(name)) ip.remove(obj.children as Map<string, unknown>, name);
    ip.put(obj.attrs as Map<string, unknown>, name, v);
    // Keras tracks lists of layers assigned to attributes (self.blocks = [Dense(...), ...]).
    return;
  }
  if (obj.k === 'param') {
    torch.setParamAttr(ip, obj, name, v, target);
    return;
  }
  if (obj.k === 'obj' || obj.k === 'class') {
    ip.put(obj.attrs as Map<string, unknown>, name, v);
  }
}

export function setItem(ip: Interp, obj: V, idx: V, v: V): void {
  if (obj.k === 'dict') {
    const key = keyOf(idx);
    if (key !== undefined) ip.put(obj.map as Map<string, unknown>, key, v);
    return;
  }
  if (obj.k === 'list' && !obj.anyLen) {
    const i = intOf(idx);
    if (i !== undefined && i >= -obj.items.length && i < obj.items.length) {
      const items = [...obj.items];
      items[i < 0 ? items.length + i : i] = v;
      ip.setItems(obj, items);
    }
    return;
  }
  if (obj.k === 'mod' && (obj.type === 'dict' || obj.type === 'list') && v.k === 'mod') {
    const key = obj.type === 'dict' ? keyOf(idx) : intOf(idx) !== undefined ? String(intOf(idx)) : undefined;
    if (key !== undefined) ip.register(obj, key, v);
    return;
  }
  if (obj.k === 'param') torch.setParamItem(ip, obj, idx, v);
}

export function execUpdate(ip: Interp, s: Node, scope: Scope): void {
  const cs = kids(s);
  const target = cs[0];
  const op = cs.find((c) => c.name === 'UpdateOp');
  const valueNode = cs[cs.length - 1];
  if (!target || !op || !valueNode || valueNode === op) return;
  const cur = ip.eval(target, scope);
  const rhs = ip.eval(valueNode, scope);
  const o = textOf(ip.text, op).slice(0, -1);
  // In-place list extension keeps the list object (self.layers += [...] on a ModuleList registers them).
  if (o === '+' && cur.k === 'mod' && cur.type === 'list') {
    torch.extendModuleList(ip, cur, rhs);
    return;
  }
  const v = binary(ip, o, cur, rhs, s);
  assignTo(ip, target, v, scope, s);
}

export function execIf(ip: Interp, s: Node, scope: Scope): Completion {
  const cs = kids(s);
  const arms: { cond?: Node; body: Node }[] = [];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if ((c.name === 'if' || c.name === 'elif') && cs[i + 1] && cs[i + 2]?.name === 'Body') arms.push({ cond: cs[i + 1], body: cs[i + 2] });
    else if (c.name === 'else' && cs[i + 1]?.name === 'Body') arms.push({ body: cs[i + 1] });
  }
  const run = (from: number): Completion => {
    for (let i = from; i < arms.length; i++) {
      const arm = arms[i];
      if (!arm.cond) return ip.execBlock(statements(arm.body), scope);
      const t = truthy(ip.eval(arm.cond, scope));
      if (t === true) return ip.execBlock(statements(arm.body), scope);
      if (t === false) continue;
      return ip.branches(arm.cond, [() => ip.execBlock(statements(arm.body), scope), () => run(i + 1)]);
    }
    return undefined;
  };
  return run(0);
}

export function execFor(ip: Interp, s: Node, scope: Scope): Completion {
  const cs = kids(s);
  const iIn = cs.findIndex((c) => c.name === 'in');
  const bodies = cs.filter((c) => c.name === 'Body');
  if (iIn < 0 || !bodies.length) return undefined;
  const targets = cs.slice(1, iIn).filter((c) => !isToken(c));
  const iterNode = cs.slice(iIn + 1).find((c) => !isToken(c) && c.name !== 'Body');
  if (!iterNode) return undefined;
  const iterV = ip.eval(iterNode, scope);
  const items = ip.iterate(iterV, iterNode);
  const assign = (v: V) => (targets.length === 1 ? assignTo(ip, targets[0], v, scope, s) : destructure(ip, targets, v, scope, s));
  const body = statements(bodies[0]);
  const elseBody = () => (bodies[1] ? ip.execBlock(statements(bodies[1]), scope) : undefined);
  const pass = (item: V): LoopPass<Completion> => {
    assign(item);
    return loopPass(ip.execBlock(body, scope));
  };
  const capNote = () => ip.note(loopCapNote(ip.line(s), LIMITS.loopIterations));
  if (!items && iterV.k === 'list' && iterV.range) {
    // A range too long to list: its first passes.
    const [start, , stp] = iterV.range;
    capNote();
    return unroll<Completion>({
      head: (i) => (i >= LIMITS.loopIterations ? 'capped' : 'go'),
      pass: (i) => pass(num(start + i * stp)),
      ended: () => undefined,
      capped: () => undefined,
      unknown: () => undefined,
      broken: () => undefined,
    });
  }
  if (!items) {
    // Unknown iterable: the body may run (once, with unknown values) or not at all.
    const once = () => {
      const rep = iterV.k === 'mod' && iterV.children.size === 1 ? [...iterV.children.values()][0] : undefined;
      const elem = iterV.k === 'list' && iterV.anyLen && iterV.items.length === 1 ? iterV.items[0] : (rep ?? UNKNOWN);
      assign(elem);
      return onceCompletion(ip.execBlock(body, scope));
    };
    return ip.branches(iterNode, maybeOnce(once, undefined));
  }
  return unroll<Completion>({
    head: itemsHead(items.length, LIMITS.loopIterations),
    pass: (i) => pass(items[i]),
    ended: elseBody,
    capped: () => {
      capNote();
      return elseBody();
    },
    unknown: () => undefined,
    broken: () => undefined,
  });
}

export function execWhile(ip: Interp, s: Node, scope: Scope): Completion {
  const cs = kids(s);
  const cond = cs[1];
  const bodies = cs.filter((c) => c.name === 'Body');
  if (!cond || !bodies.length) return undefined;
  const body = statements(bodies[0]);
  let t: boolean | undefined;
  return unroll<Completion>({
    // The cap is checked before the condition.
    head: (i) => (i >= LIMITS.loopIterations ? 'capped' : (t = truthy(ip.eval(cond, scope))) === false ? 'end' : t === undefined ? 'unknown' : 'go'),
    pass: () => loopPass(ip.execBlock(body, scope)),
    ended: () => (bodies[1] ? ip.execBlock(statements(bodies[1]), scope) : undefined),
    capped: () => {
      ip.note(loopCapNote(ip.line(s), LIMITS.loopIterations));
      return undefined;
    },
    unknown: () => ip.branches(cond, maybeOnce(() => onceCompletion(ip.execBlock(body, scope)), undefined)),
    broken: () => undefined,
  });
}

export function execWith(ip: Interp, s: Node, scope: Scope): Completion {
  const cs = kids(s);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (c.name === 'Body' || isToken(c)) continue;
    if (cs[i - 1]?.name === 'as') continue;
    const v = ip.eval(c, scope);
    if (cs[i + 1]?.name === 'as' && cs[i + 2]) assignTo(ip, cs[i + 2], v.k === 'ext' ? UNKNOWN : v, scope, s);
  }
  const body = cs.find((c) => c.name === 'Body');
  return body ? ip.execBlock(statements(body), scope) : undefined;
}

export function execImport(ip: Interp, s: Node, scope: Scope): void {
  const cs = kids(s);
  const names = (from: number, to: number) => cs.slice(from, to);
  if (cs[0]?.name === 'import') {
    // import a.b.c [as x], d
    let i = 1;
    while (i < cs.length) {
      const parts: string[] = [];
      while (i < cs.length && (cs[i].name === 'VariableName' || cs[i].name === '.')) {
        if (cs[i].name === 'VariableName') parts.push(textOf(ip.text, cs[i]));
        i++;
      }
      if (!parts.length) {
        i++;
        continue;
      }
      if (cs[i]?.name === 'as' && cs[i + 1]?.name === 'VariableName') {
        ip.setVar(scope, textOf(ip.text, cs[i + 1]), extV(parts.join('.')));
        i += 2;
      } else ip.setVar(scope, parts[0], extV(parts[0]));
      if (cs[i]?.name === ',') i++;
    }
    return;
  }
  if (cs[0]?.name !== 'from') return;
  const iImport = cs.findIndex((c) => c.name === 'import');
  if (iImport < 0) return;
  const modParts = names(1, iImport);
  const relative = modParts.some((c) => c.name === '.' || c.name === 'Ellipsis') && modParts[0]?.name !== 'VariableName';
  const mod = modParts.filter((c) => c.name === 'VariableName').map((c) => textOf(ip.text, c)).join('.');
  const rest = cs.slice(iImport + 1).filter((c) => c.name !== '(' && c.name !== ')');
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c.name === '*') {
      if (!relative) ip.starImports.push(canonPath(mod));
      continue;
    }
    if (c.name !== 'VariableName') continue;
    const name = textOf(ip.text, c);
    let alias = name;
    if (rest[i + 1]?.name === 'as' && rest[i + 2]?.name === 'VariableName') {
      alias = textOf(ip.text, rest[i + 2]);
      i += 2;
    }
    ip.setVar(scope, alias, relative || !mod ? UNKNOWN : extV(`${mod}.${name}`));
  }
}

export function defineFunction(ip: Interp, def: Node, scope: Scope, decorators: string[]): void {
  const nameNode = kids(def).find((c) => c.name === 'VariableName');
  if (!nameNode) return;
  const name = textOf(ip.text, nameNode);
  const fn: FnV = { k: 'fn', def, name, closure: scope };
  if (decorators.some((d) => d === 'property' || d.endsWith('.setter') || d === 'cached_property' || d === 'functools.cached_property')) fn.property = true;
  if (decorators.includes('staticmethod')) fn.staticmethod = true;
  if (decorators.includes('classmethod')) fn.classmethod = true;
  if (scope.kind === 'module' && !decorators.length) ip.topFunctions.push(fn);
  if (decorators.some((d) => d.endsWith('.setter'))) return;
  ip.setVar(scope, name, fn);
}

export function defineClass(ip: Interp, def: Node, scope: Scope, decorators: string[]): void {
  const cs = kids(def);
  const nameNode = cs.find((c) => c.name === 'VariableName');
  if (!nameNode) return;
  const argList = cs.find((c) => c.name === 'ArgList');
  const bases: V[] = argList ? splitArgs(ip.text, argList).args.filter((a) => a.kind === 'pos').map((a) => ip.eval(a.value, scope)) : [];
  const cls: ClassV = {
    k: 'class',
    id: ip.seq.cls++,
    name: textOf(ip.text, nameNode),
    node: def,
    bases,
    attrs: new Map(),
    dataclass: decorators.some((d) => d === 'dataclass' || d === 'dataclasses.dataclass'),
    fields: [],
  };
  cls.module = moduleKindOf(ip, bases);
  const body = cs.find((c) => c.name === 'Body');
  const classScope = new Scope(scope, 'class');
  if (body) {
    for (const st of statements(body)) {
      if (st.name === 'AssignStatement') {
        const first = kids(st)[0];
        if (first?.name === 'VariableName' && kids(st)[1]?.name === 'TypeDef') cls.fields.push(textOf(ip.text, first));
      }
      try {
        ip.exec(st, classScope);
      } catch (e) {
        if (e instanceof Abort || e instanceof BudgetExceeded) throw e;
        handleTopError(ip, e, st);
      }
    }
  }
  for (const [k, v] of classScope.vars) {
    cls.attrs.set(k, v);
    if (v.k === 'fn') (v as FnV & { cls?: ClassV }).cls = cls;
  }
  ip.classes.push(cls);
  ip.setVar(scope, cls.name, cls);
}

export function moduleKindOf(ip: Interp, bases: V[]): ClassV['module'] {
  for (const b of bases) {
    if (b.k === 'class' && b.module) return b.module;
    if (b.k === 'ext') {
      const p = b.path;
      if (p === 'torch.nn.Module' || (p.startsWith('torch.nn.') && torch.isModuleClass(p))) return 'torch';
      if (p === 'keras.Model' || p === 'keras.Sequential' || p === 'keras.layers.Layer' || p === 'keras.Layer' || p === 'keras.engine.base_layer.Layer') return 'keras';
    }
  }
  return undefined;
}

/** A loop pass's completion as the unrolling reads it. */
export function loopPass(c: Completion): LoopPass<Completion> {
  if (c?.t === 'break') return 'break';
  if (!c || c.t === 'continue') return 'next';
  return { exit: c };
}

/** The completion of a body run once as a branch alternative: `break` and `continue` only end that pass. */
export function onceCompletion(c: Completion): Completion {
  return c && (c.t === 'break' || c.t === 'continue') ? undefined : c;
}
