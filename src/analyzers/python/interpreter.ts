/**
 * A small abstract interpreter over the @lezer/python syntax tree. It executes a file's statements with the
 * abstract values of values.ts: constants, containers, user functions and classes (nn.Module and Keras
 * subclasses included), PyTorch modules and Keras layers, symbolic tensors and initializer objects. Loops with
 * constant bounds are unrolled; a condition it cannot decide runs every branch and joins what they did (values
 * that differ become unknown). Every loop, recursion and the total work are capped, so it always terminates; a
 * construct it does not know gives `unknown`, never a guess, and never an exception to the caller.
 *
 * The framework runtimes (torch-runtime.ts, keras-runtime.ts) build layers, graph nodes and initializer references; build.ts
 * turns the recorded roots into model descriptions.
 */
import { type InitializerRef, type Span, lineColAt } from '../../core/model';
import {
  type Arg,
  type Node,
  type Param,
  argListOf,
  exprKids,
  isToken,
  kids,
  numberValue,
  spanOf,
  splitArgs,
  splitParams,
  statements,
  stringValue,
  textOf,
  trailingDotFloat,
} from './syntax';
import {
  type ClassV,
  type FnV,
  type GNode,
  type LayerRec,
  type ModV,
  type ObjV,
  type ParamV,
  type V,
  FALSE,
  NONE,
  Scope,
  TRUE,
  UNKNOWN,
  bool,
  canonPath,
  equals,
  identical,
  intOf,
  list,
  num,
  numOf,
  str,
  strOf,
  truthy,
} from './values';
import type { Shape } from './values';
import * as torch from './torch-runtime';
import * as keras from './keras-runtime';
import type { FrameworkRuntime } from './runtime';
import { type Store, UndoLog } from '../shared/undo-log';
import { Abort, BudgetExceeded, WorkBudget, noteOnce } from '../shared/work-budget';
import { type LoopPass, itemsHead, loopCapNote, maybeOnce, unroll } from '../shared/loops';

/** The runtime of each framework; built on first use (the runtimes import this file). */
let runtimes: Record<ModV['fw'], FrameworkRuntime> | undefined;

