/**
 * A small abstract interpreter over the @lezer/python syntax tree. It executes a file's statements with the
 * abstract values of values.ts: constants, containers, user functions and classes (nn.Module and Keras
 * subclasses included), PyTorch modules and Keras layers, symbolic tensors and initializer objects. Loops with
 * constant bounds are unrolled; a condition it cannot decide runs every branch and joins what they did (values
 * that differ become unknown). Every loop, recursion and the total work are capped, so it always terminates; a
 * construct it does not know gives `unknown`, never a guess, and never an exception to the caller.
 *
 * This file holds the interpreter's state and bookkeeping (steps, notes, records, branch joins, calls); its work is
 * in driver.ts (the run: called names, stand-alone runs, traces), statements.ts, expressions.ts and builtins.ts,
 * functions that take the interpreter as `ip`. The framework runtimes (torch-runtime.ts, keras-runtime.ts, through
 * runtime.ts) build layers, graph nodes and initializer references; build.ts turns the recorded roots into model
 * descriptions.
 */
import { type InitializerRef, type Span, lineColAt } from '../../core/model';
import { type Node, type Param, exprKids, isToken, kids, spanOf, splitParams, statements, textOf } from './syntax';
import {
  type ClassV,
  type FnV,
  type GNode,
  type LayerRec,
  type ModV,
  type ObjV,
  type ParamV,
  type V,
  NONE,
  Scope,
  TRUE,
  UNKNOWN,
  canonPath,
  equals,
  intOf,
  list,
  numOf,
  str,
} from './values';
import type { Shape } from './values';
import * as torch from './torch-runtime';
import * as tensors from './torch-tensors';
import * as keras from './keras-runtime';
import type { FrameworkRuntime } from './runtime';
import { callBuiltin, dictMethod, listMethod, mathCall, strMethod } from './builtins';
import { execInner } from './statements';
import { evalInner } from './expressions';
import { collectCalledNames, handleTopError, runStandalone, traceRoots } from './driver';
import { type Store, UndoLog } from '../shared/undo-log';
import { Abort, WorkBudget, noteOnce } from '../shared/work-budget';

/** The runtime of each framework; built on first use (the runtimes import this file). */
let runtimes: Record<ModV['fw'], FrameworkRuntime> | undefined;

export function runtimeOf(m: ModV): FrameworkRuntime {
  runtimes ??= { pytorch: torch.torchRuntime, keras: keras.kerasRuntime };
  return runtimes[m.fw];
}

export const LIMITS = {
  /** Iterations of one loop (or elements of one comprehension) that are unrolled. */
  loopIterations: 1000,
  /** Nested calls of user functions (recursion). */
  callDepth: 40,
  /** Nested expression / statement evaluation. */
  evalDepth: 180,
  /** Evaluation steps per file. */
  steps: 400_000,
  /** Evaluation steps for one function or class run stand-alone (not called by the file). */
  stepsStandalone: 40_000,
  /** Graph nodes per file. */
  nodes: 20_000,
  /** Layers per file. */
  layers: 20_000,
};

export type Completion = undefined | { t: 'return'; v: V } | { t: 'break' } | { t: 'continue' } | { t: 'raise' };

/** Arguments of a call, evaluated. */
export interface CallArgs {
  pos: V[];
  posNodes: (Node | undefined)[];
  kw: ReadonlyMap<string, V>;
  kwNodes: ReadonlyMap<string, { name: Node; value: Node }>;
  /** A `*x` or `**x` whose contents are unknown: absent parameters are unknown rather than defaulted. */
  unknownStar: boolean;
  /** The ArgList node. */
  node?: Node;
}

/** Shared by every call without keyword arguments (CallArgs maps are never changed once built). */
const NO_KW: ReadonlyMap<string, never> = new Map<string, never>();

export function noArgs(node?: Node): CallArgs {
  return { pos: [], posNodes: [], kw: NO_KW, kwNodes: NO_KW, unknownStar: false, node };
}

/** Positional arguments only (values without source nodes). */
export function posArgs(pos: V[]): CallArgs {
  return { pos, posNodes: pos.map(() => undefined), kw: NO_KW, kwNodes: NO_KW, unknownStar: false, node: undefined };
}

