/**
 * The statements of the tfjs interpreter: blocks, declarations and binding patterns, enums, switch, and loops
 * (unrolled through shared/loops.ts). Functions of the interpreter (interpreter.ts), which they take as `ip`.
 */
import { ts } from 'ts-morph';
import { SPREAD, Scope, type V, NULL, UNDEF, UNKNOWN, newArr, newObj, num, spanOf, str, strictEq, truthy } from './values';
import { type LoopHead, type LoopPass, itemsHead, loopCapNote, maybeOnce, unroll } from '../shared/loops';
import { type Interpreter, type Completion, LIMITS, TF_PARAM_NAMES } from './interpreter';
import { assignTo, propKey } from './expressions';

const { isDefaultClause, isDoStatement, isForOfStatement, isForStatement, isIdentifier, isModuleBlock, isObjectBindingPattern, isOmittedExpression, isStringLiteral, isVariableDeclarationList, isWhileStatement, SyntaxKind: SK, NodeFlags: NF } = ts;

export function execBlock(ip: Interpreter, stmts: readonly ts.Statement[], scope: Scope): Completion {
  ip.hoistBlock(stmts, scope);
  for (const s of stmts) {
    const c = exec(ip, s, scope);
    if (c) return c;
  }
  return undefined;
}

export function exec(ip: Interpreter, s: ts.Statement, scope: Scope, label?: string): Completion {
  ip.tick();
  switch (s.kind) {
    case SK.VariableStatement:
      execVarList(ip, (s as ts.VariableStatement).declarationList, scope);
      return undefined;
    case SK.ExpressionStatement:
      ip.eval((s as ts.ExpressionStatement).expression, scope);
      return undefined;
    case SK.IfStatement: {
      const st = s as ts.IfStatement;
      const c = truthy(ip.eval(st.expression, scope));
      if (c === true) return exec(ip, st.thenStatement, scope);
      if (c === false) return st.elseStatement ? exec(ip, st.elseStatement, scope) : undefined;
      return ip.branches(ip.line(st), [() => exec(ip, st.thenStatement, scope), () => (st.elseStatement ? exec(ip, st.elseStatement, scope) : undefined)]);
    }
    case SK.Block:
      return execBlock(ip, (s as ts.Block).statements, new Scope(scope, false));
    case SK.ReturnStatement: {
      const e = (s as ts.ReturnStatement).expression;
      return { t: 'return', v: e ? ip.eval(e, scope) : UNDEF };
    }
    case SK.ThrowStatement:
      ip.eval((s as ts.ThrowStatement).expression, scope);
      return { t: 'throw' };
    case SK.BreakStatement:
      return { t: 'break', label: (s as ts.BreakStatement).label?.text };
    case SK.ContinueStatement:
      return { t: 'continue', label: (s as ts.ContinueStatement).label?.text };
    case SK.ForStatement:
    case SK.ForOfStatement:
    case SK.ForInStatement:
    case SK.WhileStatement:
    case SK.DoStatement:
      return execLoop(ip, s as ts.IterationStatement, scope, label);
    case SK.SwitchStatement:
      return execSwitch(ip, s as ts.SwitchStatement, scope);
    case SK.TryStatement: {
      const st = s as ts.TryStatement;
      let c = execBlock(ip, st.tryBlock.statements, new Scope(scope, false));
      if (c && c.t === 'throw' && st.catchClause) {
        const cs = new Scope(scope, false);
        const vd = st.catchClause.variableDeclaration;
        if (vd) bindPattern(ip, vd.name, UNKNOWN, cs, 'let', true);
        c = execBlock(ip, st.catchClause.block.statements, cs);
      }
      if (st.finallyBlock) {
        const f = execBlock(ip, st.finallyBlock.statements, new Scope(scope, false));
        if (f) return f;
      }
      return c;
    }
    case SK.LabeledStatement: {
      const st = s as ts.LabeledStatement;
      const c = exec(ip, st.statement, scope, st.label.text);
      if (c && c.t === 'break' && c.label === st.label.text) return undefined;
      return c;
    }
    case SK.ClassDeclaration: {
      const cd = s as ts.ClassDeclaration;
      const cls = ip.evalClass(cd, scope);
      if (cd.name) {
        const b = scope.lookup(cd.name.text);
        if (b) ip.setBinding(b, cls);
        else scope.declare(cd.name.text, cls, 'class', cd.name);
      }
      return undefined;
    }
    case SK.ExportAssignment:
      ip.eval((s as ts.ExportAssignment).expression, scope);
      return undefined;
    case SK.EnumDeclaration:
      execEnum(ip, s as ts.EnumDeclaration, scope);
      return undefined;
    case SK.ModuleDeclaration: {
      const body = (s as ts.ModuleDeclaration).body;
      if (body && isModuleBlock(body)) {
        const ns = new Scope(scope, true);
        ip.hoistVars(body.statements, ns);
        return execBlock(ip, body.statements, ns) && undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function execEnum(ip: Interpreter, e: ts.EnumDeclaration, scope: Scope): void {
  const o = newObj();
  let next = 0;
  const es = new Scope(scope, false);
  for (const m of e.members) {
    const key = isIdentifier(m.name) || isStringLiteral(m.name) ? m.name.text : undefined;
    let v: V = UNKNOWN;
    if (m.initializer) {
      v = ip.eval(m.initializer, es);
      next = v.k === 'num' ? v.v + 1 : NaN;
    } else if (!Number.isNaN(next)) v = num(next++);
    if (key) {
      o.props.set(key, { v, el: undefined });
      es.declare(key, v, 'const');
    }
  }
  scope.declare(e.name.text, o, 'const', e.name);
}

export function execVarList(ip: Interpreter, list: ts.VariableDeclarationList, scope: Scope): void {
  const blockScoped = !!(list.flags & NF.BlockScoped);
  for (const d of list.declarations) {
    const v = d.initializer ? ip.eval(d.initializer, scope) : UNDEF;
    if (!d.initializer && !blockScoped) continue; // `var x;` keeps its value
    bindPattern(ip, d.name, v, scope, blockScoped ? 'let' : 'var', true);
  }
}

/** Names a value after the variable it is first stored in (layers, initializers, configs). */
export function nameValue(ip: Interpreter, v: V, name: ts.Identifier): void {
  if (v === UNKNOWN || v === UNDEF || v === NULL || Object.isFrozen(v)) return;
  if (v.k === 'unknown' || v.k === 'ns' || v.k === 'global') return;
  if (!v.holder) v.holder = { name: name.text, span: spanOf(name, ip.sf) };
  if (v.k === 'layer' && !v.rec.name) v.rec.name = name.text;
}

/** Binds a declaration or parameter pattern. `declare`: create/initialize bindings in `scope`. */
export function bindPattern(ip: Interpreter, name: ts.BindingName, v: V, scope: Scope, kind: 'let' | 'var' | 'param', declare: boolean): void {
  if (isIdentifier(name)) {
    if (kind !== 'param') nameValue(ip, v, name);
    if (kind === 'param') {
      if (v.k === 'unknown' && TF_PARAM_NAMES.has(name.text)) v = { k: 'ns', path: [], node: name };
      scope.declare(name.text, v, 'param', name);
      return;
    }
    const target = kind === 'var' ? scope.functionScope() : scope;
    const b = declare ? target.own(name.text) : scope.lookup(name.text);
    if (b) ip.setBinding(b, v);
    else target.declare(name.text, v, kind === 'var' ? 'var' : 'let', name);
    return;
  }
  if (isObjectBindingPattern(name)) {
    const used: string[] = [];
    for (const el of name.elements) {
      if (el.dotDotDotToken) {
        const rest = newObj();
        if (v.k === 'obj') {
          for (const [k, p] of v.props) if (!used.includes(k)) rest.props.set(k, p);
          rest.open = v.open;
        } else rest.open = true;
        bindPattern(ip, el.name, v.k === 'obj' ? rest : UNKNOWN, scope, kind, declare);
        continue;
      }
      const key = el.propertyName ? propKey(ip, el.propertyName, scope) : isIdentifier(el.name) ? el.name.text : undefined;
      let val: V = key === undefined ? UNKNOWN : ip.getProp(v, key);
      if (key !== undefined) used.push(key);
      if (el.initializer && val.k === 'undef') val = ip.eval(el.initializer, scope);
      else if (el.initializer && val.k === 'unknown' && ip.standalone.length && v.k === 'unknown') {
        // Destructured options with defaults of a function run stand-alone: use the defaults.
        val = ip.eval(el.initializer, scope);
        ip.standalone[ip.standalone.length - 1].usedDefaults = true;
      }
      bindPattern(ip, el.name, val, scope, kind, declare);
    }
    return;
  }
  // Array pattern
  let i = 0;
  for (const el of name.elements) {
    if (isOmittedExpression(el)) {
      i++;
      continue;
    }
    if (el.dotDotDotToken) {
      const rest = v.k === 'arr' && !v.open ? newArr(v.items.slice(i)) : UNKNOWN;
      bindPattern(ip, el.name, rest, scope, kind, declare);
      continue;
    }
    let val = ip.getIndex(v, i++);
    if (el.initializer && val.k === 'undef') val = ip.eval(el.initializer, scope);
    bindPattern(ip, el.name, val, scope, kind, declare);
  }
}

export function execSwitch(ip: Interpreter, s: ts.SwitchStatement, scope: Scope): Completion {
  const d = ip.eval(s.expression, scope);
  const clauses = s.caseBlock.clauses;
  const bs = new Scope(scope, false);
  for (const c of clauses) ip.hoistBlock(c.statements, bs);
  const runFrom = (start: number): Completion => {
    for (let i = start; i < clauses.length; i++) {
      for (const st of clauses[i].statements) {
        const c = exec(ip, st, bs);
        if (c) {
          if (c.t === 'break' && !c.label) return undefined;
          return c;
        }
      }
    }
    return undefined;
  };
  let match = -1;
  let unknownMatch = false;
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i];
    if (isDefaultClause(c)) continue;
    const eq = strictEq(d, ip.eval(c.expression, bs));
    if (eq === true) {
      match = i;
      break;
    }
    if (eq === undefined) unknownMatch = true;
  }
  const def = clauses.findIndex((c) => isDefaultClause(c));
  if (!unknownMatch) {
    const start = match >= 0 ? match : def;
    return start >= 0 ? runFrom(start) : undefined;
  }
  const alts: (() => Completion)[] = clauses.map((_, i) => () => runFrom(i));
  if (def < 0) alts.push(() => undefined);
  return ip.branches(ip.line(s), alts);
}

export function execLoop(ip: Interpreter, s: ts.IterationStatement, scope: Scope, label?: string): Completion {
  const line = ip.line(s);
  const seq0 = ip.mutationSeq;
  const loopScope = new Scope(scope, false);
  const pass = (iterScope: Scope): LoopPass<Completion> => {
    const c = exec(ip, s.statement, iterScope);
    if (!c) return 'next';
    if (c.t === 'break' && (!c.label || c.label === label)) return 'break';
    if (c.t === 'continue' && (!c.label || c.label === label)) return 'next';
    return { exit: c };
  };
  // A bound that is not a constant: forget what the body assigns, run it once or not at all.
  const uncertainPass = (names: string[], iterScope: Scope, bind?: () => void): Completion => {
    ip.forget(names, iterScope);
    const once = () => {
      bind?.();
      const r = pass(iterScope);
      return typeof r === 'string' ? undefined : r.exit;
    };
    const c = ip.branches(line, maybeOnce(once, undefined));
    ip.capNote(seq0, `The loop at line ${line} has a bound that is not a constant; its body was analyzed once, so the number of layers it adds is unknown.`);
    return c && c.t === 'return' ? c : undefined;
  };
  const capped = (names: string[]): Completion => {
    ip.forget(names, loopScope);
    ip.capNote(seq0, loopCapNote(line, LIMITS.loopIterations));
    return undefined;
  };
  const unrolling = (head: (i: number) => LoopHead, run: (i: number) => LoopPass<Completion>, names: () => string[], bind?: (iterScope: Scope) => void) =>
    unroll<Completion>({
      head,
      pass: run,
      ended: () => undefined,
      capped: () => capped(names()),
      unknown: () => {
        const iterScope = bind ? new Scope(loopScope, false) : loopScope;
        return uncertainPass(names(), iterScope, bind && (() => bind(iterScope)));
      },
      broken: () => undefined,
    });
  // The condition first, then the cap: a loop that ends at the cap is not cut.
  const condHead = (cond: () => boolean | undefined) => (i: number): LoopHead => {
    const c = cond();
    return c === false ? 'end' : i >= LIMITS.loopIterations ? 'capped' : c === undefined ? 'unknown' : 'go';
  };

  if (isForStatement(s)) {
    if (s.initializer) forInitializer(ip, s.initializer, scope, loopScope);
    const changed = () => [...ip.assignedIdentifiers(s.incrementor), ...ip.assignedIdentifiers(s.statement)];
    const run = () => {
      const r = pass(new Scope(loopScope, false));
      if (r === 'next' && s.incrementor) ip.eval(s.incrementor, loopScope);
      return r;
    };
    return unrolling(condHead(() => (s.condition ? truthy(ip.eval(s.condition, loopScope)) : true)), run, changed);
  }
  if (isWhileStatement(s) || isDoStatement(s)) {
    const changed = () => ip.assignedIdentifiers(s.statement).concat(ip.assignedIdentifiers(s.expression));
    const head = condHead(() => truthy(ip.eval(s.expression, loopScope)));
    return unrolling((i) => (isDoStatement(s) && i === 0 ? 'go' : head(i)), () => pass(new Scope(loopScope, false)), changed);
  }
  // for-of / for-in
  const fo = s as ts.ForOfStatement | ts.ForInStatement;
  const items = loopItems(ip, fo, ip.eval(fo.expression, loopScope));
  const bindVar = (v: V, iterScope: Scope) => bindLoopVariable(ip, fo.initializer, v, scope, iterScope);
  const names = () => ip.assignedIdentifiers(s.statement);
  const head: (i: number) => LoopHead = items ? itemsHead(items.length, LIMITS.loopIterations) : () => 'unknown';
  const run = (i: number) => {
    const iterScope = new Scope(loopScope, false);
    bindVar(items![i], iterScope);
    return pass(iterScope);
  };
  return unrolling(head, run, names, (iterScope) => bindVar(UNKNOWN, iterScope));
}

/** The initializer of a `for (…; …; …)` loop. */
export function forInitializer(ip: Interpreter, init: ts.ForInitializer, scope: Scope, loopScope: Scope): void {
  if (!isVariableDeclarationList(init)) {
    ip.eval(init, loopScope);
    return;
  }
  const bsc = !!(init.flags & NF.BlockScoped);
  for (const d of init.declarations) {
    const v = d.initializer ? ip.eval(d.initializer, loopScope) : UNDEF;
    bindPattern(ip, d.name, v, bsc ? loopScope : scope, bsc ? 'let' : 'var', !bsc ? false : true);
  }
}

/** Binds a for-of / for-in variable for one pass. */
export function bindLoopVariable(ip: Interpreter, init: ts.ForInitializer, v: V, scope: Scope, iterScope: Scope): void {
  if (isVariableDeclarationList(init)) {
    const d = init.declarations[0];
    if (d) {
      const bsc = !!(init.flags & NF.BlockScoped);
      bindPattern(ip, d.name, v, bsc ? iterScope : scope, bsc ? 'let' : 'var', !bsc ? false : true);
    }
  } else assignTo(ip, init, v, iterScope);
}

/** The values a for-of (or the keys a for-in) loop visits, when they are known. */
export function loopItems(ip: Interpreter, s: ts.ForOfStatement | ts.ForInStatement, iter: V): V[] | undefined {
  if (isForOfStatement(s)) {
    if (iter.k === 'arr' && !iter.open && !iter.items.some((x) => x.k === 'unknown' && x.reason === SPREAD)) return iter.items;
    if (iter.k === 'str') return [...iter.v].map((c) => str(c));
    return undefined;
  }
  if (iter.k === 'obj' && !iter.open) return [...iter.props.keys()].map((k) => str(k));
  if (iter.k === 'arr' && !iter.open) return iter.items.map((_, i) => str(String(i)));
  return undefined;
}