function runtimeOf(m: ModV): FrameworkRuntime {
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
  private readonly work = new WorkBudget(LIMITS.steps);
  private readonly undoLog = new UndoLog();
  private frames: Frame[] = [];
  /** > 0 while a user module's __init__ runs: modules created then are parts, not models. */
  constructing = 0;
  private seq = { node: 0, rec: 0, mod: 0, cls: 0 };
  private lineStarts: number[] | undefined;
  private readonly topFunctions: FnV[] = [];
  private readonly fnInfos = new Map<number, FnInfo>();
  /** The module whose children map each map is (branch joins treat registrations specially). */
  private readonly childrenOwner = new Map<Map<string, unknown>, ModV>();
  /** Positions of `yield` directly in a function, by the function's start (collectCalledNames). */
  private readonly yields = new Map<number, number[]>();

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
    this.collectCalledNames(script);
    const top = statements(script);
    let i = 0;
    try {
      for (; i < top.length; i++) if (this.exec(top[i], this.moduleScope)) break;
    } catch (e) {
      this.handleTopError(e, top[i] ?? script);
      if (e instanceof Abort) {
        // The budget went on code before the rest of the file: still define what follows (imports, classes,
        // functions), so that its models are analyzed stand-alone.
        this.work.extend(LIMITS.stepsStandalone);
        try {
          for (const s of top.slice(i + 1)) {
            if (['ImportStatement', 'ClassDefinition', 'FunctionDefinition', 'DecoratedStatement'].includes(s.name)) this.exec(s, this.moduleScope);
          }
        } catch (e2) {
          this.handleTopError(e2, script);
        }
        this.work.extend(LIMITS.steps);
      }
    }
    this.runStandalone();
    this.traceRoots();
  }

  private handleTopError(e: unknown, node: Node): void {
    if (e instanceof Abort) {
      const msg = `The analysis stopped after ${LIMITS.steps.toLocaleString('en-US')} evaluation steps at line ${this.line(node)}; only the definitions after it were analyzed.`;
      if (!this.globalNotes.some((n) => n.startsWith('The analysis stopped'))) {
        this.globalNotes.push(msg);
        this.problem(msg, node);
      }
      return;
    }
    if (e instanceof BudgetExceeded) return;
    const what = e instanceof RangeError ? 'the code nests too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    this.problems.push({ message: `Part of the file was not analyzed (${what}).`, span: spanOf(node) });
  }

  /**
   * One walk over the file: the names it calls (and passes as arguments), where `yield` occurs directly in a
   * function (not in a nested function, class or lambda), which makes it a generator, and the quotes of the
   * one-line strings among its first 200,000 nodes.
   */
  private collectCalledNames(script: Node): void {
    // Innermost enclosing function (its start), class or lambda (-1) of the current node.
    const scopes: number[] = [];
    let guard = 0;
    const text = this.text;
    const called = this.calledNames;
    const yields = this.yields;
    const cur = script.cursor();
    // A hand-rolled walk (enter: descend; leave: pop the scopes closed): no callback per node.
    for (;;) {
      if (++guard > 2_000_000) break;
      const type = cur.type;
      let scope = false;
      switch (type.name) {
        case 'CallExpression': {
          const callee = cur.node.firstChild;
          if (callee?.name === 'VariableName') called.add(textOf(text, callee));
          else if (callee?.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName') called.add(textOf(text, callee.lastChild));
          break;
        }
        case 'ArgList':
          // A function passed as an argument (self.apply(init_weights), map(f, xs)) is called by its receiver.
          for (let c = cur.node.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName') called.add(textOf(text, c));
          break;
        case 'FunctionDefinition':
        case 'ClassDefinition':
        case 'LambdaExpression':
          scopes.push(type.name === 'FunctionDefinition' ? cur.from : -1);
          scope = true;
          break;
        case 'String':
          if (guard <= 200_000) {
            const raw = text.slice(cur.from, Math.min(cur.to, cur.from + 4)).replace(/^[rRbBuUfF]+/, '');
            if (!raw.startsWith("'''") && !raw.startsWith('"""')) {
              if (raw.startsWith("'")) this.quotes.single++;
              else if (raw.startsWith('"')) this.quotes.double++;
            }
          }
          break;
        case 'YieldStatement':
        case 'YieldExpression':
        case 'yield': {
          const fn = scopes.length ? scopes[scopes.length - 1] : -1;
          if (fn >= 0) {
            let ys = yields.get(fn);
            if (!ys) yields.set(fn, (ys = []));
            ys.push(cur.from);
          }
          break;
        }
      }
      if (cur.firstChild()) continue;
      if (scope) scopes.pop();
      // Up until a next sibling exists, leaving (and popping) the scopes passed on the way.
      for (;;) {
        if (cur.nextSibling()) break;
        if (!cur.parent()) return;
        const n = cur.type.name;
        if (n === 'FunctionDefinition' || n === 'ClassDefinition' || n === 'LambdaExpression') scopes.pop();
      }
    }
  }

  /**
   * Functions never called by the file run once with unknown arguments (defaults where given); then classes of
   * modules and models that were never instantiated are instantiated with their defaults.
   */
  private runStandalone(): void {
    const budget = (f: () => void, node: Node) => {
      if (this.work.spent) return;
      try {
        this.work.standalone(LIMITS.stepsStandalone, f);
      } catch (e) {
        this.handleTopError(e, node);
      }
    };
    for (const fn of this.topFunctions) {
      if (this.calledNames.has(fn.name) || fn.property) continue;
      budget(() => {
        const r = this.callFunction(fn, noArgs(), undefined, fn.def);
        this.nameReturned(r, fn.name);
      }, fn.def);
    }
    // Classes: outermost (last defined) first, so that parts built by a model are not models of their own.
    const candidates = [...this.classes].reverse().filter((c) => c.module);
    // The classes (and their bases) some module is an instance of, kept up to date as modules are created.
    const used = new Set<V>();
    let scanned = 0;
    const isUsed = (cls: ClassV): boolean => {
      for (; scanned < this.mods.length; scanned++) {
        const c = this.mods[scanned].cls;
        if (c) this.addAncestors(c, used);
      }
      return used.has(cls);
    };
    for (const pass of [0, 1]) {
      for (const cls of candidates) {
        if (isUsed(cls)) continue;
        if (pass === 0 && this.calledNames.has(cls.name)) continue;
        budget(() => {
          const m = this.instantiate(cls, noArgs(), cls.node);
          if (m.k === 'mod' && !m.name) m.name = cls.name;
        }, cls.node);
      }
    }
  }

  private nameReturned(v: V, name: string): void {
    if (v.k === 'mod' && !v.name) v.name = name;
    if (v.k === 'list') for (const x of v.items) if (x.k === 'mod' && !x.name) x.name = name;
  }

  /** `cls` and every class `inherits(cls, ·)` is true of, into `out`. */
  private addAncestors(cls: ClassV, out: Set<V>): void {
    out.add(cls);
    const seen = new Set<V>();
    let level: V[] = cls.bases;
    for (let depth = 0; depth <= 20 && level.length; depth++) {
      const next: V[] = [];
      for (const b of level) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.add(b);
        if (b.k === 'class') next.push(...b.bases);
      }
      level = next;
    }
  }

  inherits(cls: ClassV, base: ClassV, depth = 0): boolean {
    if (depth > 20) return false;
    return cls.bases.some((b) => b === base || (b.k === 'class' && this.inherits(b, base, depth + 1)));
  }

  private traceRoots(): void {
    for (const m of this.mods) {
      if (m.type === 'leaf' || m.type === 'list' || m.type === 'dict' || m.adopted || m.nested) continue;
      const root: Root = { mod: m, inputs: [], outputs: [], created: [], notes: [], traced: false };
      this.roots.push(root);
    }
    // Tracing (the data flow of every model) has a budget of its own, even when construction used all of its.
    this.work.extend(LIMITS.steps);
    for (const root of this.roots) {
      if (this.work.spent) break;
      this.traceCreated = root.created;
      this.currentNotes = root.notes;
      try {
        this.work.standalone(LIMITS.stepsStandalone, () => this.traceRoot(root));
      } catch (e) {
        this.handleTopError(e, root.mod.call ?? root.mod.cls?.node ?? this.tree.topNode);
      } finally {
        this.traceCreated = undefined;
        this.currentNotes = undefined;
      }
    }
  }

  private traceRoot(root: Root): void {
    const m = root.mod;
    root.traced = true;
    if (m.type === 'kfunc') {
      root.inputs = m.kin ?? [];
      root.outputs = m.kout ?? [];
      return;
    }
    const at = m.call ?? m.cls?.node ?? this.tree.topNode;
    if (m.type === 'seq' || m.type === 'kseq') {
      const input = m.type === 'kseq' ? keras.sequentialInput(this, m, at) : this.newInput(at, {});
      root.inputs = [input];
      const out = this.callModule(m, posArgs([{ k: 'tensor', node: input }]), at);
      root.outputs = this.tensorsOf(out);
      return;
    }
    // A user module or subclassed model: call forward()/call() with symbolic inputs.
    const rt = runtimeOf(m);
    const method = this.findMethod(m.cls, rt.forwardMethod);
    if (!method) {
      const note = rt.missingForwardNote(m);
      if (note) this.note(note);
      return;
    }
    const params = this.fnInfo(method.def).params.filter((p) => p.kind === 'normal');
    const args = noArgs();
    const shape: Shape = rt.traceInputShape(m);
    for (const p of params.slice(method.staticmethod ? 0 : 1)) {
      if (p.dflt || p.kwOnly) break;
      const input = this.newInput(p.node, args.pos.length === 0 ? shape : {});
      root.inputs.push(input);
      args.pos.push({ k: 'tensor', node: input });
      args.posNodes.push(undefined);
    }
    const ret = this.callFunction(method, args, m, method.def);
    root.outputs = this.tensorsOf(ret);
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
    return this.work.nested(LIMITS.evalDepth + 1, () => undefined, () => this.execInner(s, scope));
  }

  private execInner(s: Node, scope: Scope): Completion {
    switch (s.name) {
      case 'ExpressionStatement': {
        let e = s.firstChild;
        while (e && isToken(e)) e = e.nextSibling;
        if (e) this.eval(e, scope);
        return undefined;
      }
      case 'AssignStatement':
        this.execAssign(s, scope);
        return undefined;
      case 'UpdateStatement':
        this.execUpdate(s, scope);
        return undefined;
      case 'IfStatement':
        return this.execIf(s, scope);
      case 'ForStatement':
        return this.execFor(s, scope);
      case 'WhileStatement':
        return this.execWhile(s, scope);
      case 'FunctionDefinition':
        this.defineFunction(s, scope, []);
        return undefined;
      case 'ClassDefinition':
        this.defineClass(s, scope, []);
        return undefined;
      case 'DecoratedStatement': {
        const decos = kids(s).filter((c) => c.name === 'Decorator');
        const def = kids(s).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!def) return undefined;
        const names = decos.map((d) => textOf(this.text, d).replace(/^@\s*/, '').replace(/\(.*$/s, '').trim());
        if (def.name === 'FunctionDefinition') this.defineFunction(def, scope, names);
        else this.defineClass(def, scope, names);
        return undefined;
      }
      case 'ReturnStatement': {
        const es = exprKids(s);
        if (!es.length) return { t: 'return', v: NONE };
        if (es.length === 1 && !kids(s).some((c) => c.name === ',')) return { t: 'return', v: this.eval(es[0], scope) };
        return { t: 'return', v: list(this.evalSeq(es, scope), true) };
      }
      case 'ImportStatement':
        this.execImport(s, scope);
        return undefined;
      case 'WithStatement':
        return this.execWith(s, scope);
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
          const r = this.execBlock(statements(k), scope);
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
          for (const c of kids(s)) if (c.name === 'VariableName') scope.globals.add(textOf(this.text, c));
        }
        return undefined;
      }
      case 'DeleteStatement':
        for (const c of exprKids(s)) if (c.name === 'VariableName') this.setVar(scope, textOf(this.text, c), UNKNOWN);
        return undefined;
      default:
        // pass, assert, print, match, error nodes: nothing the analysis needs.
        return undefined;
    }
  }

  private execAssign(s: Node, scope: Scope): void {
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
    const v = valueNodes.length === 1 ? this.eval(valueNodes[0], scope) : list(this.evalSeq(valueNodes, scope), true);
    for (const targets of groups.slice(0, -1)) {
      if (targets.length === 1) this.assignTo(targets[0], v, scope, s, valueNodes.length === 1 ? valueNodes[0] : undefined);
      else this.destructure(targets, v, scope, s);
    }
  }

  assignTo(target: Node, v: V, scope: Scope, stmt: Node, valueNode?: Node): void {
    switch (target.name) {
      case 'VariableName': {
        const name = textOf(this.text, target);
        let val = v;
        // A model is named after the variable a plain assignment gives it (not a loop target: `for m in modules()`).
        if (v.k === 'mod' && !v.name && v.type !== 'leaf' && stmt.name === 'AssignStatement') v.name = name;
        if (v.k === 'init' && !v.holder) val = { ...v, holder: { name, span: spanOf(target) } };
        this.setVar(scope, name, val);
        return;
      }
      case 'MemberExpression': {
        const cs = kids(target);
        const obj = cs[0];
        if (!obj) return;
        const ov = this.eval(obj, scope);
        if (cs[1]?.name === '.' && cs[2]?.name === 'PropertyName') {
          this.setAttr(ov, textOf(this.text, cs[2]), v, target, stmt, valueNode);
          return;
        }
        if (cs[1]?.name === '[') {
          const idx = this.evalSubscript(cs.slice(2, -1), scope);
          this.setItem(ov, idx, v);
        }
        return;
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression': {
        const inner = exprKids(target);
        if (target.name === 'ParenthesizedExpression' && inner.length === 1) return this.assignTo(inner[0], v, scope, stmt, valueNode);
        this.destructure(inner, v, scope, stmt);
        return;
      }
      default:
        return;
    }
  }

  destructure(targets: Node[], v: V, scope: Scope, stmt: Node): void {
    let items: V[] | undefined;
    if (v.k === 'list' && !v.anyLen) items = v.items;
    else if (v.k === 'list' && v.anyLen && v.items.length === 1) items = targets.map(() => v.items[0]);
    const star = targets.findIndex((t) => t.name === 'StarPattern' || textOf(this.text, t).startsWith('*'));
    targets.forEach((t, i) => {
      let item: V = UNKNOWN;
      if (items) {
        if (star < 0) item = items.length === targets.length ? items[i] : UNKNOWN;
        else if (i < star) item = items[i] ?? UNKNOWN;
        else if (i === star) item = list(items.slice(star, items.length - (targets.length - 1 - star)));
        else item = items[items.length - (targets.length - i)] ?? UNKNOWN;
      }
      this.assignTo(t, item, scope, stmt);
    });
  }

  setAttr(obj: V, name: string, v: V, target: Node, stmt: Node, valueNode?: Node): void {
    if (obj.k === 'mod') {
      if (obj.type === 'leaf' && obj.rec) {
        torch.setLeafAttr(this, obj, name, v, target);
        return;
      }
      if (v.k === 'mod') {
        this.register(obj, name, v);
        if (v.rec && !v.rec.assign && valueNode && unparen(valueNode) === v.rec.call && stmt.name === 'AssignStatement') {
          v.rec.assign = { target: textOf(this.text, target), stmt };
        }
        this.remove(obj.attrs as Map<string, unknown>, name);
        return;
      }
      if (obj.children.has(name)) this.remove(obj.children as Map<string, unknown>, name);
      this.put(obj.attrs as Map<string, unknown>, name, v);
      // Keras tracks lists of layers assigned to attributes (self.blocks = [Dense(...), ...]).
      return;
    }
    if (obj.k === 'param') {
      torch.setParamAttr(this, obj, name, v, target);
      return;
    }
    if (obj.k === 'obj' || obj.k === 'class') {
      this.put(obj.attrs as Map<string, unknown>, name, v);
    }
  }

  register(parent: ModV, name: string, child: ModV): void {
    if (child === parent) return;
    this.put(parent.children as Map<string, unknown>, name, child);
    child.adopted = true;
  }

  setItem(obj: V, idx: V, v: V): void {
    if (obj.k === 'dict') {
      const key = keyOf(idx);
      if (key !== undefined) this.put(obj.map as Map<string, unknown>, key, v);
      return;
    }
    if (obj.k === 'list' && !obj.anyLen) {
      const i = intOf(idx);
      if (i !== undefined && i >= -obj.items.length && i < obj.items.length) {
        const items = [...obj.items];
        items[i < 0 ? items.length + i : i] = v;
        this.setItems(obj, items);
      }
      return;
    }
    if (obj.k === 'mod' && (obj.type === 'dict' || obj.type === 'list') && v.k === 'mod') {
      const key = obj.type === 'dict' ? keyOf(idx) : intOf(idx) !== undefined ? String(intOf(idx)) : undefined;
      if (key !== undefined) this.register(obj, key, v);
      return;
    }
    if (obj.k === 'param') torch.setParamItem(this, obj, idx, v);
  }

  private execUpdate(s: Node, scope: Scope): void {
    const cs = kids(s);
    const target = cs[0];
    const op = cs.find((c) => c.name === 'UpdateOp');
    const valueNode = cs[cs.length - 1];
    if (!target || !op || !valueNode || valueNode === op) return;
    const cur = this.eval(target, scope);
    const rhs = this.eval(valueNode, scope);
    const o = textOf(this.text, op).slice(0, -1);
    // In-place list extension keeps the list object (self.layers += [...] on a ModuleList registers them).
    if (o === '+' && cur.k === 'mod' && cur.type === 'list') {
      torch.extendModuleList(this, cur, rhs);
      return;
    }
    const v = this.binary(o, cur, rhs, s);
    this.assignTo(target, v, scope, s);
  }

  private execIf(s: Node, scope: Scope): Completion {
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
        if (!arm.cond) return this.execBlock(statements(arm.body), scope);
        const t = truthy(this.eval(arm.cond, scope));
        if (t === true) return this.execBlock(statements(arm.body), scope);
        if (t === false) continue;
        return this.branches(arm.cond, [() => this.execBlock(statements(arm.body), scope), () => run(i + 1)]);
      }
      return undefined;
    };
    return run(0);
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

  private execFor(s: Node, scope: Scope): Completion {
    const cs = kids(s);
    const iIn = cs.findIndex((c) => c.name === 'in');
    const bodies = cs.filter((c) => c.name === 'Body');
    if (iIn < 0 || !bodies.length) return undefined;
    const targets = cs.slice(1, iIn).filter((c) => !isToken(c));
    const iterNode = cs.slice(iIn + 1).find((c) => !isToken(c) && c.name !== 'Body');
    if (!iterNode) return undefined;
    const iterV = this.eval(iterNode, scope);
    const items = this.iterate(iterV, iterNode);
    const assign = (v: V) => (targets.length === 1 ? this.assignTo(targets[0], v, scope, s) : this.destructure(targets, v, scope, s));
    const body = statements(bodies[0]);
    const elseBody = () => (bodies[1] ? this.execBlock(statements(bodies[1]), scope) : undefined);
    const pass = (item: V): LoopPass<Completion> => {
      assign(item);
      return loopPass(this.execBlock(body, scope));
    };
    const capNote = () => this.note(loopCapNote(this.line(s), LIMITS.loopIterations));
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
        return onceCompletion(this.execBlock(body, scope));
      };
      return this.branches(iterNode, maybeOnce(once, undefined));
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

  private execWhile(s: Node, scope: Scope): Completion {
    const cs = kids(s);
    const cond = cs[1];
    const bodies = cs.filter((c) => c.name === 'Body');
    if (!cond || !bodies.length) return undefined;
    const body = statements(bodies[0]);
    let t: boolean | undefined;
    return unroll<Completion>({
      // The cap is checked before the condition.
      head: (i) => (i >= LIMITS.loopIterations ? 'capped' : (t = truthy(this.eval(cond, scope))) === false ? 'end' : t === undefined ? 'unknown' : 'go'),
      pass: () => loopPass(this.execBlock(body, scope)),
      ended: () => (bodies[1] ? this.execBlock(statements(bodies[1]), scope) : undefined),
      capped: () => {
        this.note(loopCapNote(this.line(s), LIMITS.loopIterations));
        return undefined;
      },
      unknown: () => this.branches(cond, maybeOnce(() => onceCompletion(this.execBlock(body, scope)), undefined)),
      broken: () => undefined,
    });
  }

  private execWith(s: Node, scope: Scope): Completion {
    const cs = kids(s);
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === 'Body' || isToken(c)) continue;
      if (cs[i - 1]?.name === 'as') continue;
      const v = this.eval(c, scope);
      if (cs[i + 1]?.name === 'as' && cs[i + 2]) this.assignTo(cs[i + 2], v.k === 'ext' ? UNKNOWN : v, scope, s);
    }
    const body = cs.find((c) => c.name === 'Body');
    return body ? this.execBlock(statements(body), scope) : undefined;
  }

  private execImport(s: Node, scope: Scope): void {
    const cs = kids(s);
    const names = (from: number, to: number) => cs.slice(from, to);
    if (cs[0]?.name === 'import') {
      // import a.b.c [as x], d
      let i = 1;
      while (i < cs.length) {
        const parts: string[] = [];
        while (i < cs.length && (cs[i].name === 'VariableName' || cs[i].name === '.')) {
          if (cs[i].name === 'VariableName') parts.push(textOf(this.text, cs[i]));
          i++;
        }
        if (!parts.length) {
          i++;
          continue;
        }
        if (cs[i]?.name === 'as' && cs[i + 1]?.name === 'VariableName') {
          this.setVar(scope, textOf(this.text, cs[i + 1]), extV(parts.join('.')));
          i += 2;
        } else this.setVar(scope, parts[0], extV(parts[0]));
        if (cs[i]?.name === ',') i++;
      }
      return;
    }
    if (cs[0]?.name !== 'from') return;
    const iImport = cs.findIndex((c) => c.name === 'import');
    if (iImport < 0) return;
    const modParts = names(1, iImport);
    const relative = modParts.some((c) => c.name === '.' || c.name === 'Ellipsis') && modParts[0]?.name !== 'VariableName';
    const mod = modParts.filter((c) => c.name === 'VariableName').map((c) => textOf(this.text, c)).join('.');
    const rest = cs.slice(iImport + 1).filter((c) => c.name !== '(' && c.name !== ')');
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      if (c.name === '*') {
        if (!relative) this.starImports.push(canonPath(mod));
        continue;
      }
      if (c.name !== 'VariableName') continue;
      const name = textOf(this.text, c);
      let alias = name;
      if (rest[i + 1]?.name === 'as' && rest[i + 2]?.name === 'VariableName') {
        alias = textOf(this.text, rest[i + 2]);
        i += 2;
      }
      this.setVar(scope, alias, relative || !mod ? UNKNOWN : extV(`${mod}.${name}`));
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Definitions

  private defineFunction(def: Node, scope: Scope, decorators: string[]): void {
    const nameNode = kids(def).find((c) => c.name === 'VariableName');
    if (!nameNode) return;
    const name = textOf(this.text, nameNode);
    const fn: FnV = { k: 'fn', def, name, closure: scope };
    if (decorators.some((d) => d === 'property' || d.endsWith('.setter') || d === 'cached_property' || d === 'functools.cached_property')) fn.property = true;
    if (decorators.includes('staticmethod')) fn.staticmethod = true;
    if (decorators.includes('classmethod')) fn.classmethod = true;
    if (scope.kind === 'module' && !decorators.length) this.topFunctions.push(fn);
    if (decorators.some((d) => d.endsWith('.setter'))) return;
    this.setVar(scope, name, fn);
  }

  private defineClass(def: Node, scope: Scope, decorators: string[]): void {
    const cs = kids(def);
    const nameNode = cs.find((c) => c.name === 'VariableName');
    if (!nameNode) return;
    const argList = cs.find((c) => c.name === 'ArgList');
    const bases: V[] = argList ? splitArgs(this.text, argList).args.filter((a) => a.kind === 'pos').map((a) => this.eval(a.value, scope)) : [];
    const cls: ClassV = {
      k: 'class',
      id: this.seq.cls++,
      name: textOf(this.text, nameNode),
      node: def,
      bases,
      attrs: new Map(),
      dataclass: decorators.some((d) => d === 'dataclass' || d === 'dataclasses.dataclass'),
      fields: [],
    };
    cls.module = this.moduleKindOf(bases);
    const body = cs.find((c) => c.name === 'Body');
    const classScope = new Scope(scope, 'class');
    if (body) {
      for (const st of statements(body)) {
        if (st.name === 'AssignStatement') {
          const first = kids(st)[0];
          if (first?.name === 'VariableName' && kids(st)[1]?.name === 'TypeDef') cls.fields.push(textOf(this.text, first));
        }
        try {
          this.exec(st, classScope);
        } catch (e) {
          if (e instanceof Abort || e instanceof BudgetExceeded) throw e;
          this.handleTopError(e, st);
        }
      }
    }
    for (const [k, v] of classScope.vars) {
      cls.attrs.set(k, v);
      if (v.k === 'fn') (v as FnV & { cls?: ClassV }).cls = cls;
    }
    this.classes.push(cls);
    this.setVar(scope, cls.name, cls);
  }

  private moduleKindOf(bases: V[]): ClassV['module'] {
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
  private fnInfo(def: Node): FnInfo {
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
        return this.callBuiltin(f.name, args, at);
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
    if (path.startsWith('torch') ) return torch.callTorchExt(this, path, args, at);
    if (path.startsWith('keras') || path.startsWith('tensorflow')) return keras.callKerasExt(this, path, args, at);
    if (path.startsWith('math.') || path.startsWith('numpy.') || path.startsWith('np.')) return mathCall(path.slice(path.indexOf('.') + 1), args);
    if (path === 'collections.OrderedDict') return this.callBuiltin('dict', args, at);
    if (path === 'functools.partial') return this.callBuiltin('__partial', args, at);
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
        return this.listMethod(self, name, args);
      case 'dict':
        return this.dictMethod(self, name, args);
      case 'mod':
        return runtimeOf(self).moduleMethod(this, self, name, args, at);
      case 'param':
        return torch.paramMethod(this, self, name, args, at);
      case 'tensor':
        return torch.tensorMethod(this, self, name, args, at);
      case 'super':
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private listMethod(l: Extract<V, { k: 'list' }>, name: string, args: CallArgs): V {
    const a = args.pos[0];
    switch (name) {
      case 'append':
        if (l.anyLen) return NONE;
        if (a) this.setItems(l, [...l.items, a]);
        return NONE;
      case 'extend': {
        if (l.anyLen) return NONE;
        const items = a ? this.iterate(a, args.node ?? this.tree.topNode) : undefined;
        if (items) this.setItems(l, [...l.items, ...items]);
        else this.setItems(l, [UNKNOWN]), (l as { anyLen?: boolean }).anyLen = true;
        return NONE;
      }
      case 'insert': {
        const i = intOf(a);
        if (i === undefined || l.anyLen || !args.pos[1]) return NONE;
        const items = [...l.items];
        items.splice(i, 0, args.pos[1]);
        this.setItems(l, items);
        return NONE;
      }
      case 'pop': {
        if (l.anyLen || !l.items.length) return UNKNOWN;
        const items = [...l.items];
        const i = a ? intOf(a) : -1;
        if (i === undefined) return UNKNOWN;
        const [v] = items.splice(i < 0 ? items.length + i : i, 1);
        this.setItems(l, items);
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
        if (!l.anyLen) this.setItems(l, [...l.items].reverse());
        return NONE;
      default:
        return UNKNOWN;
    }
  }

  private dictMethod(d: Extract<V, { k: 'dict' }>, name: string, args: CallArgs): V {
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
        this.remove(d.map as Map<string, unknown>, k);
        return v;
      }
      case 'update': {
        const o = args.pos[0];
        if (o?.k === 'dict') for (const [k, v] of o.map) this.put(d.map as Map<string, unknown>, k, v);
        for (const [k, v] of args.kw) this.put(d.map as Map<string, unknown>, k, v);
        return NONE;
      }
      case 'copy':
        return { k: 'dict', map: new Map(d.map) };
      case 'setdefault': {
        const k = args.pos[0] ? keyOf(args.pos[0]) : undefined;
        if (k === undefined) return UNKNOWN;
        if (!d.map.has(k)) this.put(d.map as Map<string, unknown>, k, args.pos[1] ?? NONE);
        return d.map.get(k)!;
      }
      default:
        return UNKNOWN;
    }
  }

  callBuiltin(name: string, args: CallArgs, at: Node): V {
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
        const items = a ? this.iterate(a, at) : undefined;
        const start = intOf(args.pos[1] ?? args.kw.get('start')) ?? 0;
        if (!items) return { k: 'list', items: [list([UNKNOWN, a?.k === 'list' && a.anyLen ? a.items[0] : UNKNOWN], true)], tuple: false, anyLen: true };
        return list(items.map((x, i) => list([num(i + start), x], true)));
      }
      case 'zip': {
        const its = args.pos.map((x) => this.iterate(x, at));
        if (!its.length || its.some((x) => !x)) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
        const n = Math.min(...its.map((x) => x!.length));
        return list(Array.from({ length: n }, (_, i) => list(its.map((x) => x![i]), true)));
      }
      case 'reversed': {
        const items = a ? this.iterate(a, at) : undefined;
        return items ? list([...items].reverse()) : { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
      }
      case 'sorted': {
        const items = a ? this.iterate(a, at) : undefined;
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
        const items = this.iterate(a, at);
        if (a.k === 'mod') return items ? list(items, name === 'tuple') : UNKNOWN;
        return items ? list(items, name === 'tuple') : { k: 'list', items: [a.k === 'list' && a.anyLen ? a.items[0] : UNKNOWN], tuple: name === 'tuple', anyLen: true };
      }
      case 'dict': {
        const m = new Map<string, V>();
        if (a?.k === 'dict') for (const [k, v] of a.map) m.set(k, v);
        else if (a) {
          const items = this.iterate(a, at);
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
        const items = args.pos.length === 1 && a ? this.iterate(a, at) : args.pos;
        const ns = items?.map(numOf);
        if (!ns || ns.some((x) => x === undefined) || (!ns.length && name !== 'sum')) return UNKNOWN;
        const xs = ns as number[];
        return num(name === 'sum' ? xs.reduce((p, q) => p + q, 0) : name === 'min' ? Math.min(...xs) : Math.max(...xs));
      }
      case 'any':
      case 'all': {
        const items = a ? this.iterate(a, at) : undefined;
        if (!items) return UNKNOWN;
        const ts = items.map(truthy);
        if (name === 'any') return ts.some((t) => t === true) ? TRUE : ts.every((t) => t === false) ? FALSE : UNKNOWN;
        return ts.some((t) => t === false) ? FALSE : ts.every((t) => t === true) ? TRUE : UNKNOWN;
      }
      case 'isinstance': {
        const r = a && args.pos[1] ? this.isInstance(a, args.pos[1]) : undefined;
        return r === undefined ? UNKNOWN : bool(r);
      }
      case 'issubclass':
        return UNKNOWN;
      case 'hasattr': {
        const n = strOf(args.pos[1]);
        if (!a || n === undefined) return UNKNOWN;
        const v = this.getAttr(a, n, at);
        if (v.k === 'unknown') return UNKNOWN;
        return TRUE;
      }
      case 'getattr': {
        const n = strOf(args.pos[1]);
        if (!a || n === undefined) return UNKNOWN;
        const v = this.getAttr(a, n, at);
        if (v.k === 'unknown' && args.pos[2] && (a.k === 'obj' || a.k === 'mod') && !a.attrs.has(n)) return args.pos[2];
        return v;
      }
      case 'setattr': {
        const n = strOf(args.pos[1]);
        if (a && n !== undefined && args.pos[2]) this.setAttr(a, n, args.pos[2], at, at, args.posNodes[2]);
        return NONE;
      }
      case 'print':
      case 'exit':
      case 'quit':
        return NONE;
      case 'super': {
        const frame = this.frames[this.frames.length - 1];
        if (args.pos.length >= 2 && args.pos[0].k === 'class') return { k: 'super', cls: args.pos[0], self: args.pos[1] };
        const cls = (frame?.fn as (FnV & { cls?: ClassV }) | undefined)?.cls;
        if (!cls || frame?.self === undefined) return UNKNOWN;
        return { k: 'super', cls, self: frame.self };
      }
      case 'iter':
        return a ?? UNKNOWN;
      case 'next': {
        const items = a ? this.iterate(a, at) : undefined;
        return items?.[0] ?? (a?.k === 'list' && a.anyLen ? a.items[0] : UNKNOWN);
      }
      case 'map': {
        const items = args.pos[1] ? this.iterate(args.pos[1], at) : undefined;
        if (!a || !items || items.length > LIMITS.loopIterations) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
        return list(items.map((x) => this.callValue(a, posArgs([x]), at)));
      }
      case 'type':
        return a ? this.typeOf(a) : UNKNOWN;
      case '__partial': {
        if (!a) return UNKNOWN;
        return { k: 'partial', fn: a, args: args.pos.slice(1), kw: new Map(args.kw) };
      }
      default:
        return this.unknownNode(name, `${name}() is not modelled`, [...args.pos, ...args.kw.values()], at);
    }
  }

  /** type(v): a user class, the canonical path of a framework class, or a builtin type. */
  typeOf(a: V): V {
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
  isInstance(v: V, cls: V): boolean | undefined {
    if (cls.k === 'list') {
      const rs = cls.items.map((c) => this.isInstance(v, c));
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
      if (cls.k === 'class') return !!v.cls && (v.cls === cls || this.inherits(v.cls, cls));
      if (cls.k === 'ext') return runtimeOf(v).isInstance(this, v, cls.path);
      return undefined;
    }
    if (v.k === 'obj') {
      if (cls.k === 'class') return v.cls === cls || this.inherits(v.cls, cls);
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

  // -----------------------------------------------------------------------------------------------------------
  // Expressions

  eval(n: Node, scope: Scope): V {
    return this.work.nested(LIMITS.evalDepth + 1, () => UNKNOWN, () => this.evalInner(n, scope));
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

  private evalInner(n: Node, scope: Scope): V {
    switch (n.name) {
      case 'Number': {
        const v = numberValue(textOf(this.text, n));
        return v === undefined ? UNKNOWN : num(v);
      }
      case 'String': {
        const v = stringValue(textOf(this.text, n));
        return v === undefined ? UNKNOWN : { k: 'str', v, node: n };
      }
      case 'ContinuedString': {
        let s = '';
        for (const c of kids(n)) {
          if (c.name !== 'String') return UNKNOWN;
          const v = stringValue(textOf(this.text, c));
          if (v === undefined) return UNKNOWN;
          s += v;
        }
        return str(s);
      }
      case 'FormatString':
        return this.evalFormatString(n, scope);
      case 'Boolean':
        return bool(textOf(this.text, n) === 'True');
      case 'None':
        return NONE;
      case 'Ellipsis':
        return UNKNOWN;
      case 'VariableName':
        return this.lookup(textOf(this.text, n), scope);
      case 'self':
        return this.lookup('self', scope);
      case 'ParenthesizedExpression': {
        const inner = exprKids(n);
        return inner.length === 1 ? this.eval(inner[0], scope) : UNKNOWN;
      }
      case 'TupleExpression':
        return list(this.evalSeq(exprKids(n), scope), true);
      case 'ArrayExpression':
      case 'SetExpression': {
        const items = this.evalSeq(exprKids(n), scope);
        if (items.length === 1 && items[0].k === 'unknown' && kids(n).some((c) => c.name === '*')) return { k: 'list', items: [UNKNOWN], tuple: false, anyLen: true };
        return list(items);
      }
      case 'DictionaryExpression':
        return this.evalDict(n, scope);
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
      case 'DictionaryComprehensionExpression':
        return this.evalComprehension(n, scope);
      case 'MemberExpression': {
        const f = trailingDotFloat(this.text, n);
        return f !== undefined ? num(f) : this.evalMember(n, scope);
      }
      case 'CallExpression':
        return this.evalCall(n, scope);
      case 'UnaryExpression': {
        const cs = kids(n);
        const op = cs[0];
        const e = cs.find((c, i) => i > 0 && !isToken(c));
        if (!op || !e) return UNKNOWN;
        const v = this.eval(e, scope);
        const o = textOf(this.text, op);
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
        const f = trailingDotFloat(this.text, n);
        return f !== undefined ? num(f) : this.evalBinary(n, scope);
      }
      case 'ConditionalExpression': {
        const cs = exprKids(n);
        const [a, c, b] = cs;
        if (!a || !c || !b) return UNKNOWN;
        const t = truthy(this.eval(c, scope));
        if (t === true) return this.eval(a, scope);
        if (t === false) return this.eval(b, scope);
        this.uncertainLines.add(this.line(c));
        const va = this.eval(a, scope);
        const vb = this.eval(b, scope);
        return this.join([va, vb], c) as V;
      }
      case 'LambdaExpression':
        return { k: 'fn', def: n, name: '<lambda>', closure: scope, lambda: true };
      case 'NamedExpression': {
        const cs = exprKids(n);
        if (cs.length < 2) return UNKNOWN;
        const v = this.eval(cs[cs.length - 1], scope);
        if (cs[0].name === 'VariableName') this.setVar(scope, textOf(this.text, cs[0]), v);
        return v;
      }
      case 'AwaitExpression': {
        const e = exprKids(n)[0];
        return e ? this.eval(e, scope) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** f"act{i}": literal parts and replacements whose values are known strings or numbers (no format spec). */
  private evalFormatString(n: Node, scope: Scope): V {
    const raw = textOf(this.text, n);
    const m = /^([rRbBuUfF]{1,3})('''|"""|'|")/.exec(raw);
    if (!m) return UNKNOWN;
    const rawPrefix = m[1].toLowerCase().includes('r');
    const open = n.from + m[0].length;
    const close = n.to - m[2].length;
    let out = '';
    let pos = open;
    const literal = (a: number, b: number): string | undefined => {
      const piece = this.text.slice(a, b).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
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
      const v = this.eval(e, scope);
      if (v.k === 'str') out += v.v;
      else if (v.k === 'num' && Number.isInteger(v.v)) out += String(v.v);
      else if (v.k === 'bool') out += v.v ? 'True' : 'False';
      else return UNKNOWN;
      pos = r.to;
    }
    const tail = literal(pos, Math.max(pos, close));
    return tail === undefined ? UNKNOWN : str(out + tail);
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

  private evalDict(n: Node, scope: Scope): V {
    const cs = kids(n).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',' && c.name !== 'Comment');
    const m = new Map<string, V>();
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === '**') {
        const v = cs[i + 1] ? this.eval(cs[i + 1], scope) : UNKNOWN;
        if (v.k !== 'dict') return UNKNOWN;
        for (const [k, x] of v.map) m.set(k, x);
        i++;
        continue;
      }
      if (cs[i + 1]?.name === ':' && cs[i + 2]) {
        const k = keyOf(this.eval(c, scope));
        const v = this.eval(cs[i + 2], scope);
        if (k === undefined) return UNKNOWN;
        m.set(k, v);
        i += 2;
      }
    }
    return { k: 'dict', map: m };
  }

  private evalComprehension(n: Node, scope: Scope): V {
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
        const k = keyOf(this.eval(kNode, inner));
        if (k === undefined) unknownLen = true;
        else dict.set(k, this.eval(vNode, inner));
      } else if (head[0]) out.push(this.eval(head[0], inner));
    };
    const run = (ci: number): void => {
      if (ci >= clauses.length) {
        emit();
        return;
      }
      const cl = clauses[ci];
      if (cl.kind === 'if') {
        const t = truthy(this.eval(cl.expr, inner));
        if (t === true) run(ci + 1);
        else if (t === undefined) unknownLen = true;
        return;
      }
      const it = this.eval(cl.expr, inner);
      const items = this.iterate(it, cl.expr);
      const assign = (v: V) => {
        const ts = cl.targets!;
        if (ts.length === 1) this.assignTo(ts[0], v, inner, n);
        else this.destructure(ts, v, inner, n);
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

  private evalMember(n: Node, scope: Scope): V {
    const obj = n.firstChild;
    if (!obj) return UNKNOWN;
    const op = obj.nextSibling;
    if (op?.name === '.') {
      // obj.name: the common case, without the list of children.
      const ov = this.eval(obj, scope);
      const prop = op.nextSibling;
      if (!prop || prop.name !== 'PropertyName') return UNKNOWN;
      return this.getAttr(ov, textOf(this.text, prop), n);
    }
    const cs = kids(n);
    const ov = this.eval(obj, scope);
    if (cs[1]?.name === '[') {
      const idx = this.evalSubscript(cs.slice(2, cs[cs.length - 1]?.name === ']' ? -1 : undefined), scope);
      return this.getItem(ov, idx, n);
    }
    return UNKNOWN;
  }

  /** A subscript: one index, a slice {k:'slice'} encoded as a dict, or a tuple of them. */
  evalSubscript(parts: Node[], scope: Scope): V {
    const groups: Node[][] = [[]];
    for (const p of parts) {
      if (p.name === ',') groups.push([]);
      else groups[groups.length - 1].push(p);
    }
    const one = (g: Node[]): V => {
      if (!g.some((p) => p.name === ':')) {
        const e = g.find((p) => !isToken(p));
        return e ? this.eval(e, scope) : UNKNOWN;
      }
      const segs: (Node | undefined)[] = [undefined];
      for (const p of g) {
        if (p.name === ':') segs.push(undefined);
        else if (!isToken(p)) segs[segs.length - 1] = p;
      }
      const val = (x: Node | undefined) => (x ? this.eval(x, scope) : NONE);
      return { k: 'dict', map: new Map<string, V>([['__slice__', TRUE], ['start', val(segs[0])], ['stop', val(segs[1])], ['step', val(segs[2])]]) };
    };
    const vs = groups.filter((g) => g.length).map(one);
    return vs.length === 1 && groups.length === 1 ? vs[0] : list(vs, true);
  }

  getItem(obj: V, idx: V, at: Node): V {
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
        return runtimeOf(obj).moduleItem(this, obj, idx, at);
      case 'param':
        return torch.paramItem(this, obj, idx);
      case 'tensor':
        return obj; // indexing and slicing keep the distribution
      default:
        return UNKNOWN;
    }
  }

  getAttr(obj: V, name: string, at: Node): V {
    switch (obj.k) {
      case 'ext':
        if ((obj.path === 'math' || obj.path === 'numpy') && Object.prototype.hasOwnProperty.call(MATH_CONSTANTS, name)) return num(MATH_CONSTANTS[name]);
        if (name === '__name__') return str(obj.path.split('.').pop()!);
        return extAttr(obj.path, name);
      case 'mod': {
        if (name === '__class__') return this.typeOf(obj);
        const c = obj.children.get(name);
        if (c) return c;
        const a = obj.attrs.get(name);
        if (a) return a;
        const m = this.findClassAttr(obj.cls, name);
        if (m) return this.bindAttr(m, obj, at);
        return runtimeOf(obj).moduleAttr(this, obj, name, at);
      }
      case 'obj': {
        if (name === '__class__') return obj.cls;
        const a = obj.attrs.get(name);
        if (a) return a;
        const m = this.findClassAttr(obj.cls, name);
        return m ? this.bindAttr(m, obj, at) : UNKNOWN;
      }
      case 'class': {
        if (name === '__name__') return str(obj.name);
        const m = this.findClassAttr(obj, name);
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
          if (v) return this.bindAttr(v, self, at);
        }
        if (name === '__init__') {
          const ext = this.externalBase(obj.cls);
          if (ext === 'torch.nn.Sequential' || ext === 'torch.nn.ModuleList' || ext === 'torch.nn.ModuleDict') return { k: 'builtin', name: `__superinit:${ext}` } satisfies V;
          return { k: 'builtin', name: '__noop' };
        }
        return UNKNOWN;
      }
      case 'param':
        return torch.paramAttr(this, obj, name);
      case 'tensor':
        return torch.tensorAttr(this, obj, name);
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

  private bindAttr(v: V, self: V, at: Node): V {
    if (v.k !== 'fn') return v;
    if (v.staticmethod) return v;
    if (v.classmethod) return { k: 'bound', fn: v, self: self.k === 'mod' || self.k === 'obj' ? (self.cls ?? UNKNOWN) : UNKNOWN };
    if (v.property) return this.callFunction(v, noArgs(), self, at);
    return { k: 'bound', fn: v, self };
  }

  private evalCall(n: Node, scope: Scope): V {
    const callee = n.firstChild;
    const argList = argListOf(n);
    if (!callee || !argList) return UNKNOWN;
    const f = this.eval(callee, scope);
    const args = this.evalArgs(argList, scope);
    if (f.k === 'builtin' && f.name.startsWith('__superinit:')) {
      const frame = this.frames[this.frames.length - 1];
      if (frame?.self?.k === 'mod') torch.initSequentialBase(this, frame.self, args);
      return NONE;
    }
    if (f.k === 'builtin' && f.name === '__noop') return NONE;
    return this.callValue(f, args, n);
  }

  evalArgs(argList: Node, scope: Scope): CallArgs {
    const { args, generator } = splitArgs(this.text, argList);
    const out = noArgs(argList);
    if (generator) {
      out.pos.push(this.evalComprehension(argList, scope));
      out.posNodes.push(argList);
      return out;
    }
    let kw: Map<string, V> | undefined;
    let kwNodes: Map<string, { name: Node; value: Node }> | undefined;
    for (const a of args as Arg[]) {
      const v = this.eval(a.value, scope);
      if (a.kind === 'pos') {
        out.pos.push(v);
        out.posNodes.push(a.value);
      } else if (a.kind === 'kw' && a.name) {
        (kw ??= new Map()).set(a.name, v);
        (kwNodes ??= new Map()).set(a.name, { name: a.nameNode!, value: a.value });
      } else if (a.kind === 'star') {
        const items = this.iterate(v, a.value);
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

  private evalBinary(n: Node, scope: Scope): V {
    const cs = kids(n);
    const left = cs[0];
    const right = cs[cs.length - 1];
    if (!left || !right || left === right) return UNKNOWN;
    const ops = cs.slice(1, -1);
    const opText = ops.map((o) => textOf(this.text, o)).join(' ').replace(/\s+/g, ' ').trim();
    if (opText === 'and' || opText === 'or') {
      const a = this.eval(left, scope);
      const t = truthy(a);
      if (opText === 'and') {
        if (t === false) return a;
        const b = this.eval(right, scope);
        if (t === true) return b;
        const tb = truthy(b);
        return tb === false ? FALSE : UNKNOWN;
      }
      if (t === true) return a;
      const b = this.eval(right, scope);
      if (t === false) return b;
      return truthy(b) === true ? TRUE : UNKNOWN;
    }
    const a = this.eval(left, scope);
    const b = this.eval(right, scope);
    return this.binary(opText, a, b, n);
  }

  binary(op: string, a: V, b: V, at: Node): V {
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
        const r = contains(b, a, this);
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
    if (a.k === 'tensor' || b.k === 'tensor') return torch.tensorBinary(this, op, a, b, at);
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
}

// -------------------------------------------------------------------------------------------------------------
// Helpers

const BUILTIN_NAMES = [
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
function extAttr(base: string, name: string): V {
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

/** A loop pass's completion as the unrolling reads it. */
function loopPass(c: Completion): LoopPass<Completion> {
  if (c?.t === 'break') return 'break';
  if (!c || c.t === 'continue') return 'next';
  return { exit: c };
}

/** The completion of a body run once as a branch alternative: `break` and `continue` only end that pass. */
function onceCompletion(c: Completion): Completion {
  return c && (c.t === 'break' || c.t === 'continue') ? undefined : c;
}

function computeStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function isV(x: unknown): x is V {
  return !!x && typeof x === 'object' && 'k' in (x as object) && typeof (x as { k: unknown }).k === 'string';
}

function isRef(x: unknown): x is InitializerRef {
  return !!x && typeof x === 'object' && 'framework' in (x as object) && 'form' in (x as object);
}

function joinUnknown(x: unknown): unknown {
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

function contains(container: V, item: V, ip: Interp): boolean | undefined {
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

function mroAfter(owner: ClassV | undefined, after: ClassV): V[] {
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

function strMethod(s: string, name: string, args: CallArgs): V {
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

function mathCall(fn: string, args: CallArgs): V {
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

export const MATH_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Infinity, tau: 2 * Math.PI };

export type { ParamV };
