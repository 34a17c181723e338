/**
 * A small abstract interpreter over the raw TypeScript syntax tree: it executes a file's statements with
 * abstract values (values.ts), following constants, helper functions, loops with constant bounds, object
 * spreads and the tfjs namespace, and records the models and layers the code builds. Anything it cannot
 * decide becomes UNKNOWN; every loop, recursion and the total work are capped so that it always terminates.
 */
import { ts } from 'ts-morph';
import { type LayerCtx, newRec } from './layers';
import { stripOuter } from './syntax';
import { applyLayer, applyModel, callNs, coreMethod, modelAdd } from './tf-runtime';
import {
  TF_LAYERS_CLASSES,
  tfjsModulePath,
} from './tables';
import {
  type ArrV,
  type Binding,
  type BuiltinV,
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
  NULL,
  UNDEF,
  UNKNOWN,
  bool,
  isPrimitive,
  joinValues,
  newArr,
  newObj,
  nullish,
  num,
  sameValue,
  spanOf,
  str,
  strictEq,
  truthy,
  unknown,
} from './values';
import { type ChangedPlace, type Store, UndoLog } from '../shared/undo-log';
import { Abort, BudgetExceeded, WorkBudget, noteOnce } from '../shared/work-budget';
import { type LoopHead, type LoopPass, itemsHead, loopCapNote, maybeOnce, unroll } from '../shared/loops';

// Bound once: the `ts` namespace exposes its members through getters.
const { getCombinedModifierFlags, isArrayLiteralExpression, isArrowFunction, isBinaryExpression, isBlock, isClassDeclaration, isClassLike, isComputedPropertyName, isConstructorDeclaration, isDefaultClause, isDoStatement, isElementAccessExpression, isExpression, isExternalModuleReference, isForOfStatement, isForStatement, isFunctionDeclaration, isFunctionLike, isGetAccessorDeclaration, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isMethodDeclaration, isModuleBlock, isNamedImports, isNamespaceImport, isNoSubstitutionTemplateLiteral, isNumericLiteral, isObjectBindingPattern, isObjectLiteralExpression, isOmittedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isSetAccessorDeclaration, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteral, isVariableDeclaration, isVariableDeclarationList, isVariableStatement, isWhileStatement, SyntaxKind: SK, NodeFlags: NF, ModifierFlags: MF } = ts;


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

type Completion = undefined | { t: 'return'; v: V } | { t: 'break'; label?: string } | { t: 'continue'; label?: string } | { t: 'throw' };

interface Frame {
  possible: V[];
}

interface FnReg {
  fn?: FnV;
  decl: ts.FunctionLikeDeclaration;
  env: Scope;
  thisProvider?: () => V | undefined;
  called: boolean;
  cls?: ClassV;
}