/** A value of `params` by position or keyword (undefined when absent; unknown when absent after an unknown star). */
export function argGetter(args: CallArgs, params: readonly string[], offset = 0): (name: string) => V | undefined {
  return (name: string) => {
    const kw = args.kw.get(name);
    if (kw) return kw;
    const i = params.indexOf(name);
    if (i >= 0 && i + offset < args.pos.length) return args.pos[i + offset];
    return args.unknownStar ? UNKNOWN : undefined;
  };
}

interface FnInfo {
  def: Node;
  params: Param[];
  body: Node | undefined;
  stmts: Node[];
  generator: boolean;
  /** The expression of a lambda. */
  lambdaBody: Node | undefined;
}

interface Frame {
  fn: FnV;
  self?: V;
  pendingReturns: V[];
}

/** A model root: a module or Keras model that is not part of another one. */
export interface Root {
  mod: ModV;
  /** Filled by the trace. */
  inputs: GNode[];
  outputs: GNode[];
  /** The nodes created while tracing (fallback when the outputs are unknown). */
  created: GNode[];
  notes: string[];
  traced: boolean;
}

export class Interp {
  readonly problems: { message: string; span?: Span }[] = [];
  /** Notes that concern every model of the file (caps hit). */
  readonly globalNotes: string[] = [];
  readonly mods: ModV[] = [];
  readonly recs: LayerRec[] = [];
  readonly classes: ClassV[] = [];
  readonly roots: Root[] = [];
  readonly moduleScope: Scope;
  /** Lines of conditions and loops that could not be decided. */
  readonly uncertainLines = new Set<number>();
  /** Module paths imported with `from m import *`. */
  readonly starImports: string[] = [];
  /** Names called (or referenced) anywhere in the file: classes and functions never called run stand-alone. */
  readonly calledNames = new Set<string>();
  /** One-line string literals by their quote (the fixer writes strings in the file's style). */
  readonly quotes = { single: 0, double: 0 };
  /** Nodes created, for the per-file cap and for trace bookkeeping. */
  nodeCount = 0;
  /** Nodes created during the current trace. */
  traceCreated: GNode[] | undefined;
  /** Notes of the current model-level activity (attached to the root being traced or built). */
  currentNotes: string[] | undefined;

  /** The step limit: LIMITS.steps for construction, as much again for tracing. */
  readonly work = new WorkBudget(LIMITS.steps);
  private readonly undoLog = new UndoLog();
  frames: Frame[] = [];
  /** > 0 while a user module's __init__ runs: modules created then are parts, not models. */
  constructing = 0;
  seq = { node: 0, rec: 0, mod: 0, cls: 0 };
  private lineStarts: number[] | undefined;
  readonly topFunctions: FnV[] = [];
  private readonly fnInfos = new Map<number, FnInfo>();
  /** The module whose children map each map is (branch joins treat registrations specially). */
  private readonly childrenOwner = new Map<Map<string, unknown>, ModV>();
  /** Positions of `yield` directly in a function, by the function's start (collectCalledNames). */
  readonly yields = new Map<number, number[]>();

  constructor(
    readonly text: string,
    readonly tree: { topNode: Node },
  ) {
    const builtins = new Scope(undefined, 'builtins');
    for (const name of BUILTIN_NAMES) builtins.vars.set(name, { k: 'builtin', name });
    builtins.vars.set('__name__', str('__main__'));
    this.moduleScope = new Scope(builtins, 'module');
  }

  // -----------------------------------------------------------------------------------------------------------
  // Driver

