/**
 * A small abstract interpreter over the raw TypeScript syntax tree: it executes a file's statements with
 * abstract values (values.ts), following constants, helper functions, loops with constant bounds, object
 * spreads and the tfjs namespace, and records the models and layers the code builds. Anything it cannot
 * decide becomes UNKNOWN; every loop, recursion and the total work are capped so that it always terminates.
 *
 * This file holds the interpreter's state and bookkeeping (steps, branch joins, scopes, calls, classes); its work
 * is in driver.ts (imports, stand-alone runs), statements.ts, expressions.ts and builtins.ts, functions that take
 * the interpreter as `ip`, and the `tf` namespace in tf-runtime.ts.
 */
import { ts } from 'ts-morph';
import { type LayerCtx, newRec } from './layers';
import { stripOuter } from './syntax';
import { callNs, coreMethod } from './tf-runtime';
import { callBuiltin, callGlobal, globalProp } from './builtins';
import { bindPattern, exec, execBlock } from './statements';
import { evalArgs, evalInner, propKey } from './expressions';
import { hoistImports, runUncalled } from './driver';
import { TF_LAYERS_CLASSES } from './tables';
import {
  type Binding,
  type ClassV,
  type FnV,
  type ModelRec,
  type ObjV,
  type Prop,
  SPREAD,
  Scope,
  TDZ,
  type UnknownV,
  type V,
  UNDEF,
  UNKNOWN,
  joinValues,
  newArr,
  newObj,
  num,
  sameValue,
  str,
  unknown,
} from './values';
import { type ChangedPlace, type Store, UndoLog } from '../shared/undo-log';
import { Abort, WorkBudget, noteOnce } from '../shared/work-budget';

// Bound once: the `ts` namespace exposes its members through getters.
const { getCombinedModifierFlags, isArrowFunction, isBinaryExpression, isBlock, isClassDeclaration, isClassLike, isConstructorDeclaration, isExpression, isFunctionDeclaration, isFunctionLike, isGetAccessorDeclaration, isIdentifier, isMethodDeclaration, isOmittedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isVariableDeclaration, isVariableDeclarationList, isVariableStatement, SyntaxKind: SK, NodeFlags: NF, ModifierFlags: MF } = ts;

export const LIMITS = {
  /** Iterations of one loop (and elements of one array callback) that are unrolled. */
  loopIterations: 1000,
  /** Layers described per model. */
  layersPerModel: 10000,
  /** Nested calls of user functions (recursion). */
  callDepth: 32,
  /** Nested expression evaluation. */
  evalDepth: 400,
  /** Evaluation steps per file. */
  steps: 300_000,
  /** Evaluation steps for one function analyzed stand-alone (not called by the file). */
  stepsPerFunction: 30_000,
};

export type Completion = undefined | { t: 'return'; v: V } | { t: 'break'; label?: string } | { t: 'continue'; label?: string } | { t: 'throw' };

export interface Frame {
  possible: V[];
}

export interface FnReg {
  fn?: FnV;
  decl: ts.FunctionLikeDeclaration;
  env: Scope;
  thisProvider?: () => V | undefined;
  called: boolean;
  cls?: ClassV;
}

export const TF_PARAM_NAMES = new Set(['tf', 'tfjs', 'tensorflow']);
export const GLOBAL_NAMES = new Set([
  'Math', 'Number', 'Object', 'Array', 'JSON', 'console', 'String', 'Boolean', 'Promise', 'Symbol', 'Map', 'Set',
  'Error', 'Date', 'parseInt', 'parseFloat', 'isNaN', 'isFinite',
]);
export const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);

export class Interpreter implements LayerCtx {
  readonly problems: { message: string; node?: ts.Node }[] = [];
  private readonly problemKeys = new Set<string>();
  readonly models: ModelRec[] = [];
  /** Identifiers bound to the tf namespace ([]) or tf.initializers at module level, for the fixer. */
  readonly nsBindings: { name: string; path: string[] }[] = [];
  /** Values used as initializers, per layer record, for sharedVariable. */
  private layerSeq = 0;
  modelSeq = 0;
  graphSeq = 0;
  readonly work = new WorkBudget(LIMITS.steps);
  mutationSeq = 0;
  private callDepth = 0;
  /** Mutation sequence number when the outermost user call started (for recursion-cap notes). */
  private callSeq0 = 0;
  uncertain: number[] = [];
  private readonly undoLog = new UndoLog();
  private frames: Frame[] = [];
  readonly registry = new Map<ts.Node, FnReg>();
  private readonly classes: ClassV[] = [];
  standalone: { fnName: string; usedDefaults: boolean }[] = [];
  ctorClass: ClassV[] = [];
  readonly moduleScope: Scope;
  aborted = false;