const TF_PARAM_NAMES = new Set(['tf', 'tfjs', 'tensorflow']);
const GLOBAL_NAMES = new Set([
  'Math', 'Number', 'Object', 'Array', 'JSON', 'console', 'String', 'Boolean', 'Promise', 'Symbol', 'Map', 'Set',
  'Error', 'Date', 'parseInt', 'parseFloat', 'isNaN', 'isFinite',
]);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);

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
  private readonly work = new WorkBudget(LIMITS.steps);
  mutationSeq = 0;
  private callDepth = 0;
  /** Mutation sequence number when the outermost user call started (for recursion-cap notes). */
  private callSeq0 = 0;
  uncertain: number[] = [];
  private readonly undoLog = new UndoLog();
  private frames: Frame[] = [];
  private readonly registry = new Map<ts.Node, FnReg>();
  private readonly classes: ClassV[] = [];
  standalone: { fnName: string; usedDefaults: boolean }[] = [];
  private ctorClass: ClassV[] = [];
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
      this.hoistImports(stmts);
      this.hoistVars(stmts, this.moduleScope);
      this.hoistBlock(stmts, this.moduleScope);
      for (const s of stmts) {
        try {
          this.exec(s, this.moduleScope);
        } catch (e) {
          if (e instanceof Abort) throw e;
          this.internalError(e, s);
        }
      }
      this.runUncalled();
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      this.aborted = true;
      const msg = `The analysis stopped after ${LIMITS.steps.toLocaleString('en-US')} evaluation steps; later code was not analyzed.`;
      this.problem(msg);
      for (const m of this.models) noteOnce(m.notes, msg);
    }
  }

  private internalError(e: unknown, node: ts.Node): void {
    const what = e instanceof RangeError ? 'the code nests too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    this.problem(`Part of the file was not analyzed (${what}).`, node);
  }

  /**
   * Functions never called by the analyzed code run once with unknown arguments (defaults where given).
   * Functions that the file calls by name somewhere run last, so that their callers (which pass real
   * arguments) go first.
   */
  private runUncalled(): void {
    let calledNames: Set<string> | undefined;
    for (let phase = 0; phase < 2; phase++) {
      for (const reg of this.registry.values()) {
        if (reg.called) continue;
        const decl = reg.decl;
        const name = this.regName(reg);
        if (phase === 0) {
          calledNames ??= this.calledNames();
          if (name && calledNames.has(name)) continue;
        }
        reg.called = true;
        if (!this.isRelevant(decl)) continue;
        try {
          if ((isConstructorDeclaration(decl) || isClassLike(decl)) && reg.cls) {
            if (!reg.cls.instantiated) this.instantiate(reg.cls, [], decl, true);
            continue;
          }
          const seq0 = this.mutationSeq;
          const label = name ?? `the function at line ${this.line(decl)}`;
          try {
            this.work.standalone(LIMITS.stepsPerFunction, () => {
              const thisV = reg.thisProvider?.();
              const fn: FnV = reg.fn ?? { k: 'fn', decl, env: reg.env, thisV };
              this.standalone.push({ fnName: label, usedDefaults: false });
              try {
                this.callFn(fn, [], thisV ?? fn.thisV, undefined, true);
              } finally {
                this.standalone.pop();
              }
            });
          } catch (e) {
            if (!(e instanceof BudgetExceeded)) throw e;
            this.capNote(seq0, `The analysis of ${label} stopped after ${LIMITS.stepsPerFunction.toLocaleString('en-US')} steps; the model may be incomplete.`);
          }
        } catch (e) {
          if (e instanceof Abort) throw e;
          this.internalError(e, decl);
        }
      }
    }
  }

  private relevant?: Set<ts.Node>;

  /**
   * Whether a function (or class) can reach TensorFlow.js: its code mentions a tfjs binding, `tf`, the
   * package name, or a declaration that does (fixpoint over names). Functions that cannot are not run
   * stand-alone: running all of a large non-model file's code would only cost time.
   */
  private isRelevant(decl: ts.Node): boolean {
    this.relevant ??= this.computeRelevance();
    if (this.relevant.has(decl)) return true;
    const ctorOf = isConstructorDeclaration(decl) ? decl.parent : undefined;
    return !!ctorOf && this.relevant.has(ctorOf);
  }

  private computeRelevance(): Set<ts.Node> {
    interface Owner {
      node: ts.Node;
      parent?: Owner;
      names: string[];
      /** Identifiers in reference position directly inside (not in nested owners). */
      ids: Set<string>;
      /** Property names (`x.name`) directly inside: they match only declaration names. */
      props: Set<string>;
      mentionsPackage: boolean;
    }
    const owners: Owner[] = [];
    const seeds = new Set<string>([...TF_PARAM_NAMES, 'window', 'globalThis', 'self', ...this.nsBindings.map((b) => b.name)]);
    const called = new Set<string>();
    // Iterative walk with parallel stacks (files can be large and deep).
    const nodes: ts.Node[] = [this.sf];
    const ownersOf: (Owner | undefined)[] = [undefined];
    const inFns: boolean[] = [false];
    let guard = 0;
    while (nodes.length && guard++ < 2_000_000) {
      const n = nodes.pop()!;
      let owner = ownersOf.pop();
      const inFnHere = inFns.pop()!;
      const k = n.kind;
      if (k === SK.Identifier) {
        if (owner) {
          const t = (n as ts.Identifier).text;
          const p = n.parent;
          const pk = p.kind;
          const isPropName =
            (pk === SK.PropertyAccessExpression || pk === SK.PropertyAssignment || pk === SK.MethodDeclaration || pk === SK.PropertyDeclaration) &&
            (p as ts.PropertyAccessExpression).name === n;
          (isPropName ? owner.props : owner.ids).add(t);
        }
        continue;
      }
      if (k === SK.StringLiteral) {
        if (owner && (n as ts.StringLiteral).text.startsWith('@tensorflow/tfjs')) owner.mentionsPackage = true;
        continue;
      }
      if (k === SK.CallExpression || k === SK.NewExpression) {
        let c: ts.Expression = (n as ts.CallExpression).expression;
        while (c.kind === SK.ParenthesizedExpression || c.kind === SK.AsExpression || c.kind === SK.NonNullExpression) c = (c as ts.ParenthesizedExpression).expression;
        if (c.kind === SK.Identifier) called.add((c as ts.Identifier).text);
        else if (c.kind === SK.PropertyAccessExpression) called.add((c as ts.PropertyAccessExpression).name.text);
      }
      // Variables are owners only at module level (locals belong to their function).
      const names = inFnHere && k === SK.VariableDeclaration ? undefined : this.ownerNames(n);
      if (names) {
        // A class owns its heritage, fields and constructor, not its methods: a relevant method does not
        // make the class relevant (the method runs with a representative instance).
        const method = (k === SK.MethodDeclaration || k === SK.GetAccessor || k === SK.SetAccessor) && owner?.node === n.parent;
        const o: Owner = { node: n, parent: method ? owner!.parent : owner, names, ids: new Set(), props: new Set(), mentionsPackage: false };
        owners.push(o);
        owner = o;
      }
      const inFn = inFnHere || isFunctionLike(n);
      n.forEachChild((c) => {
        nodes.push(c);
        ownersOf.push(owner);
        inFns.push(inFn);
      });
    }
    this.called = called;
    const relevantNames = new Set(seeds);
    const declNames = new Set<string>();
    const out = new Set<ts.Node>();
    let changed = true;
    const mark = (o: Owner) => {
      // An owner containing relevant code is relevant too: it creates the inner function.
      for (let x: Owner | undefined = o; x && !out.has(x.node); x = x.parent) {
        out.add(x.node);
        changed = true;
        for (const nm of x.names) {
          relevantNames.add(nm);
          declNames.add(nm);
        }
      }
    };
    const hits = (o: Owner) => {
      if (o.mentionsPackage) return true;
      for (const id of o.ids) if (relevantNames.has(id)) return true;
      for (const id of o.props) if (declNames.has(id)) return true;
      return false;
    };
    for (let rounds = 0; changed && rounds < 64; rounds++) {
      changed = false;
      for (const o of owners) if (!out.has(o.node) && hits(o)) mark(o);
    }
    return out;
  }

  /** Names under which a declaration can be used elsewhere, if the node is a declaration we track. */
  private ownerNames(n: ts.Node): string[] | undefined {
    if (isFunctionLike(n) || isClassLike(n)) {
      const nm = (n as ts.NamedDeclaration).name;
      const own = nm && (isIdentifier(nm) || isStringLiteral(nm) || isPrivateIdentifier(nm)) ? [nm.text] : [];
      const p = n.parent;
      if (p && isVariableDeclaration(p) && isIdentifier(p.name)) own.push(p.name.text);
      if (p && (isPropertyAssignment(p) || isPropertyDeclaration(p)) && isIdentifier(p.name)) own.push(p.name.text);
      return own;
    }
    if (isVariableDeclaration(n)) return this.boundNames(n.name);
    if (isPropertyDeclaration(n) && isIdentifier(n.name)) return [n.name.text];
    return undefined;
  }

  private regName(reg: FnReg): string | undefined {
    const d = reg.decl as ts.Node;
    if (isClassLike(d)) return d.name?.text;
    const n = (d as ts.FunctionLikeDeclaration).name;
    if (n && (isIdentifier(n) || isStringLiteral(n))) return n.text;
    return this.fnNameFromContext(d);
  }

  private called?: Set<string>;

  fnNameFromContext(decl: ts.Node): string | undefined {
    const p = decl.parent;
    if (p && isVariableDeclaration(p) && isIdentifier(p.name)) return p.name.text;
    if (p && isPropertyAssignment(p) && isIdentifier(p.name)) return p.name.text;
    return undefined;
  }

  /** Names used as callees (`f(...)`, `x.f(...)`, `new F(...)`) anywhere in the file. */
  private calledNames(): Set<string> {
    this.relevant ??= this.computeRelevance();
    return this.called ?? new Set();
  }

  private tick(): void {
    this.work.tick();
  }

  // ------------------------------------------------------------------------------------------------------
  // Hoisting

  private hoistImports(stmts: ts.NodeArray<ts.Statement>): void {
    for (const s of stmts) {
      if (isImportDeclaration(s) && isStringLiteral(s.moduleSpecifier)) {
        const path = tfjsModulePath(s.moduleSpecifier.text);
        const clause = s.importClause;
        if (!clause) continue;
        if (clause.name) this.bindImport(clause.name.text, path ? [...path] : undefined, clause.name);
        const nb = clause.namedBindings;
        if (nb && isNamespaceImport(nb)) this.bindImport(nb.name.text, path ? [...path] : undefined, nb.name);
        else if (nb && isNamedImports(nb))
          for (const el of nb.elements) {
            const imported = (el.propertyName ?? el.name).text;
            this.bindImport(el.name.text, path ? [...path, imported] : undefined, el.name);
          }
      } else if (isImportEqualsDeclaration(s)) {
        const ref = s.moduleReference;
        if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) {
          const path = tfjsModulePath(ref.expression.text);
          this.bindImport(s.name.text, path, s.name);
        }
      }
    }
  }

  private bindImport(name: string, path: string[] | undefined, node: ts.Node): void {
    const v: V = path ? { k: 'ns', path, node } : unknown();
    this.moduleScope.declare(name, v, 'import', node);
    if (path) this.nsBindings.push({ name, path });
  }

  /** `var` declarations are function-scoped: declare them (undefined) before executing the body. */
  private readonly varNames = new WeakMap<readonly ts.Statement[], string[]>();

  /** `var` names declared in a body (not in nested functions), computed once per body. */
  private hoistVars(stmts: readonly ts.Statement[], scope: Scope): void {
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

  private boundNames(name: ts.BindingName): string[] {
    if (isIdentifier(name)) return [name.text];
    const out: string[] = [];
    for (const el of name.elements) if (!isOmittedExpression(el)) out.push(...this.boundNames(el.name));
    return out;
  }

  /** Function declarations (hoisted with their value) and let/const/class (temporal dead zone). */
  private hoistBlock(stmts: readonly ts.Statement[], scope: Scope): void {
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

  private makeFn(decl: ts.FunctionLikeDeclaration, env: Scope, thisV?: V): FnV {
    const fn: FnV = { k: 'fn', decl, env, thisV, node: decl };
    if (!this.registry.has(decl)) this.registry.set(decl, { fn, decl, env, called: false, thisProvider: thisV ? () => thisV : undefined });
    return fn;
  }

  // ------------------------------------------------------------------------------------------------------
  // Assignments with an undo trail (for branches whose condition is unknown)

  private setBinding(b: Binding, v: V | typeof TDZ): void {
    this.undoLog.put(b as unknown as Store, 'v', v);
  }

  private setProp(o: ObjV, key: string, p: Prop): void {
    this.undoLog.put(o.props as Map<string, unknown>, key, p);
  }

  /** Runs alternative branches (condition unknown) and joins what they assigned. */
  private branches(line: number, alts: (() => Completion)[]): Completion {
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

  private assignedIdentifiers(root: ts.Node | undefined): string[] {
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

  private forget(names: string[], scope: Scope): void {
    for (const name of names) {
      const b = scope.lookup(name);
      if (b && b.v !== TDZ) this.setBinding(b, UNKNOWN);
    }
  }

  private capNote(sinceSeq: number, text: string): void {
    for (const m of this.models) if (m.lastMutation > sinceSeq) noteOnce(m.notes, text);
  }

  // ------------------------------------------------------------------------------------------------------
  // Statements

  private execBlock(stmts: readonly ts.Statement[], scope: Scope): Completion {
    this.hoistBlock(stmts, scope);
    for (const s of stmts) {
      const c = this.exec(s, scope);
      if (c) return c;
    }
    return undefined;
  }

  private exec(s: ts.Statement, scope: Scope, label?: string): Completion {
    this.tick();
    switch (s.kind) {
      case SK.VariableStatement:
        this.execVarList((s as ts.VariableStatement).declarationList, scope);
        return undefined;
      case SK.ExpressionStatement:
        this.eval((s as ts.ExpressionStatement).expression, scope);
        return undefined;
      case SK.IfStatement: {
        const st = s as ts.IfStatement;
        const c = truthy(this.eval(st.expression, scope));
        if (c === true) return this.exec(st.thenStatement, scope);
        if (c === false) return st.elseStatement ? this.exec(st.elseStatement, scope) : undefined;
        return this.branches(this.line(st), [() => this.exec(st.thenStatement, scope), () => (st.elseStatement ? this.exec(st.elseStatement, scope) : undefined)]);
      }
      case SK.Block:
        return this.execBlock((s as ts.Block).statements, new Scope(scope, false));
      case SK.ReturnStatement: {
        const e = (s as ts.ReturnStatement).expression;
        return { t: 'return', v: e ? this.eval(e, scope) : UNDEF };
      }
      case SK.ThrowStatement:
        this.eval((s as ts.ThrowStatement).expression, scope);
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
        return this.execLoop(s as ts.IterationStatement, scope, label);
      case SK.SwitchStatement:
        return this.execSwitch(s as ts.SwitchStatement, scope);
      case SK.TryStatement: {
        const st = s as ts.TryStatement;
        let c = this.execBlock(st.tryBlock.statements, new Scope(scope, false));
        if (c && c.t === 'throw' && st.catchClause) {
          const cs = new Scope(scope, false);
          const vd = st.catchClause.variableDeclaration;
          if (vd) this.bindPattern(vd.name, UNKNOWN, cs, 'let', true);
          c = this.execBlock(st.catchClause.block.statements, cs);
        }
        if (st.finallyBlock) {
          const f = this.execBlock(st.finallyBlock.statements, new Scope(scope, false));
          if (f) return f;
        }
        return c;
      }
      case SK.LabeledStatement: {
        const st = s as ts.LabeledStatement;
        const c = this.exec(st.statement, scope, st.label.text);
        if (c && c.t === 'break' && c.label === st.label.text) return undefined;
        return c;
      }
      case SK.ClassDeclaration: {
        const cd = s as ts.ClassDeclaration;
        const cls = this.evalClass(cd, scope);
        if (cd.name) {
          const b = scope.lookup(cd.name.text);
          if (b) this.setBinding(b, cls);
          else scope.declare(cd.name.text, cls, 'class', cd.name);
        }
        return undefined;
      }
      case SK.ExportAssignment:
        this.eval((s as ts.ExportAssignment).expression, scope);
        return undefined;
      case SK.EnumDeclaration:
        this.execEnum(s as ts.EnumDeclaration, scope);
        return undefined;
      case SK.ModuleDeclaration: {
        const body = (s as ts.ModuleDeclaration).body;
        if (body && isModuleBlock(body)) {
          const ns = new Scope(scope, true);
          this.hoistVars(body.statements, ns);
          return this.execBlock(body.statements, ns) && undefined;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private execEnum(e: ts.EnumDeclaration, scope: Scope): void {
    const o = newObj();
    let next = 0;
    const es = new Scope(scope, false);
    for (const m of e.members) {
      const key = isIdentifier(m.name) || isStringLiteral(m.name) ? m.name.text : undefined;
      let v: V = UNKNOWN;
      if (m.initializer) {
        v = this.eval(m.initializer, es);
        next = v.k === 'num' ? v.v + 1 : NaN;
      } else if (!Number.isNaN(next)) v = num(next++);
      if (key) {
        o.props.set(key, { v, el: undefined });
        es.declare(key, v, 'const');
      }
    }
    scope.declare(e.name.text, o, 'const', e.name);
  }

  private execVarList(list: ts.VariableDeclarationList, scope: Scope): void {
    const blockScoped = !!(list.flags & NF.BlockScoped);
    for (const d of list.declarations) {
      const v = d.initializer ? this.eval(d.initializer, scope) : UNDEF;
      if (!d.initializer && !blockScoped) continue; // `var x;` keeps its value
      this.bindPattern(d.name, v, scope, blockScoped ? 'let' : 'var', true);
    }
  }

  /** Names a value after the variable it is first stored in (layers, initializers, configs). */
  private nameValue(v: V, name: ts.Identifier): void {
    if (v === UNKNOWN || v === UNDEF || v === NULL || Object.isFrozen(v)) return;
    if (v.k === 'unknown' || v.k === 'ns' || v.k === 'global') return;
    if (!v.holder) v.holder = { name: name.text, span: spanOf(name, this.sf) };
    if (v.k === 'layer' && !v.rec.name) v.rec.name = name.text;
  }

  /** Binds a declaration or parameter pattern. `declare`: create/initialize bindings in `scope`. */
  private bindPattern(name: ts.BindingName, v: V, scope: Scope, kind: 'let' | 'var' | 'param', declare: boolean): void {
    if (isIdentifier(name)) {
      if (kind !== 'param') this.nameValue(v, name);
      if (kind === 'param') {
        if (v.k === 'unknown' && TF_PARAM_NAMES.has(name.text)) v = { k: 'ns', path: [], node: name };
        scope.declare(name.text, v, 'param', name);
        return;
      }
      const target = kind === 'var' ? scope.functionScope() : scope;
      const b = declare ? target.own(name.text) : scope.lookup(name.text);
      if (b) this.setBinding(b, v);
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
          this.bindPattern(el.name, v.k === 'obj' ? rest : UNKNOWN, scope, kind, declare);
          continue;
        }
        const key = el.propertyName ? this.propKey(el.propertyName, scope) : isIdentifier(el.name) ? el.name.text : undefined;
        let val: V = key === undefined ? UNKNOWN : this.getProp(v, key);
        if (key !== undefined) used.push(key);
        if (el.initializer && val.k === 'undef') val = this.eval(el.initializer, scope);
        else if (el.initializer && val.k === 'unknown' && this.standalone.length && v.k === 'unknown') {
          // Destructured options with defaults of a function run stand-alone: use the defaults.
          val = this.eval(el.initializer, scope);
          this.standalone[this.standalone.length - 1].usedDefaults = true;
        }
        this.bindPattern(el.name, val, scope, kind, declare);
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
        this.bindPattern(el.name, rest, scope, kind, declare);
        continue;
      }
      let val = this.getIndex(v, i++);
      if (el.initializer && val.k === 'undef') val = this.eval(el.initializer, scope);
      this.bindPattern(el.name, val, scope, kind, declare);
    }
  }

  private execSwitch(s: ts.SwitchStatement, scope: Scope): Completion {
    const d = this.eval(s.expression, scope);
    const clauses = s.caseBlock.clauses;
    const bs = new Scope(scope, false);
    for (const c of clauses) this.hoistBlock(c.statements, bs);
    const runFrom = (start: number): Completion => {
      for (let i = start; i < clauses.length; i++) {
        for (const st of clauses[i].statements) {
          const c = this.exec(st, bs);
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
      const eq = strictEq(d, this.eval(c.expression, bs));
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
    return this.branches(this.line(s), alts);
  }

  private execLoop(s: ts.IterationStatement, scope: Scope, label?: string): Completion {
    const line = this.line(s);
    const seq0 = this.mutationSeq;
    const loopScope = new Scope(scope, false);
    const pass = (iterScope: Scope): LoopPass<Completion> => {
      const c = this.exec(s.statement, iterScope);
      if (!c) return 'next';
      if (c.t === 'break' && (!c.label || c.label === label)) return 'break';
      if (c.t === 'continue' && (!c.label || c.label === label)) return 'next';
      return { exit: c };
    };
    // A bound that is not a constant: forget what the body assigns, run it once or not at all.
    const uncertainPass = (names: string[], iterScope: Scope, bind?: () => void): Completion => {
      this.forget(names, iterScope);
      const once = () => {
        bind?.();
        const r = pass(iterScope);
        return typeof r === 'string' ? undefined : r.exit;
      };
      const c = this.branches(line, maybeOnce(once, undefined));
      this.capNote(seq0, `The loop at line ${line} has a bound that is not a constant; its body was analyzed once, so the number of layers it adds is unknown.`);
      return c && c.t === 'return' ? c : undefined;
    };
    const capped = (names: string[]): Completion => {
      this.forget(names, loopScope);
      this.capNote(seq0, loopCapNote(line, LIMITS.loopIterations));
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
      if (s.initializer) this.forInitializer(s.initializer, scope, loopScope);
      const changed = () => [...this.assignedIdentifiers(s.incrementor), ...this.assignedIdentifiers(s.statement)];
      const run = () => {
        const r = pass(new Scope(loopScope, false));
        if (r === 'next' && s.incrementor) this.eval(s.incrementor, loopScope);
        return r;
      };
      return unrolling(condHead(() => (s.condition ? truthy(this.eval(s.condition, loopScope)) : true)), run, changed);
    }
    if (isWhileStatement(s) || isDoStatement(s)) {
      const changed = () => this.assignedIdentifiers(s.statement).concat(this.assignedIdentifiers(s.expression));
      const head = condHead(() => truthy(this.eval(s.expression, loopScope)));
      return unrolling((i) => (isDoStatement(s) && i === 0 ? 'go' : head(i)), () => pass(new Scope(loopScope, false)), changed);
    }
    // for-of / for-in
    const fo = s as ts.ForOfStatement | ts.ForInStatement;
    const items = this.loopItems(fo, this.eval(fo.expression, loopScope));
    const bindVar = (v: V, iterScope: Scope) => this.bindLoopVariable(fo.initializer, v, scope, iterScope);
    const names = () => this.assignedIdentifiers(s.statement);
    const head: (i: number) => LoopHead = items ? itemsHead(items.length, LIMITS.loopIterations) : () => 'unknown';
    const run = (i: number) => {
      const iterScope = new Scope(loopScope, false);
      bindVar(items![i], iterScope);
      return pass(iterScope);
    };
    return unrolling(head, run, names, (iterScope) => bindVar(UNKNOWN, iterScope));
  }

  /** The initializer of a `for (…; …; …)` loop. */
  private forInitializer(init: ts.ForInitializer, scope: Scope, loopScope: Scope): void {
    if (!isVariableDeclarationList(init)) {
      this.eval(init, loopScope);
      return;
    }
    const bsc = !!(init.flags & NF.BlockScoped);
    for (const d of init.declarations) {
      const v = d.initializer ? this.eval(d.initializer, loopScope) : UNDEF;
      this.bindPattern(d.name, v, bsc ? loopScope : scope, bsc ? 'let' : 'var', !bsc ? false : true);
    }
  }

  /** Binds a for-of / for-in variable for one pass. */
  private bindLoopVariable(init: ts.ForInitializer, v: V, scope: Scope, iterScope: Scope): void {
    if (isVariableDeclarationList(init)) {
      const d = init.declarations[0];
      if (d) {
        const bsc = !!(init.flags & NF.BlockScoped);
        this.bindPattern(d.name, v, bsc ? iterScope : scope, bsc ? 'let' : 'var', !bsc ? false : true);
      }
    } else this.assignTo(init, v, iterScope);
  }

  /** The values a for-of (or the keys a for-in) loop visits, when they are known. */
  private loopItems(s: ts.ForOfStatement | ts.ForInStatement, iter: V): V[] | undefined {
    if (isForOfStatement(s)) {
      if (iter.k === 'arr' && !iter.open && !iter.items.some((x) => x.k === 'unknown' && x.reason === SPREAD)) return iter.items;
      if (iter.k === 'str') return [...iter.v].map((c) => str(c));
      return undefined;
    }
    if (iter.k === 'obj' && !iter.open) return [...iter.props.keys()].map((k) => str(k));
    if (iter.k === 'arr' && !iter.open) return iter.items.map((_, i) => str(String(i)));
    return undefined;
  }

  // ------------------------------------------------------------------------------------------------------
  // Expressions

  eval(node: ts.Expression, scope: Scope): V {
    return this.work.nested(
      LIMITS.evalDepth,
      () => unknown('The expression nests too deeply to analyze.'),
      () => this.evalInner(node, scope),
    );
  }

  private evalInner(n0: ts.Expression, scope: Scope): V {
    const n = stripOuter(n0);
    switch (n.kind) {
      case SK.NumericLiteral:
        return num(Number((n as ts.NumericLiteral).text), n);
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
        return str((n as ts.StringLiteral).text, n);
      case SK.TemplateExpression: {
        const t = n as ts.TemplateExpression;
        let out = t.head.text;
        for (const sp of t.templateSpans) {
          const v = this.eval(sp.expression, scope);
          if (!isPrimitive(v)) return UNKNOWN;
          out += String(this.prim(v)) + sp.literal.text;
        }
        return str(out, n);
      }
      case SK.TrueKeyword:
        return bool(true, n);
      case SK.FalseKeyword:
        return bool(false, n);
      case SK.NullKeyword:
        return NULL;
      case SK.Identifier:
        return this.lookupIdentifier(n as ts.Identifier, scope);
      case SK.ThisKeyword: {
        const b = scope.lookup('this');
        return b && b.v !== TDZ ? b.v : UNKNOWN;
      }
      case SK.ObjectLiteralExpression:
        return this.evalObject(n as ts.ObjectLiteralExpression, scope);
      case SK.ArrayLiteralExpression:
        return this.evalArray(n as ts.ArrayLiteralExpression, scope);
      case SK.PropertyAccessExpression: {
        const pa = n as ts.PropertyAccessExpression;
        const o = this.eval(pa.expression, scope);
        if (pa.questionDotToken && nullish(o) === true) return UNDEF;
        return this.getProp(o, pa.name.text, pa);
      }
      case SK.ElementAccessExpression: {
        const ea = n as ts.ElementAccessExpression;
        const o = this.eval(ea.expression, scope);
        const k = this.eval(ea.argumentExpression, scope);
        if (ea.questionDotToken && nullish(o) === true) return UNDEF;
        if (k.k === 'num' && (o.k === 'arr' || o.k === 'str')) return this.getIndex(o, k.v);
        if (k.k === 'str' || k.k === 'num') return this.getProp(o, String(k.v), ea);
        return UNKNOWN;
      }
      case SK.CallExpression:
        return this.evalCall(n as ts.CallExpression, scope);
      case SK.NewExpression:
        return this.evalNew(n as ts.NewExpression, scope);
      case SK.ArrowFunction:
      case SK.FunctionExpression:
        return this.makeFn(n as ts.FunctionLikeDeclaration, scope);
      case SK.ClassExpression:
        return this.evalClass(n as ts.ClassExpression, scope);
      case SK.ConditionalExpression: {
        const c = n as ts.ConditionalExpression;
        const t = truthy(this.eval(c.condition, scope));
        if (t === true) return this.eval(c.whenTrue, scope);
        if (t === false) return this.eval(c.whenFalse, scope);
        let a: V = UNKNOWN;
        let b: V = UNKNOWN;
        this.branches(this.line(c), [
          () => {
            a = this.eval(c.whenTrue, scope);
            return undefined;
          },
          () => {
            b = this.eval(c.whenFalse, scope);
            return undefined;
          },
        ]);
        return joinValues([a, b]);
      }
      case SK.BinaryExpression:
        return this.evalBinary(n as ts.BinaryExpression, scope);
      case SK.PrefixUnaryExpression:
        return this.evalPrefix(n as ts.PrefixUnaryExpression, scope);
      case SK.PostfixUnaryExpression: {
        const p = n as ts.PostfixUnaryExpression;
        const old = this.eval(p.operand, scope);
        const nv = old.k === 'num' ? num(old.v + (p.operator === SK.PlusPlusToken ? 1 : -1)) : UNKNOWN;
        this.assignTo(p.operand, nv, scope);
        return old.k === 'num' ? old : UNKNOWN;
      }
      case SK.TypeOfExpression: {
        const v = this.eval((n as ts.TypeOfExpression).expression, scope);
        const t = this.typeOf(v);
        return t ? str(t) : UNKNOWN;
      }
      case SK.VoidExpression:
        this.eval((n as ts.VoidExpression).expression, scope);
        return UNDEF;
      case SK.AwaitExpression:
        return this.eval((n as ts.AwaitExpression).expression, scope);
      case SK.DeleteExpression:
        return UNKNOWN;
      case SK.RegularExpressionLiteral:
        return newObj();
      default:
        return UNKNOWN;
    }
  }

  private typeOf(v: V): string | undefined {
    switch (v.k) {
      case 'num':
        return 'number';
      case 'str':
        return 'string';
      case 'bool':
        return 'boolean';
      case 'undef':
        return 'undefined';
      case 'null':
      case 'obj':
      case 'arr':
        return 'object';
      case 'fn':
      case 'class':
        return 'function';
      default:
        return undefined;
    }
  }

  private prim(v: V): number | string | boolean | null | undefined {
    switch (v.k) {
      case 'num':
      case 'str':
      case 'bool':
        return v.v;
      case 'null':
        return null;
      default:
        return undefined;
    }
  }

  private lookupIdentifier(id: ts.Identifier, scope: Scope): V {
    const name = id.text;
    const b = scope.lookup(name);
    if (b) {
      if (b.v === TDZ) return unknown(`${name} is used before its declaration.`);
      return b.v;
    }
    switch (name) {
      case 'undefined':
        return UNDEF;
      case 'NaN':
        return num(NaN);
      case 'Infinity':
        return num(Infinity);
      case 'tf':
        // A global `tf` (script tag) when nothing in the file declares it.
        return { k: 'ns', path: [], node: id };
      case 'require':
        return { k: 'builtin', name: 'require' };
    }
    if (GLOBAL_NAMES.has(name)) return { k: 'global', name };
    if (GLOBAL_OBJECTS.has(name)) return { k: 'global', name: 'window' };
    return UNKNOWN;
  }

  private propKey(name: ts.PropertyName, scope: Scope): string | undefined {
    if (isIdentifier(name) || isPrivateIdentifier(name) || isStringLiteral(name) || isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (isNumericLiteral(name)) return String(Number(name.text));
    if (isComputedPropertyName(name)) {
      const v = this.eval(name.expression, scope);
      if (v.k === 'str') return v.v;
      if (v.k === 'num') return String(v.v);
    }
    return undefined;
  }

  private evalObject(node: ts.ObjectLiteralExpression, scope: Scope): V {
    const o = newObj(node);
    for (const el of node.properties) {
      if (isPropertyAssignment(el)) {
        const key = this.propKey(el.name, scope);
        const v = this.eval(el.initializer, scope);
        if (key === undefined) o.open = true;
        else o.props.set(key, { v, el });
      } else if (isShorthandPropertyAssignment(el)) {
        o.props.set(el.name.text, { v: this.lookupIdentifier(el.name, scope), el });
      } else if (isSpreadAssignment(el)) {
        const s = this.eval(el.expression, scope);
        if (s.k === 'obj') {
          for (const [k, p] of s.props) o.props.set(k, p);
          if (s.open) this.openObject(o);
        } else if (s.k === 'arr') {
          s.items.forEach((it, i) => o.props.set(String(i), { v: it }));
          if (s.open) this.openObject(o);
        } else if (s.k !== 'undef' && s.k !== 'null' && !isPrimitive(s)) this.openObject(o);
      } else if (isMethodDeclaration(el)) {
        const key = this.propKey(el.name, scope);
        if (key !== undefined && el.body) o.props.set(key, { v: this.makeFn(el, scope, o), el });
      } else if (isGetAccessorDeclaration(el) || isSetAccessorDeclaration(el)) {
        const key = this.propKey(el.name, scope);
        if (key !== undefined) o.props.set(key, { v: UNKNOWN, el });
      }
    }
    return o;
  }

  /** An unknown spread: later properties are known, earlier ones may have been overridden. */
  private openObject(o: ObjV): void {
    o.open = true;
    for (const [k, p] of o.props) o.props.set(k, { v: UNKNOWN, el: p.el });
  }

  private evalArray(node: ts.ArrayLiteralExpression, scope: Scope): V {
    const a = newArr([], false, node);
    for (const el of node.elements) {
      if (isSpreadElement(el)) {
        const s = this.eval(el.expression, scope);
        if (s.k === 'arr') {
          a.items.push(...s.items);
          if (s.open) a.open = true;
          if (s.notes) (a.notes ??= []).push(...s.notes);
        } else if (s.k === 'str') a.items.push(...[...s.v].map((c) => str(c)));
        else {
          a.items.push(unknown(SPREAD));
          a.open = true;
        }
      } else if (isOmittedExpression(el)) a.items.push(UNDEF);
      else a.items.push(this.eval(el, scope));
    }
    return a;
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
        return this.globalProp(v.name, key, node);
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

  private globalProp(name: string, key: string, node?: ts.Node): V {
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

  private evalBinary(b: ts.BinaryExpression, scope: Scope): V {
    const op = b.operatorToken.kind;
    const K = SK;
    if (op === K.EqualsToken) {
      const v = this.eval(b.right, scope);
      this.assignTo(b.left, v, scope);
      const l = stripOuter(b.left);
      if (isIdentifier(l)) this.nameValue(v, l);
      return v;
    }
    if (op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken) {
      const l = this.eval(b.left, scope);
      const decide = op === K.QuestionQuestionToken ? (nullish(l) === undefined ? undefined : !nullish(l)) : truthy(l);
      // decide: true = left decides (for ||, ??) / evaluate right (for &&)
      if (op === K.AmpersandAmpersandToken) {
        if (decide === false) return l;
        if (decide === true) return this.eval(b.right, scope);
      } else {
        if (decide === true) return l;
        if (decide === false) return this.eval(b.right, scope);
      }
      // Left operand unknown: the right one may or may not run.
      this.branches(this.line(b), [
        () => {
          this.eval(b.right, scope);
          return undefined;
        },
        () => undefined,
      ]);
      return UNKNOWN;
    }
    if (op >= K.FirstCompoundAssignment && op <= K.LastCompoundAssignment) {
      const cur = this.eval(b.left, scope);
      let v: V;
      if (op === K.QuestionQuestionEqualsToken || op === K.BarBarEqualsToken || op === K.AmpersandAmpersandEqualsToken) {
        const t = op === K.QuestionQuestionEqualsToken ? (nullish(cur) === undefined ? undefined : !nullish(cur)) : truthy(cur);
        const keep = op === K.AmpersandAmpersandEqualsToken ? t === false : t === true;
        const replace = op === K.AmpersandAmpersandEqualsToken ? t === true : t === false;
        if (keep) return cur;
        v = replace ? this.eval(b.right, scope) : UNKNOWN;
      } else {
        const r = this.eval(b.right, scope);
        v = this.arith(this.compoundToBinary(op), cur, r);
      }
      this.assignTo(b.left, v, scope);
      return v;
    }
    if (op === K.CommaToken) {
      this.eval(b.left, scope);
      return this.eval(b.right, scope);
    }
    const l = this.eval(b.left, scope);
    const r = this.eval(b.right, scope);
    return this.arith(op, l, r);
  }

  private compoundToBinary(op: ts.SyntaxKind): ts.SyntaxKind {
    const K = SK;
    const m: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
      [K.PlusEqualsToken]: K.PlusToken,
      [K.MinusEqualsToken]: K.MinusToken,
      [K.AsteriskEqualsToken]: K.AsteriskToken,
      [K.SlashEqualsToken]: K.SlashToken,
      [K.PercentEqualsToken]: K.PercentToken,
      [K.AsteriskAsteriskEqualsToken]: K.AsteriskAsteriskToken,
      [K.LessThanLessThanEqualsToken]: K.LessThanLessThanToken,
      [K.GreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanToken,
      [K.GreaterThanGreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanGreaterThanToken,
      [K.AmpersandEqualsToken]: K.AmpersandToken,
      [K.BarEqualsToken]: K.BarToken,
      [K.CaretEqualsToken]: K.CaretToken,
    };
    return m[op] ?? K.Unknown;
  }

  private arith(op: ts.SyntaxKind, l: V, r: V): V {
    const K = SK;
    if (op === K.EqualsEqualsEqualsToken || op === K.ExclamationEqualsEqualsToken) {
      const eq = strictEq(l, r);
      return eq === undefined ? UNKNOWN : bool(op === K.EqualsEqualsEqualsToken ? eq : !eq);
    }
    if (op === K.InKeyword) {
      if (r.k === 'obj' && !r.open && !r.cls && (l.k === 'str' || l.k === 'num')) return bool(r.props.has(String(l.v)));
      return UNKNOWN;
    }
    if (!isPrimitive(l) || !isPrimitive(r)) {
      if ((op === K.EqualsEqualsToken || op === K.ExclamationEqualsToken) && l.k !== 'unknown' && r.k !== 'unknown') {
        // object == null / undefined
        const ln = nullish(l);
        const rn = nullish(r);
        if (ln !== undefined && rn !== undefined && (ln || rn)) {
          const eq = ln && rn;
          return bool(op === K.EqualsEqualsToken ? eq : !eq);
        }
        const eq = strictEq(l, r);
        if (eq !== undefined) return bool(op === K.EqualsEqualsToken ? eq : !eq);
      }
      return UNKNOWN;
    }
    const a = this.prim(l) as never;
    const b = this.prim(r) as never;
    let out: unknown;
    switch (op) {
      case K.PlusToken:
        out = (a as number) + (b as number);
        break;
      case K.MinusToken:
        out = (a as number) - (b as number);
        break;
      case K.AsteriskToken:
        out = (a as number) * (b as number);
        break;
      case K.SlashToken:
        out = (a as number) / (b as number);
        break;
      case K.PercentToken:
        out = (a as number) % (b as number);
        break;
      case K.AsteriskAsteriskToken:
        out = (a as number) ** (b as number);
        break;
      case K.EqualsEqualsToken:
        out = a == b;
        break;
      case K.ExclamationEqualsToken:
        out = a != b;
        break;
      case K.LessThanToken:
        out = a < b;
        break;
      case K.GreaterThanToken:
        out = a > b;
        break;
      case K.LessThanEqualsToken:
        out = a <= b;
        break;
      case K.GreaterThanEqualsToken:
        out = a >= b;
        break;
      case K.LessThanLessThanToken:
        out = (a as number) << (b as number);
        break;
      case K.GreaterThanGreaterThanToken:
        out = (a as number) >> (b as number);
        break;
      case K.GreaterThanGreaterThanGreaterThanToken:
        out = (a as number) >>> (b as number);
        break;
      case K.AmpersandToken:
        out = (a as number) & (b as number);
        break;
      case K.BarToken:
        out = (a as number) | (b as number);
        break;
      case K.CaretToken:
        out = (a as number) ^ (b as number);
        break;
      default:
        return UNKNOWN;
    }
    return this.fromJs(out);
  }

  private fromJs(x: unknown): V {
    if (typeof x === 'number') return num(x);
    if (typeof x === 'string') return str(x);
    if (typeof x === 'boolean') return bool(x);
    if (x === null) return NULL;
    if (x === undefined) return UNDEF;
    return UNKNOWN;
  }

  private evalPrefix(p: ts.PrefixUnaryExpression, scope: Scope): V {
    const K = SK;
    if (p.operator === K.PlusPlusToken || p.operator === K.MinusMinusToken) {
      const old = this.eval(p.operand, scope);
      const nv = old.k === 'num' ? num(old.v + (p.operator === K.PlusPlusToken ? 1 : -1)) : UNKNOWN;
      this.assignTo(p.operand, nv, scope);
      return nv;
    }
    const v = this.eval(p.operand, scope);
    switch (p.operator) {
      case K.ExclamationToken: {
        const t = truthy(v);
        return t === undefined ? UNKNOWN : bool(!t);
      }
      case K.MinusToken:
        return isPrimitive(v) ? { ...num(-(this.prim(v) as number)), node: p } : UNKNOWN;
      case K.PlusToken:
        return isPrimitive(v) ? num(+(this.prim(v) as number)) : UNKNOWN;
      case K.TildeToken:
        return isPrimitive(v) ? num(~(this.prim(v) as number)) : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private assignTo(target: ts.Node, v: V, scope: Scope): void {
    const t = isExpression(target) ? stripOuter(target) : target;
    if (isIdentifier(t)) {
      const b = scope.lookup(t.text);
      if (b) this.setBinding(b, v);
      else this.moduleScope.declare(t.text, v, 'var', t);
      return;
    }
    if (isPropertyAccessExpression(t) || isElementAccessExpression(t)) {
      const o = this.eval(t.expression, scope);
      let key: string | undefined;
      if (isPropertyAccessExpression(t)) key = t.name.text;
      else {
        const k = this.eval(t.argumentExpression, scope);
        if (k.k === 'str' || k.k === 'num') key = String(k.v);
      }
      if (o.k === 'obj') {
        if (key === undefined) o.open = true;
        else this.setProp(o, key, { v });
      } else if (o.k === 'arr' && key !== undefined) {
        if (/^\d+$/.test(key)) {
          const i = Number(key);
          if (i < LIMITS.layersPerModel) {
            while (o.items.length < i) o.items.push(UNDEF);
            o.items[i] = v;
          } else o.open = true;
        } else if (key === 'length' && v.k === 'num') o.items.length = Math.min(o.items.length, v.v);
        this.noteArrayMutation(o);
      }
      return;
    }
    if (isArrayLiteralExpression(t)) {
      t.elements.forEach((el, i) => {
        if (!isOmittedExpression(el)) this.assignTo(isSpreadElement(el) ? el.expression : el, isSpreadElement(el) ? UNKNOWN : this.getIndex(v, i), scope);
      });
      return;
    }
    if (isObjectLiteralExpression(t)) {
      for (const el of t.properties) {
        if (isShorthandPropertyAssignment(el)) this.assignTo(el.name, this.getProp(v, el.name.text), scope);
        else if (isPropertyAssignment(el)) {
          const key = this.propKey(el.name, scope);
          this.assignTo(el.initializer, key === undefined ? UNKNOWN : this.getProp(v, key), scope);
        }
      }
      return;
    }
    if (isVariableDeclarationList(t)) {
      const d = t.declarations[0];
      if (d) this.bindPattern(d.name, v, scope, t.flags & NF.BlockScoped ? 'let' : 'var', true);
    }
  }

  private noteArrayMutation(a: ArrV): void {
    if (this.uncertain.length) {
      const line = this.uncertain[this.uncertain.length - 1];
      const note = `Layers were added under a condition or loop at line ${line} that could not be evaluated; they are included.`;
      if (!(a.notes ??= []).includes(note)) a.notes.push(note);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Calls

  private evalArgs(args: ts.NodeArray<ts.Expression> | undefined, scope: Scope): V[] {
    const out: V[] = [];
    if (!args) return out;
    for (const a of args) {
      if (isSpreadElement(a)) {
        const s = this.eval(a.expression, scope);
        if (s.k === 'arr' && !s.open) out.push(...s.items);
        else out.push(unknown(SPREAD));
      } else out.push(this.eval(a, scope));
    }
    return out;
  }

  private evalCall(node: ts.CallExpression, scope: Scope): V {
    const callee = stripOuter(node.expression);
    if (callee.kind === SK.ImportKeyword) {
      const a = node.arguments[0] ? this.eval(node.arguments[0], scope) : UNKNOWN;
      const path = a.k === 'str' ? tfjsModulePath(a.v) : undefined;
      return path ? { k: 'ns', path, node } : UNKNOWN;
    }
    if (callee.kind === SK.SuperKeyword) {
      const args = this.evalArgs(node.arguments, scope);
      const cls = this.ctorClass[this.ctorClass.length - 1];
      const thisB = scope.lookup('this');
      if (cls && cls.base && cls.base.k === 'class' && thisB && thisB.v !== TDZ && thisB.v.k === 'obj') this.construct(cls.base, thisB.v, args, node);
      return UNDEF;
    }
    if (isPropertyAccessExpression(callee) || isElementAccessExpression(callee)) {
      const recv = this.eval(callee.expression, scope);
      if (callee.questionDotToken && nullish(recv) === true) return UNDEF;
      let key: string | undefined;
      let nameNode: ts.Node | undefined;
      if (isPropertyAccessExpression(callee)) {
        key = callee.name.text;
        nameNode = callee.name;
      } else {
        const k = this.eval(callee.argumentExpression, scope);
        if (k.k === 'str' || k.k === 'num') key = String(k.v);
        nameNode = callee.argumentExpression;
      }
      const args = this.evalArgs(node.arguments, scope);
      if (key === undefined) return this.unknownCall(node, args);
      return this.callMember(recv, key, args, node, nameNode);
    }
    const f = this.eval(callee, scope);
    const args = this.evalArgs(node.arguments, scope);
    return this.callValue(f, args, undefined, node, callee);
  }

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

  private callMember(recv: V, key: string, args: V[], node: ts.Node, nameNode: ts.Node | undefined): V {
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

  private callValue(f: V, args: V[], thisV: V | undefined, node: ts.Node, calleeNode: ts.Node | undefined): V {
    switch (f.k) {
      case 'fn':
        return this.callFn(f, args, f.thisV ?? thisV, node, false);
      case 'builtin':
        return this.callBuiltin(f, args, node);
      case 'ns':
        return callNs(this, f.path, args, node, calleeNode && isPropertyAccessExpression(calleeNode) ? calleeNode.name : calleeNode, false);
      case 'global':
        return this.callGlobal(f.name, args);
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
          this.bindPattern(p.name, newArr(open ? [] : rest, open), scope, 'param', true);
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
        this.bindPattern(p.name, a, scope, 'param', true);
      });
      let ret: V;
      if (isBlock(decl.body)) {
        this.hoistVars(decl.body.statements, scope);
        const c = this.execBlock(decl.body.statements, scope);
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

  private evalClass(decl: ts.ClassLikeDeclaration, scope: Scope): ClassV {
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

  private instantiate(cls: ClassV, args: V[], node: ts.Node, standalone: boolean): V {
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

  private construct(cls: ClassV, obj: ObjV, args: V[], node: ts.Node, standalone = false): void {
    if (this.callDepth >= LIMITS.callDepth) return;
    const ctor = cls.decl.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && !!m.body);
    const initFields = () => {
      const fs = new Scope(cls.env, true);
      fs.declare('this', obj, 'const');
      for (const m of cls.decl.members) {
        if (isPropertyDeclaration(m) && m.initializer && !(getCombinedModifierFlags(m) & MF.Static)) {
          const key = this.propKey(m.name, fs);
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

  private evalNew(node: ts.NewExpression, scope: Scope): V {
    const callee = stripOuter(node.expression);
    const f = this.eval(callee, scope);
    const args = this.evalArgs(node.arguments, scope);
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
        return f.name === 'Array' ? this.callGlobal('Array', args) : newObj();
      default:
        return UNKNOWN;
    }
  }

  /** Global functions called directly: Array(n), Number(x), String(x), Boolean(x), parseInt, parseFloat. */
  private callGlobal(name: string, args: V[]): V {
    const a = args[0];
    switch (name) {
      case 'Array':
        if (args.length === 1 && a.k === 'num') {
          if (!Number.isInteger(a.v) || a.v < 0) return UNKNOWN;
          return a.v <= LIMITS.layersPerModel ? newArr(Array.from({ length: a.v }, () => UNDEF)) : newArr([], true);
        }
        return newArr([...args]);
      case 'Number':
        return a && isPrimitive(a) ? num(Number(this.prim(a))) : UNKNOWN;
      case 'String':
        return a && isPrimitive(a) ? str(String(this.prim(a))) : UNKNOWN;
      case 'Boolean': {
        const t = a ? truthy(a) : false;
        return t === undefined ? UNKNOWN : bool(t);
      }
      case 'parseInt':
        return a && isPrimitive(a) ? num(parseInt(String(this.prim(a)), 10)) : UNKNOWN;
      case 'parseFloat':
        return a && isPrimitive(a) ? num(parseFloat(String(this.prim(a)))) : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Built-ins (Math, Object.assign, array methods...)

  private callBuiltin(f: BuiltinV, args: V[], node: ts.Node): V {
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
        return n0 && isPrimitive(n0) ? num(parseInt(String(this.prim(n0)), 10)) : UNKNOWN;
      case 'Number.parseFloat':
        return n0 && isPrimitive(n0) ? num(parseFloat(String(this.prim(n0)))) : UNKNOWN;
      case 'Number.isInteger':
        return n0 && n0.k === 'num' ? bool(Number.isInteger(n0.v)) : UNKNOWN;
      case 'Object.assign': {
        if (!n0 || n0.k !== 'obj') return UNKNOWN;
        for (const s of args.slice(1)) {
          if (s.k === 'obj') {
            for (const [k, p] of s.props) this.setProp(n0, k, p);
            if (s.open) this.openObject(n0);
          } else if (s.k !== 'undef' && s.k !== 'null') this.openObject(n0);
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
        if (!items) return this.uncertainCallbacks(args[1], node);
        return this.mapItems(items, args[1], node, n0.k === 'obj' ? (n0.props.get('length')?.v as { v: number }).v : items.length);
      }
      case 'JSON.parse':
        return UNKNOWN;
      case 'fn.call':
        return f.self && f.self.k === 'fn' ? this.callFn(f.self, args.slice(1), args[0], node, false) : UNKNOWN;
      case 'fn.apply': {
        if (!f.self || f.self.k !== 'fn') return UNKNOWN;
        const a = args[1];
        return this.callFn(f.self, a && a.k === 'arr' && !a.open ? a.items : [], args[0], node, false);
      }
      case 'fn.bind':
        return f.self && f.self.k === 'fn' ? { ...f.self, thisV: args[0] } : UNKNOWN;
      case 'layer.apply':
        return f.self && f.self.k === 'layer' ? applyLayer(this, f.self.rec, n0, node) : UNKNOWN;
      case 'model.add':
        if (f.self && f.self.k === 'model') modelAdd(this, f.self.m, n0 ?? UNDEF, node);
        return UNDEF;
      case 'model.apply':
        return applyModel(this, n0, node);
    }
    if (name.startsWith('arr.') && f.self && f.self.k === 'arr') return this.arrayMethod(f.self, name.slice(4), args, node);
    if (name.startsWith('str.') && f.self && f.self.k === 'str') return this.stringMethod(f.self.v, name.slice(4), args);
    if (name.startsWith('tensor.') && f.self) return coreMethod(this, f.self, name.slice(7), args, node, undefined);
    return UNKNOWN;
  }

  /** Callbacks over an unknown collection: run once with unknown arguments, under uncertainty. */
  private uncertainCallbacks(cb: V | undefined, node: ts.Node): V {
    if (cb && cb.k === 'fn') {
      const seq0 = this.mutationSeq;
      this.branches(this.line(node), [
        () => {
          this.callFn(cb, [UNKNOWN, UNKNOWN, UNKNOWN], UNDEF, node, false);
          return undefined;
        },
        () => undefined,
      ]);
      this.capNote(seq0, `The callback at line ${this.line(node)} runs over a collection that could not be resolved; it was analyzed once.`);
    }
    return UNKNOWN;
  }

  private mapItems(items: V[], cb: V | undefined, node: ts.Node, total: number): V {
    const seq0 = this.mutationSeq;
    const out: V[] = [];
    const n = Math.min(items.length, LIMITS.loopIterations);
    for (let i = 0; i < n; i++) out.push(cb && cb.k === 'fn' ? this.callFn(cb, [items[i], num(i)], UNDEF, node, false) : cb ? UNKNOWN : items[i]);
    const capped = total > LIMITS.loopIterations;
    if (capped) this.capNote(seq0, `The callback at line ${this.line(node)} was run for the first ${LIMITS.loopIterations.toLocaleString('en-US')} elements only.`);
    const a = newArr(out, capped);
    if (capped) {
      const note = `The array built at line ${this.line(node)} was cut to its first ${LIMITS.loopIterations.toLocaleString('en-US')} elements.`;
      a.notes = [note];
    }
    return a;
  }

  private arrayMethod(a: ArrV, m: string, args: V[], node: ts.Node): V {
    const cb = args[0];
    const known = !a.open && !a.items.some((x) => x.k === 'unknown' && x.reason === SPREAD);
    switch (m) {
      case 'push':
      case 'unshift': {
        const items = args.filter((x) => !(x.k === 'unknown' && x.reason === SPREAD));
        if (items.length !== args.length) a.open = true;
        if (a.items.length + items.length > LIMITS.layersPerModel) {
          a.open = true;
          const note = `The array built at line ${this.line(node)} grew beyond ${LIMITS.layersPerModel.toLocaleString('en-US')} elements; only the first ones are described.`;
          if (!(a.notes ??= []).includes(note)) a.notes.push(note);
          return UNKNOWN;
        }
        if (m === 'push') a.items.push(...items);
        else a.items.unshift(...items);
        this.noteArrayMutation(a);
        return a.open ? UNKNOWN : num(a.items.length);
      }
      case 'pop':
        this.noteArrayMutation(a);
        return known ? a.items.pop() ?? UNDEF : UNKNOWN;
      case 'shift':
        this.noteArrayMutation(a);
        return known ? a.items.shift() ?? UNDEF : UNKNOWN;
      case 'forEach':
      case 'map': {
        if (!known) return this.uncertainCallbacks(cb, node);
        const r = this.mapItems(a.items, cb, node, a.items.length);
        if (a.notes) (r as ArrV).notes = [...((r as ArrV).notes ?? []), ...a.notes];
        return m === 'map' ? r : UNDEF;
      }
      case 'filter': {
        if (!known || !cb || cb.k !== 'fn') return this.uncertainCallbacks(cb, node);
        const out: V[] = [];
        for (let i = 0; i < Math.min(a.items.length, LIMITS.loopIterations); i++) {
          const t = truthy(this.callFn(cb, [a.items[i], num(i)], UNDEF, node, false));
          if (t === undefined) return UNKNOWN;
          if (t) out.push(a.items[i]);
        }
        return newArr(out, a.items.length > LIMITS.loopIterations);
      }
      case 'reduce': {
        if (!known || !cb || cb.k !== 'fn') return this.uncertainCallbacks(cb, node);
        let acc: V;
        let start = 0;
        if (args.length >= 2) acc = args[1];
        else {
          if (!a.items.length) return UNKNOWN;
          acc = a.items[0];
          start = 1;
        }
        const seq0 = this.mutationSeq;
        for (let i = start; i < a.items.length; i++) {
          if (i >= LIMITS.loopIterations) {
            this.capNote(seq0, `The reduce at line ${this.line(node)} was run for the first ${LIMITS.loopIterations.toLocaleString('en-US')} elements only.`);
            return UNKNOWN;
          }
          acc = this.callFn(cb, [acc, a.items[i], num(i)], UNDEF, node, false);
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
        return str(a.items.map((x) => String(this.prim(x) ?? '')).join(sep));
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

  private stringMethod(s: string, m: string, args: V[]): V {
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
        return args.every(isPrimitive) ? str(s + args.map((x) => String(this.prim(x))).join('')) : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }
}