  run(): void {
    const script = this.tree.topNode;
    collectCalledNames(this, script);
    const top = statements(script);
    let i = 0;
    try {
      for (; i < top.length; i++) if (this.exec(top[i], this.moduleScope)) break;
    } catch (e) {
      handleTopError(this, e, top[i] ?? script);
      if (e instanceof Abort) {
        // The budget went on code before the rest of the file: still define what follows (imports, classes,
        // functions), so that its models are analyzed stand-alone.
        this.work.extend(LIMITS.stepsStandalone);
        try {
          for (const s of top.slice(i + 1)) {
            if (['ImportStatement', 'ClassDefinition', 'FunctionDefinition', 'DecoratedStatement'].includes(s.name)) this.exec(s, this.moduleScope);
          }
        } catch (e2) {
          handleTopError(this, e2, script);
        }
        this.work.extend(LIMITS.steps);
      }
    }
    runStandalone(this);
    traceRoots(this);
  }

  inherits(cls: ClassV, base: ClassV, depth = 0): boolean {
    if (depth > 20) return false;
    return cls.bases.some((b) => b === base || (b.k === 'class' && this.inherits(b, base, depth + 1)));
  }

  newInput(at: Node, shape: Shape, inputShape?: (number | undefined)[]): GNode {
    const g = this.newNode('input', 'input', [], spanOf(at));
    g.out = shape;
    if (inputShape) g.inputShape = inputShape;
    return g;
  }

  /** Tensors in a returned value (tuples, lists and dicts of tensors), in order, without repeats. */
  tensorsOf(v: V, depth = 0): GNode[] {
    const out: GNode[] = [];
    const visit = (x: V, d: number) => {
      if (d > 6) return;
      if (x.k === 'tensor') {
        if (x.role === undefined && !out.includes(x.node)) out.push(x.node);
      } else if (x.k === 'list') for (const y of x.items) visit(y, d + 1);
      else if (x.k === 'dict') for (const y of x.map.values()) visit(y, d + 1);
    };
    visit(v, depth);
    return out;
  }

  // -----------------------------------------------------------------------------------------------------------
  // Bookkeeping

  step(node: Node): void {
    this.work.tick();
    void node;
  }

  line(n: Node | number): number {
    const pos = typeof n === 'number' ? n : n.from;
    return lineColAt(this.text, pos, (this.lineStarts ??= computeStarts(this.text))).line;
  }

  note(message: string): void {
    noteOnce(this.currentNotes ?? this.globalNotes, message, 20);
  }

  problem(message: string, node?: Node): void {
    if (this.problems.length < 50) this.problems.push(node ? { message, span: spanOf(node) } : { message });
  }

  newNode(kind: GNode['kind'], op: string, inputs: GNode[], span: Span, rec?: LayerRec): GNode {
    if (++this.nodeCount > LIMITS.nodes) {
      const msg = `More than ${LIMITS.nodes.toLocaleString('en-US')} layer calls: the rest of the file was not analyzed.`;
      noteOnce(this.globalNotes, msg);
      throw new Abort();
    }
    const g: GNode = { id: this.seq.node++, kind, op, inputs, span, out: {} };
    if (rec) g.rec = rec;
    this.traceCreated?.push(g);
    return g;
  }

  newRec(fw: 'pytorch' | 'keras', kind: LayerRec['kind'], op: string, cls: string, call: Node, args?: Node): LayerRec {
    if (this.recs.length >= LIMITS.layers) {
      const msg = `More than ${LIMITS.layers.toLocaleString('en-US')} layers: the rest of the file was not analyzed.`;
      noteOnce(this.globalNotes, msg);
      throw new Abort();
    }
    const rec: LayerRec = { id: this.seq.rec++, fw, kind, op, cls, call, layers: [{ slots: {} }] };
    if (args) rec.args = args;
    this.recs.push(rec);
    return rec;
  }

  newMod(type: ModV['type'], fw: 'pytorch' | 'keras', call: Node | undefined, rec?: LayerRec): ModV {
    const children = new Map<string, ModV>();
    const m: ModV = { k: 'mod', id: this.seq.mod++, type, fw, children, attrs: new Map(), nested: this.constructing > 0, adopted: false };
    this.childrenOwner.set(children, m);
    if (call) m.call = call;
    if (rec) m.rec = rec;
    this.mods.push(m);
    return m;
  }