  constructor(readonly sf: ts.SourceFile) {
    this.moduleScope = new Scope(undefined, true);
  }

  // ------------------------------------------------------------------------------------------------------
  // LayerCtx

  nextLayerId(): number {
    return ++this.layerSeq;
  }

  problem(message: string, node?: ts.Node): void {
    const key = `${message}@${node ? node.pos : -1}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problems.push({ message, node });
  }

  line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  // ------------------------------------------------------------------------------------------------------
  // Entry

  run(): void {
    const stmts = this.sf.statements;
    try {
      hoistImports(this, stmts);
      this.hoistVars(stmts, this.moduleScope);
      this.hoistBlock(stmts, this.moduleScope);
      for (const s of stmts) {
        try {
          exec(this, s, this.moduleScope);
        } catch (e) {
          if (e instanceof Abort) throw e;
          this.internalError(e, s);
        }
      }
      runUncalled(this);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      this.aborted = true;
      const msg = `The analysis stopped after ${LIMITS.steps.toLocaleString('en-US')} evaluation steps; later code was not analyzed.`;
      this.problem(msg);
      for (const m of this.models) noteOnce(m.notes, msg);
    }
  }

  internalError(e: unknown, node: ts.Node): void {
    const what = e instanceof RangeError ? 'the code nests too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    this.problem(`Part of the file was not analyzed (${what}).`, node);
  }

  relevant?: Set<ts.Node>;

  called?: Set<string>;

  fnNameFromContext(decl: ts.Node): string | undefined {
    const p = decl.parent;
    if (p && isVariableDeclaration(p) && isIdentifier(p.name)) return p.name.text;
    if (p && isPropertyAssignment(p) && isIdentifier(p.name)) return p.name.text;
    return undefined;
  }

  tick(): void {
    this.work.tick();
  }

  // ------------------------------------------------------------------------------------------------------
  // Hoisting

  /** `var` declarations are function-scoped: declare them (undefined) before executing the body. */
  private readonly varNames = new WeakMap<readonly ts.Statement[], string[]>();

  /** `var` names declared in a body (not in nested functions), computed once per body. */
  hoistVars(stmts: readonly ts.Statement[], scope: Scope): void {
    let names = this.varNames.get(stmts);
    if (!names) {
      names = [];
      const stack: ts.Node[] = [...stmts];
      let guard = 0;
      while (stack.length && guard++ < 100000) {
        const n = stack.pop()!;
        if (isFunctionLike(n) || isClassLike(n)) continue;
        if (isVariableDeclarationList(n)) {
          if (!(n.flags & NF.BlockScoped)) for (const d of n.declarations) names.push(...this.boundNames(d.name));
          continue;
        }
        if (isExpression(n)) continue;
        n.forEachChild((c) => {
          stack.push(c);
        });
      }
      this.varNames.set(stmts, names);
    }
    for (const name of names) if (!scope.own(name)) scope.declare(name, UNDEF, 'var');
  }

  boundNames(name: ts.BindingName): string[] {
    if (isIdentifier(name)) return [name.text];
    const out: string[] = [];
    for (const el of name.elements) if (!isOmittedExpression(el)) out.push(...this.boundNames(el.name));
    return out;
  }

  /** Function declarations (hoisted with their value) and let/const/class (temporal dead zone). */
  hoistBlock(stmts: readonly ts.Statement[], scope: Scope): void {
    for (const s of stmts) {
      if (isFunctionDeclaration(s) && s.body) {
        const fn = this.makeFn(s, scope);
        if (s.name) scope.declare(s.name.text, fn, 'fn', s.name);
      } else if (isVariableStatement(s) && s.declarationList.flags & NF.BlockScoped) {
        for (const d of s.declarationList.declarations)
          for (const name of this.boundNames(d.name)) scope.declare(name, TDZ, 'let');
      } else if (isClassDeclaration(s) && s.name) {
        scope.declare(s.name.text, TDZ, 'class', s.name);
      }
    }
  }

  makeFn(decl: ts.FunctionLikeDeclaration, env: Scope, thisV?: V): FnV {
    const fn: FnV = { k: 'fn', decl, env, thisV, node: decl };
    if (!this.registry.has(decl)) this.registry.set(decl, { fn, decl, env, called: false, thisProvider: thisV ? () => thisV : undefined });
    return fn;
  }

  // ------------------------------------------------------------------------------------------------------
  // Assignments with an undo trail (for branches whose condition is unknown)

  setBinding(b: Binding, v: V | typeof TDZ): void {
    this.undoLog.put(b as unknown as Store, 'v', v);
  }

  setProp(o: ObjV, key: string, p: Prop): void {
    this.undoLog.put(o.props as Map<string, unknown>, key, p);
  }

  /** Runs alternative branches (condition unknown) and joins what they assigned. */
  branches(line: number, alts: (() => Completion)[]): Completion {
    this.uncertain.push(line);
    let explored: { completions: Completion[]; changed: ChangedPlace[] };
    try {
      explored = this.undoLog.explore(alts);
    } finally {
      this.uncertain.pop();
    }
    const { completions, changed } = explored;
    for (const { c, key, after } of changed) {
      if (c instanceof Map) this.joinProp(c as Map<string, Prop>, key, after.map((x) => (x.had ? (x.v as Prop) : undefined)));
      else this.joinBinding(c as unknown as Binding, after.map((x) => x.v as V | typeof TDZ));
    }
    // Completions: all returned → a return; some returned → possible return values.
    const returns = completions.filter((c): c is { t: 'return'; v: V } => !!c && c.t === 'return');
    if (returns.length === completions.length && returns.length > 0) return { t: 'return', v: joinValues(returns.map((r) => r.v)) };
    const frame = this.frames[this.frames.length - 1];
    if (frame) for (const r of returns) frame.possible.push(r.v);
    const throws = completions.filter((c) => c && c.t === 'throw');
    if (throws.length === completions.length) return { t: 'throw' };
    return undefined;
  }

  /** A binding after branches that left `vals` in it: their join; unknown if some left it uninitialized. */
  private joinBinding(b: Binding, vals: (V | typeof TDZ)[]): void {
    if (vals.every((v) => v === TDZ)) return;
    if (vals.some((v) => v === TDZ)) this.setBinding(b, UNKNOWN);
    else this.setBinding(b, joinValues(vals as V[]));
  }

  /** A property after branches that left `vals` in it (undefined: absent); unknown where they differ. */
  private joinProp(props: Map<string, Prop>, key: string, vals: (Prop | undefined)[]): void {
    const put = (p: Prop) => this.undoLog.put(props as Map<string, unknown>, key, p);
    if (vals.every((p) => p === undefined)) return;
    if (vals.some((p) => p === undefined)) {
      put({ v: UNKNOWN, el: vals.find((p) => p)?.el });
      return;
    }
    const ps = vals as Prop[];
    if (ps.every((p) => p === ps[0])) put(ps[0]);
    else if (ps.every((p) => sameValue(p.v, ps[0].v))) put(ps[0]);
    else put({ v: UNKNOWN, el: ps[0].el });
  }

  /** Names assigned anywhere in a subtree (loop bodies), to forget their values. */
  private readonly assigned = new WeakMap<ts.Node, string[]>();

  assignedIdentifiers(root: ts.Node | undefined): string[] {
    if (!root) return [];
    const cached = this.assigned.get(root);
    if (cached) return cached;
    const list = this.collectAssigned(root);
    this.assigned.set(root, list);
    return list;
  }

  private collectAssigned(root: ts.Node): string[] {
    const out = new Set<string>();
    const stack: ts.Node[] = [root];
    let guard = 0;
    while (stack.length && guard++ < 200000) {
      const n = stack.pop()!;
      if (isBinaryExpression(n) && n.operatorToken.kind >= SK.FirstAssignment && n.operatorToken.kind <= SK.LastAssignment) {
        const l = stripOuter(n.left);
        if (isIdentifier(l)) out.add(l.text);
      } else if ((isPrefixUnaryExpression(n) || isPostfixUnaryExpression(n)) && (n.operator === SK.PlusPlusToken || n.operator === SK.MinusMinusToken)) {
        const o = stripOuter(n.operand);
        if (isIdentifier(o)) out.add(o.text);
      }
      n.forEachChild((c) => {
        stack.push(c);
      });
    }
    return [...out];
  }

  forget(names: string[], scope: Scope): void {
    for (const name of names) {
      const b = scope.lookup(name);
      if (b && b.v !== TDZ) this.setBinding(b, UNKNOWN);
    }
  }

  capNote(sinceSeq: number, text: string): void {
    for (const m of this.models) if (m.lastMutation > sinceSeq) noteOnce(m.notes, text);
  }

  // ------------------------------------------------------------------------------------------------------
  // Statements

  // ------------------------------------------------------------------------------------------------------
  // Expressions

  eval(node: ts.Expression, scope: Scope): V {
    if (!this.work.enter(LIMITS.evalDepth)) return unknown('The expression nests too deeply to analyze.');
    try {
      return evalInner(this, node, scope);
    } finally {
      this.work.leave();
    }
  }

  getIndex(v: V, i: number): V {
    if (v.k === 'arr') {
      for (let j = 0; j < Math.min(i, v.items.length); j++) {
        const it = v.items[j];
        if (it.k === 'unknown' && it.reason === SPREAD) return UNKNOWN;
      }
      if (i >= 0 && i < v.items.length) {
        const it = v.items[i];
        return it.k === 'unknown' && it.reason === SPREAD ? UNKNOWN : it;
      }
      return v.open ? UNKNOWN : UNDEF;
    }
    if (v.k === 'str') return i >= 0 && i < v.v.length ? str(v.v[i]) : UNDEF;
    return this.getProp(v, String(i));
  }

  getProp(v: V, key: string, node?: ts.Node): V {
    switch (v.k) {
      case 'obj': {
        const p = v.props.get(key);
        if (p) return p.v;
        if (v.cls) {
          const m = this.findMethod(v.cls, key);
          if (m) return this.makeFn(m.decl, m.cls.env, v);
        }
        return v.open || v.cls ? UNKNOWN : UNDEF;
      }
      case 'arr':
        if (key === 'length') return v.open ? UNKNOWN : num(v.items.length);
        if (/^\d+$/.test(key)) return this.getIndex(v, Number(key));
        return { k: 'builtin', name: `arr.${key}`, self: v };
      case 'str':
        if (key === 'length') return num(v.v.length);
        if (/^\d+$/.test(key)) return this.getIndex(v, Number(key));
        return { k: 'builtin', name: `str.${key}`, self: v };
      case 'ns':
        return { k: 'ns', path: [...v.path, key], node };
      case 'global':
        return globalProp(this, v.name, key, node);
      case 'layer':
        if (key === 'apply') return { k: 'builtin', name: 'layer.apply', self: v };
        if (key === 'name' && v.rec.name) return str(v.rec.name);
        return UNKNOWN;
      case 'model':
        if (key === 'add' || key === 'apply') return { k: 'builtin', name: `model.${key}`, self: v };
        return UNKNOWN;
      case 'fn':
        if (key === 'call' || key === 'apply' || key === 'bind') return { k: 'builtin', name: `fn.${key}`, self: v };
        return UNKNOWN;
      case 'tinit':
      case 'tvar':
        if (key === 'shape' && v.shape && v.shape.every((d) => d !== undefined)) return newArr(v.shape.map((d) => num(d as number)));
        return { k: 'builtin', name: `tensor.${key}`, self: v };
      case 'ct':
        return { k: 'builtin', name: `tensor.${key}`, self: v };
      default:
        return UNKNOWN;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Calls

  unknownCall(node: ts.Node, _args: V[]): V {
    return { k: 'unknown', reasonNode: node };
  }

  /** The unknownReason for an unresolved value that ends up where a layer is expected. */
  reasonOf(v: UnknownV): string | undefined {
    if (v.reason && v.reason !== SPREAD) return v.reason;
    if (v.reasonNode) return `${this.shortText(v.reasonNode)} could not be resolved.`;
    return undefined;
  }

  shortText(node: ts.Node): string {
    const t = node.getText(this.sf).replace(/\s+/g, ' ');
    return t.length > 60 ? t.slice(0, 57) + '...' : t;
  }

  callMember(recv: V, key: string, args: V[], node: ts.Node, nameNode: ts.Node | undefined): V {
    switch (recv.k) {
      case 'ns':
        return callNs(this, [...recv.path, key], args, node, nameNode, false);
      case 'obj':
      case 'arr':
      case 'str':
      case 'global':
      case 'layer':
      case 'model':
      case 'fn': {
        const f = this.getProp(recv, key, node);
        return this.callValue(f, args, recv, node, nameNode);
      }
      case 'tinit':
      case 'tvar':
      case 'ct':
      case 'unknown':
        return coreMethod(this, recv, key, args, node, nameNode);
      default:
        return UNKNOWN;
    }
  }

  callValue(f: V, args: V[], thisV: V | undefined, node: ts.Node, calleeNode: ts.Node | undefined): V {
    switch (f.k) {
      case 'fn':
        return this.callFn(f, args, f.thisV ?? thisV, node, false);
      case 'builtin':
        return callBuiltin(this, f, args, node);
      case 'ns':
        return callNs(this, f.path, args, node, calleeNode && isPropertyAccessExpression(calleeNode) ? calleeNode.name : calleeNode, false);
      case 'global':
        return callGlobal(this, f.name, args);
      default:
        return this.unknownCall(node, args);
    }
  }

  callFn(fn: FnV, args: V[], thisV: V | undefined, callNode: ts.Node | undefined, standalone: boolean): V {
    const reg = this.registry.get(fn.decl);
    if (reg) reg.called = true;
    const decl = fn.decl;
    if (this.callDepth >= LIMITS.callDepth) {
      const note = `Calls nested deeper than ${LIMITS.callDepth} (recursion) at line ${this.line(callNode ?? decl)} were not followed.`;
      this.capNote(this.callSeq0, note);
      return unknown(note, note);
    }
    if (decl.asteriskToken || !decl.body) return UNKNOWN;
    if (this.callDepth === 0) this.callSeq0 = this.mutationSeq;
    this.callDepth++;
    const scope = new Scope(fn.env, true);
    this.frames.push({ possible: [] });
    try {
      if (!isArrowFunction(decl)) scope.declare('this', thisV ?? UNKNOWN, 'const');
      let spreadSeen = false;
      decl.parameters.forEach((p, i) => {
        if (p.dotDotDotToken) {
          const rest = args.slice(i);
          const open = standalone || rest.some((a) => a.k === 'unknown' && a.reason === SPREAD);
          bindPattern(this, p.name, newArr(open ? [] : rest, open), scope, 'param', true);
          return;
        }
        let a: V;
        if (standalone) a = p.initializer ? UNDEF : UNKNOWN;
        else {
          a = spreadSeen ? UNKNOWN : args[i] ?? UNDEF;
          if (a.k === 'unknown' && a.reason === SPREAD) {
            spreadSeen = true;
            a = UNKNOWN;
          }
        }
        if (a.k === 'undef' && p.initializer) {
          a = this.eval(p.initializer, scope);
          if (standalone && this.standalone.length) this.standalone[this.standalone.length - 1].usedDefaults = true;
        }
        bindPattern(this, p.name, a, scope, 'param', true);
      });
      let ret: V;
      if (isBlock(decl.body)) {
        this.hoistVars(decl.body.statements, scope);
        const c = execBlock(this, decl.body.statements, scope);
        ret = c && c.t === 'return' ? c.v : UNDEF;
      } else ret = this.eval(decl.body as ts.Expression, scope);
      const frame = this.frames[this.frames.length - 1];
      if (frame.possible.length) ret = joinValues([...frame.possible, ret]);
      return ret;
    } finally {
      this.frames.pop();
      this.callDepth--;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Classes

  evalClass(decl: ts.ClassLikeDeclaration, scope: Scope): ClassV {
    let base: V | undefined;
    const ext = decl.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword)?.types[0];
    if (ext) base = this.eval(ext.expression, scope);
    const isLayer =
      (!!base && base.k === 'ns' && base.path.length === 2 && base.path[0] === 'layers' && TF_LAYERS_CLASSES.has(base.path[1])) ||
      (!!base && base.k === 'ns' && base.path[0] === '#layerClasses') ||
      (!!base && base.k === 'class' && base.isLayer);
    const cls: ClassV = {
      k: 'class',
      decl,
      env: scope,
      base,
      name: decl.name?.text ?? `class@${this.line(decl)}`,
      isLayer,
      instantiated: false,
      node: decl,
    };
    this.classes.push(cls);
    if (!isLayer && !this.registry.has(decl)) this.registry.set(decl, { decl: decl as unknown as ts.FunctionLikeDeclaration, env: scope, called: false, cls });
    for (const m of decl.members) {
      if ((isMethodDeclaration(m) || isConstructorDeclaration(m) || isGetAccessorDeclaration(m)) && m.body && !this.registry.has(m)) {
        const isStatic = !!getCombinedModifierFlags(m) && (getCombinedModifierFlags(m) & MF.Static) !== 0;
        this.registry.set(m, {
          decl: m,
          env: scope,
          called: false,
          cls,
          thisProvider: () => (isStatic ? cls : this.representative(cls)),
        });
      }
    }
    return cls;
  }

  private representative(cls: ClassV): V {
    if (cls.isLayer) return UNKNOWN;
    if (!cls.representative) this.instantiate(cls, [], cls.decl, true);
    return cls.representative ?? UNKNOWN;
  }

  private findMethod(cls: ClassV, key: string): { decl: ts.MethodDeclaration; cls: ClassV } | undefined {
    for (let c: ClassV | undefined = cls, guard = 0; c && guard < 32; c = c.base && c.base.k === 'class' ? c.base : undefined, guard++) {
      for (const m of c.decl.members)
        if (isMethodDeclaration(m) && m.body && isIdentifier(m.name) && m.name.text === key && !(getCombinedModifierFlags(m) & MF.Static))
          return { decl: m, cls: c };
    }
    return undefined;
  }

  instantiate(cls: ClassV, args: V[], node: ts.Node, standalone: boolean): V {
    if (cls.isLayer) {
      const rec = newRec(this, cls.name, 'unknown', node, args[0]);
      rec.desc.unknownReason = `${cls.name} is a custom layer class; its weights are not analyzed.`;
      return { k: 'layer', rec, node };
    }
    const obj = newObj();
    obj.cls = cls;
    if (cls.base && cls.base.k !== 'class') obj.open = true;
    cls.instantiated = true;
    cls.representative ??= obj;
    if (standalone) this.standalone.push({ fnName: `the constructor of ${cls.name}`, usedDefaults: false });
    try {
      this.construct(cls, obj, standalone ? [] : args, node, standalone);
    } finally {
      if (standalone) this.standalone.pop();
    }
    return obj;
  }

  construct(cls: ClassV, obj: ObjV, args: V[], node: ts.Node, standalone = false): void {
    if (this.callDepth >= LIMITS.callDepth) return;
    const ctor = cls.decl.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && !!m.body);
    const initFields = () => {
      const fs = new Scope(cls.env, true);
      fs.declare('this', obj, 'const');
      for (const m of cls.decl.members) {
        if (isPropertyDeclaration(m) && m.initializer && !(getCombinedModifierFlags(m) & MF.Static)) {
          const key = propKey(this, m.name, fs);
          const v = this.eval(m.initializer, fs);
          if (key !== undefined) this.setProp(obj, key, { v });
        }
      }
    };
    if (!ctor) {
      if (cls.base && cls.base.k === 'class') this.construct(cls.base, obj, args, node, standalone);
      initFields();
      return;
    }
    const reg = this.registry.get(ctor);
    if (reg) reg.called = true;
    if (!cls.base || cls.base.k !== 'class') initFields();
    // Parameter properties (constructor(private units = 64)) are fields set before the body runs.
    ctor.parameters.forEach((p, i) => {
      if (isIdentifier(p.name) && p.modifiers?.some((m) => m.kind === SK.PrivateKeyword || m.kind === SK.PublicKeyword || m.kind === SK.ProtectedKeyword || m.kind === SK.ReadonlyKeyword)) {
        let v: V = standalone ? (p.initializer ? UNDEF : UNKNOWN) : args[i] ?? UNDEF;
        if (v.k === 'undef' && p.initializer) v = this.eval(p.initializer, new Scope(cls.env, true));
        this.setProp(obj, p.name.text, { v });
      }
    });
    this.ctorClass.push(cls);
    try {
      const fn: FnV = { k: 'fn', decl: ctor, env: cls.env };
      this.callFn(fn, args, obj, node, standalone);
      if (cls.base && cls.base.k === 'class') initFields();
    } finally {
      this.ctorClass.pop();
    }
  }

  evalNew(node: ts.NewExpression, scope: Scope): V {
    const callee = stripOuter(node.expression);
    const f = this.eval(callee, scope);
    const args = evalArgs(this, node.arguments, scope);
    switch (f.k) {
      case 'ns': {
        const nameNode = isPropertyAccessExpression(callee) ? callee.name : callee;
        return callNs(this, f.path, args, node, nameNode, true);
      }
      case 'class':
        return this.instantiate(f, args, node, false);
      case 'fn': {
        const obj = newObj();
        const r = this.callFn(f, args, obj, node, false);
        return r.k === 'obj' ? r : obj;
      }
      case 'global':
        return f.name === 'Array' ? callGlobal(this, 'Array', args) : newObj();
      default:
        return UNKNOWN;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Built-ins (Math, Object.assign, array methods...)

}