  /** An unknown graph node fed by the tensors among `inputs` (an operation the analyzer does not model). */
  unknownNode(op: string, reason: string, inputs: V[], at: Node): V {
    const ins = inputs.filter((x): x is Extract<V, { k: 'tensor' }> => x.k === 'tensor').map((x) => x.node);
    if (!ins.length) return UNKNOWN;
    const g = this.newNode('unknown', op, uniq(ins), spanOf(at));
    g.unknownReason = reason;
    return { k: 'tensor', node: g };
  }

  // -----------------------------------------------------------------------------------------------------------
  // State changes, recorded for branch joins

  put(c: Store, key: string, v: unknown): void {
    this.undoLog.put(c, key, v);
  }

  remove(c: Map<string, unknown>, key: string): void {
    this.undoLog.remove(c, key);
  }

  setVar(scope: Scope, name: string, v: V): void {
    const target = scope.globals?.has(name) ? scope.module() : scope;
    this.put(target.vars as Map<string, unknown>, name, v);
  }

  /** Replaces a list's items (lists are values; their mutations are recorded like variables). */
  setItems(l: Extract<V, { k: 'list' }>, items: V[]): void {
    this.put(l as unknown as Record<string, unknown>, 'items', items);
  }

  /**
   * Runs alternatives that the analysis cannot choose between, each from the same state, and joins their
   * effects: what they all agree on stays, what differs becomes unknown.
   */
  branches(at: Node, alts: (() => Completion)[]): Completion {
    this.uncertainLines.add(this.line(at));
    const { completions, changed } = this.undoLog.explore(alts);
    for (const { c, key, after } of changed) {
      if (after.every((x) => !x.had)) continue;
      if (after.some((x) => !x.had)) {
        const owner = c instanceof Map ? this.childrenOwner.get(c) : undefined;
        if (owner) {
          // Registered in some branches only (a module's children map). A container keeps it as a
          // representative of children it cannot count; a user module leaves it out (its attribute is then unknown).
          if (owner.type !== 'user') {
            this.put(c, key, after.find((x) => x.had)!.v);
            this.put(owner.attrs as Map<string, unknown>, '__unknownChildren__', TRUE);
          }
          continue;
        }
        this.put(c, key, joinUnknown(after.find((x) => x.had)!.v));
        continue;
      }
      this.put(c, key, this.join(after.map((x) => x.v), at));
    }
    // Completions: all return → return the join; some return → the others go on, the value is joined later.
    const returns = completions.filter((c): c is { t: 'return'; v: V } => !!c && c.t === 'return');
    if (returns.length === completions.length && returns.length) return { t: 'return', v: this.join(returns.map((r) => r.v), at) as V };
    if (returns.length) this.frames[this.frames.length - 1]?.pendingReturns.push(...returns.map((r) => r.v));
    if (completions.every((c) => c && c.t === 'raise')) return { t: 'raise' };
    return undefined;
  }

  /** The join of what several branches left in one place. */
  join(vals: unknown[], at: Node): unknown {
    const first = vals[0];
    if (vals.every((v) => v === first)) return first;
    if (vals.every(isV)) {
      const vs = vals as V[];
      if (vs.every((v) => equals(v, vs[0]) === true)) return vs[0];
      if (vs.every((v) => v.k === 'tensor')) {
        const nodes = uniq(vs.map((v) => (v as Extract<V, { k: 'tensor' }>).node));
        if (nodes.length === 1) return vs[0];
        const g = this.newNode('unknown', 'branch', nodes, spanOf(at));
        g.unknownReason = `depends on a condition the analyzer cannot decide (line ${this.line(at)})`;
        return { k: 'tensor', node: g } satisfies V;
      }
      if (vs.every((v) => v.k === 'list' && !v.anyLen) && new Set(vs.map((v) => (v as { items: V[] }).items.length)).size === 1) {
        const ls = vs as Extract<V, { k: 'list' }>[];
        return { k: 'list', tuple: ls[0].tuple, items: ls[0].items.map((_, i) => this.join(ls.map((l) => l.items[i]), at) as V) } satisfies V;
      }
      return UNKNOWN;
    }
    if (vals.every(isRef)) {
      const refs = vals as InitializerRef[];
      const same = refs.every((r) => r.id === refs[0].id && JSON.stringify(r.args) === JSON.stringify(refs[0].args) && r.span?.start === refs[0].span?.start);
      if (same) return refs[0];
      return { ...refs.find((r) => r.explicit) ?? refs[0], id: undefined, args: {}, unknownArgs: [], falsyArgs: [] } satisfies InitializerRef;
    }
    if (Array.isArray(first)) return first; // list items of different branches: keep the first (lengths differ)
    return undefined;
  }

  // -----------------------------------------------------------------------------------------------------------
  // Statements

  execBlock(stmts: Node[], scope: Scope): Completion {
    for (const s of stmts) {
      const c = this.exec(s, scope);
      if (c) return c;
    }
    return undefined;
  }

  exec(s: Node, scope: Scope): Completion {
    if (!this.work.enter(LIMITS.evalDepth + 1)) return undefined;
    try {
      return execInner(this, s, scope);
    } finally {
      this.work.leave();
    }
  }

  register(parent: ModV, name: string, child: ModV): void {
    if (child === parent) return;
    this.put(parent.children as Map<string, unknown>, name, child);
    child.adopted = true;
  }

  /** The values an iterable yields, or undefined when they cannot be known. */
  iterate(v: V, at: Node): V[] | undefined {
    switch (v.k) {
      case 'list':
        return v.anyLen ? undefined : v.items;
      case 'dict':
        return [...v.map.keys()].map((k) => str(k));
      case 'str':
        return v.v.length <= LIMITS.loopIterations ? [...v.v].map((c) => str(c)) : undefined;
      case 'mod':
        if (v.type === 'list' || v.type === 'seq' || v.type === 'kseq') {
          if (v.attrs.get('__unknownChildren__')) return undefined;
          return [...v.children.values()];
        }
        if (v.type === 'dict') return [...v.children.keys()].map((k) => str(k));
        return undefined;
      default:
        void at;
        return undefined;
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Definitions

  /** A method (or class attribute) found on a class or its user-defined bases, in MRO order (depth-first). */
  findMethod(cls: ClassV | undefined, name: string, depth = 0): (FnV & { cls?: ClassV }) | undefined {
    if (!cls || depth > 20) return undefined;
    const v = cls.attrs.get(name);
    if (v?.k === 'fn') return v;
    for (const b of cls.bases) if (b.k === 'class') {
      const r = this.findMethod(b, name, depth + 1);
      if (r) return r;
    }
    return undefined;
  }

  findClassAttr(cls: ClassV | undefined, name: string, depth = 0): V | undefined {
    if (!cls || depth > 20) return undefined;
    const v = cls.attrs.get(name);
    if (v) return v;
    for (const b of cls.bases) if (b.k === 'class') {
      const r = this.findClassAttr(b, name, depth + 1);
      if (r) return r;
    }
    return undefined;
  }

  /** The external base of a class hierarchy (nn.Module, nn.Sequential, keras.Model), if any. */
  externalBase(cls: ClassV | undefined, depth = 0): string | undefined {
    if (!cls || depth > 20) return undefined;
    for (const b of cls.bases) {
      if (b.k === 'ext') return b.path;
      if (b.k === 'class') {
        const r = this.externalBase(b, depth + 1);
        if (r) return r;
      }
    }
    return undefined;
  }

  // -----------------------------------------------------------------------------------------------------------
  // Calls of user code

  callFunction(fn: FnV, args: CallArgs, self: V | undefined, at: Node): V {
    if (this.frames.length >= LIMITS.callDepth) {
      this.note('Calls nest deeper than the analyzer follows (recursion?): the deepest ones were not analyzed.');
      return UNKNOWN;
    }
    const scope = new Scope(fn.closure, 'function');
    const info = this.fnInfo(fn.def);
    const params = info.params;
    const pos = self !== undefined ? [self, ...args.pos] : args.pos;
    const kw = new Map(args.kw);
    let pi = 0;
    for (const p of params) {
      if (p.kind === 'star') {
        this.setVar(scope, p.name, args.unknownStar ? { k: 'list', items: [UNKNOWN], tuple: true, anyLen: true } : list(pos.slice(pi), true));
        pi = pos.length;
        continue;
      }
      if (p.kind === 'kwstar') {
        const m = new Map<string, V>();
        for (const [k, v] of kw) m.set(k, v);
        kw.clear();
        this.setVar(scope, p.name, args.unknownStar ? UNKNOWN : { k: 'dict', map: m });
        continue;
      }
      let v: V | undefined;
      if (!p.kwOnly && pi < pos.length) v = pos[pi++];
      else if (kw.has(p.name)) {
        v = kw.get(p.name)!;
        kw.delete(p.name);
      } else if (args.unknownStar) v = UNKNOWN;
      else if (p.dflt) v = this.eval(p.dflt, fn.closure);
      else v = UNKNOWN;
      this.setVar(scope, p.name, v);
    }
    const frame: Frame = { fn, self: self ?? undefined, pendingReturns: [] };
    this.frames.push(frame);
    try {
      if (fn.lambda) {
        const e = info.lambdaBody;
        return e ? this.eval(e, scope) : UNKNOWN;
      }
      if (!info.body) return UNKNOWN;
      if (info.generator) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      const c = this.execBlock(info.stmts, scope);
      const v = c?.t === 'return' ? c.v : c?.t === 'raise' && frame.pendingReturns.length ? undefined : NONE;
      const all = v ? [v, ...frame.pendingReturns] : frame.pendingReturns;
      if (!all.length) return UNKNOWN;
      return all.length === 1 ? all[0] : (this.join(all, at) as V);
    } finally {
      this.frames.pop();
    }
  }

  /** What a call of a function needs from its definition's syntax, read once per definition. */
  fnInfo(def: Node): FnInfo {
    const key = def.from * 4 + (def.name === 'LambdaExpression' ? 1 : 0);
    let info = this.fnInfos.get(key);
    if (info && info.def.to === def.to) return info;
    const cs = kids(def);
    const body = cs.find((c) => c.name === 'Body');
    const lambdaParts = def.name === 'LambdaExpression' ? cs.filter((c) => !isToken(c) && c.name !== 'ParamList') : undefined;
    info = {
      def,
      params: splitParams(this.text, cs.find((c) => c.name === 'ParamList')),
      body,
      stmts: body ? statements(body) : [],
      generator: body ? this.isGenerator(def, body) : false,
      lambdaBody: lambdaParts?.[lambdaParts.length - 1],
    };
    this.fnInfos.set(key, info);
    return info;
  }

  /** A function with `yield` in its body (found by collectCalledNames; nested functions, classes and lambdas excluded). */
  private isGenerator(def: Node, body: Node): boolean {
    const ys = this.yields.get(def.from);
    return !!ys && ys.some((y) => y >= body.from && y < body.to);
  }

  instantiate(cls: ClassV, args: CallArgs, at: Node): V {
    if (cls.module) {
      const fw = cls.module === 'torch' ? 'pytorch' : 'keras';
      const mod = this.newMod('user', fw, at);
      mod.cls = cls;
      mod.siteLine = this.line(at);
      const init = this.findMethod(cls, '__init__');
      this.constructing++;
      try {
        if (init) this.callFunction(init, args, mod, at);
        else if (this.externalBase(cls) === 'torch.nn.Sequential') torch.initSequentialBase(this, mod, args);
      } finally {
        this.constructing--;
      }
      return mod;
    }
    const obj: ObjV = { k: 'obj', cls, attrs: new Map() };
    if (cls.dataclass) {
      cls.fields.forEach((f, i) => {
        const v = args.kw.get(f) ?? args.pos[i] ?? (args.unknownStar ? UNKNOWN : cls.attrs.get(f) ?? UNKNOWN);
        obj.attrs.set(f, v);
      });
      const post = this.findMethod(cls, '__post_init__');
      if (post) this.callFunction(post, noArgs(), obj, at);
      return obj;
    }
    const init = this.findMethod(cls, '__init__');
    if (init) this.callFunction(init, args, obj, at);
    return obj;
  }

  /** Calls any callable value. */
  callValue(f: V, args: CallArgs, at: Node): V {
    switch (f.k) {
      case 'fn':
        if (f.property) return UNKNOWN;
        return this.callFunction(f, args, undefined, at);
      case 'bound':
        return this.callFunction(f.fn, args, f.self, at);
      case 'class':
        return this.instantiate(f, args, at);
      case 'ext':
        return this.callExt(f.path, args, at);
      case 'builtin':
        return callBuiltin(this, f.name, args, at);
      case 'method':
        return this.callMethod(f.self, f.name, args, at);
      case 'mod':
        return this.callModule(f, args, at);
      case 'partial': {
        const merged: CallArgs = { ...args, pos: [...f.args, ...args.pos], posNodes: [...f.args.map(() => undefined), ...args.posNodes], kw: new Map([...f.kw, ...args.kw]) };
        return this.callValue(f.fn, merged, at);
      }
      default: {
        const reason = f.k === 'unknown' && f.what ? `${f.what} is not modelled` : `'${this.calleeText(at)}' could not be resolved`;
        return this.unknownNode(this.calleeText(at), reason, [...args.pos, ...args.kw.values()], at);
      }
    }
  }

  calleeText(at: Node): string {
    const callee = at.name === 'CallExpression' ? at.firstChild : at;
    const t = callee ? textOf(this.text, callee) : '?';
    return t.length > 40 ? `${t.slice(0, 37)}...` : t;
  }

  callModule(m: ModV, args: CallArgs, at: Node): V {
    return runtimeOf(m).callModule(this, m, args, at);
  }

  callExt(path: string, args: CallArgs, at: Node): V {
    if (path.startsWith('torch') ) return tensors.callTorchExt(this, path, args, at);
    if (path.startsWith('keras') || path.startsWith('tensorflow')) return keras.callKerasExt(this, path, args, at);
    if (path.startsWith('math.') || path.startsWith('numpy.') || path.startsWith('np.')) return mathCall(path.slice(path.indexOf('.') + 1), args);
    if (path === 'collections.OrderedDict') return callBuiltin(this, 'dict', args, at);
    if (path === 'functools.partial') return callBuiltin(this, '__partial', args, at);
    if (path === 'dataclasses.field') {
      const d = args.kw.get('default');
      return d ?? UNKNOWN;
    }
    const r = this.unknownNode(this.calleeText(at), `${this.calleeText(at)} is not modelled`, [...args.pos, ...args.kw.values()], at);
    // An object of another library (timm.layers.DropPath(0.1)): calling it later is an operation not modelled.
    return r.k === 'unknown' && /^[A-Za-z_][\w.]*$/.test(path) ? { k: 'unknown', what: path } : r;
  }

  /** Methods of values other than user objects: str, list, dict, modules, parameters, tensors. */
  callMethod(self: V, name: string, args: CallArgs, at: Node): V {
    switch (self.k) {
      case 'str':
        return strMethod(self.v, name, args);
      case 'list':
        return listMethod(this, self, name, args);
      case 'dict':
        return dictMethod(this, self, name, args);
      case 'mod':
        return runtimeOf(self).moduleMethod(this, self, name, args, at);
      case 'param':
        return torch.paramMethod(this, self, name, args, at);
      case 'tensor':
        return tensors.tensorMethod(this, self, name, args, at);
      case 'super':
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Expressions

  eval(n: Node, scope: Scope): V {
    if (!this.work.enter(LIMITS.evalDepth + 1)) return UNKNOWN;
    try {
      return evalInner(this, n, scope);
    } finally {
      this.work.leave();
    }
  }

  evalSeq(ns: Node[], scope: Scope): V[] {
    const out: V[] = [];
    for (let i = 0; i < ns.length; i++) {
      const n = ns[i];
      const prev = n.prevSibling;
      if (prev?.name === '*') {
        const v = this.eval(n, scope);
        const items = this.iterate(v, n);
        if (items) out.push(...items);
        else return [UNKNOWN];
        continue;
      }
      out.push(this.eval(n, scope));
    }
    return out;
  }

  lookup(name: string, scope: Scope): V {
    const v = scope.lookup(name);
    if (v) return v;
    for (const m of this.starImports) {
      const p = canonPath(`${m}.${name}`);
      if (torch.isKnownTorchPath(p) || keras.isKnownKerasPath(p)) return extV(p);
    }
    return UNKNOWN;
  }

}

// -------------------------------------------------------------------------------------------------------------
// Helpers

export const BUILTIN_NAMES = [
  'range', 'len', 'enumerate', 'zip', 'reversed', 'sorted', 'list', 'tuple', 'set', 'frozenset', 'dict', 'int', 'float',
  'bool', 'str', 'abs', 'round', 'min', 'max', 'sum', 'any', 'all', 'isinstance', 'issubclass', 'hasattr', 'getattr',
  'setattr', 'print', 'super', 'iter', 'next', 'map', 'type', 'exit', 'quit',
];

const EXT = new Map<string, V>();
const EXT_ATTR = new Map<string, Map<string, V>>();

/** The value of an external name (shared: these values are never changed). */
export function extV(path: string): V {
  let v = EXT.get(path);
  if (!v) {
    if (EXT.size >= 4096) EXT.clear();
    EXT.set(path, (v = { k: 'ext', path: canonPath(path) }));
  }
  return v;
}

/** `extV(`${base}.${name}`)` without building the string each time. */
export function extAttr(base: string, name: string): V {
  let m = EXT_ATTR.get(base);
  if (!m) {
    if (EXT_ATTR.size >= 1024) EXT_ATTR.clear();
    EXT_ATTR.set(base, (m = new Map()));
  }
  let v = m.get(name);
  if (!v) {
    if (m.size >= 1024) m.clear();
    m.set(name, (v = extV(`${base}.${name}`)));
  }
  return v;
}

export function computeStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function isV(x: unknown): x is V {
  return !!x && typeof x === 'object' && 'k' in (x as object) && typeof (x as { k: unknown }).k === 'string';
}

export function isRef(x: unknown): x is InitializerRef {
  return !!x && typeof x === 'object' && 'framework' in (x as object) && 'form' in (x as object);
}

export function joinUnknown(x: unknown): unknown {
  if (isV(x)) return UNKNOWN;
  if (isRef(x)) return { ...x, id: undefined, args: {}, unknownArgs: [], falsyArgs: [] };
  return undefined;
}

export function unparen(n: Node): Node {
  let cur = n;
  while (cur.name === 'ParenthesizedExpression') {
    const inner = exprKids(cur);
    if (inner.length !== 1) break;
    cur = inner[0];
  }
  return cur;
}

export function keyOf(v: V): string | undefined {
  if (v.k === 'str') return v.v;
  if (v.k === 'num' || v.k === 'bool') return `#${numOf(v)}`;
  return undefined;
}

export function isSlice(v: V): v is Extract<V, { k: 'dict' }> {
  return v.k === 'dict' && v.map.get('__slice__') === TRUE;
}

export function sliceBounds(s: Extract<V, { k: 'dict' }>, len: number | undefined): [number | undefined, number | undefined] {
  const bound = (v: V | undefined, dflt: number | undefined) => {
    if (!v || v.k === 'none') return dflt;
    const i = intOf(v);
    if (i === undefined) return undefined;
    if (i < 0) return len === undefined ? undefined : Math.max(0, len + i);
    return len === undefined ? i : Math.min(i, len);
  };
  const step = s.map.get('step');
  if (step && step.k !== 'none' && intOf(step) !== 1) return [undefined, undefined];
  return [bound(s.map.get('start'), 0), bound(s.map.get('stop'), len)];
}

export function mroAfter(owner: ClassV | undefined, after: ClassV): V[] {
  const order: V[] = [];
  const visit = (c: V, d: number) => {
    if (d > 20 || c.k !== 'class' || order.includes(c)) return;
    order.push(c);
    for (const b of c.bases) visit(b, d + 1);
  };
  if (owner) visit(owner, 0);
  else visit(after, 0);
  const i = order.indexOf(after);
  return i >= 0 ? order.slice(i + 1) : [];
}

export const MATH_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Infinity, tau: 2 * Math.PI };

export type { ParamV };
