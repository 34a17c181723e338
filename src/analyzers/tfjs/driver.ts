/**
 * The driver of the tfjs interpreter: imports of the tfjs packages, and the functions the file never calls, run
 * stand-alone with a budget when they can reach TensorFlow.js. Functions of the interpreter (interpreter.ts),
 * which they take as `ip`.
 */
import { ts } from 'ts-morph';
import { tfjsModulePath } from './tables';
import { type FnV, type V, unknown } from './values';
import { Abort, BudgetExceeded } from '../shared/work-budget';
import { type Interpreter, type FnReg, LIMITS, TF_PARAM_NAMES } from './interpreter';

const { isClassLike, isConstructorDeclaration, isExternalModuleReference, isFunctionLike, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isNamedImports, isNamespaceImport, isPrivateIdentifier, isPropertyAssignment, isPropertyDeclaration, isStringLiteral, isVariableDeclaration, SyntaxKind: SK } = ts;

/**
 * Functions never called by the analyzed code run once with unknown arguments (defaults where given).
 * Functions that the file calls by name somewhere run last, so that their callers (which pass real
 * arguments) go first.
 */
export function runUncalled(ip: Interpreter): void {
  let called: Set<string> | undefined;
  for (let phase = 0; phase < 2; phase++) {
    for (const reg of ip.registry.values()) {
      if (reg.called) continue;
      const decl = reg.decl;
      const name = regName(ip, reg);
      if (phase === 0) {
        called ??= calledNames(ip);
        if (name && called.has(name)) continue;
      }
      reg.called = true;
      if (!isRelevant(ip, decl)) continue;
      try {
        if ((isConstructorDeclaration(decl) || isClassLike(decl)) && reg.cls) {
          if (!reg.cls.instantiated) ip.instantiate(reg.cls, [], decl, true);
          continue;
        }
        const seq0 = ip.mutationSeq;
        const label = name ?? `the function at line ${ip.line(decl)}`;
        try {
          ip.work.standalone(LIMITS.stepsPerFunction, () => {
            const thisV = reg.thisProvider?.();
            const fn: FnV = reg.fn ?? { k: 'fn', decl, env: reg.env, thisV };
            ip.standalone.push({ fnName: label, usedDefaults: false });
            try {
              ip.callFn(fn, [], thisV ?? fn.thisV, undefined, true);
            } finally {
              ip.standalone.pop();
            }
          });
        } catch (e) {
          if (!(e instanceof BudgetExceeded)) throw e;
          ip.capNote(seq0, `The analysis of ${label} stopped after ${LIMITS.stepsPerFunction.toLocaleString('en-US')} steps; the model may be incomplete.`);
        }
      } catch (e) {
        if (e instanceof Abort) throw e;
        ip.internalError(e, decl);
      }
    }
  }
}

/**
 * Whether a function (or class) can reach TensorFlow.js: its code mentions a tfjs binding, `tf`, the
 * package name, or a declaration that does (fixpoint over names). Functions that cannot are not run
 * stand-alone: running all of a large non-model file's code would only cost time.
 */
export function isRelevant(ip: Interpreter, decl: ts.Node): boolean {
  ip.relevant ??= computeRelevance(ip);
  if (ip.relevant.has(decl)) return true;
  const ctorOf = isConstructorDeclaration(decl) ? decl.parent : undefined;
  return !!ctorOf && ip.relevant.has(ctorOf);
}

export function computeRelevance(ip: Interpreter): Set<ts.Node> {
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
  const seeds = new Set<string>([...TF_PARAM_NAMES, 'window', 'globalThis', 'self', ...ip.nsBindings.map((b) => b.name)]);
  const called = new Set<string>();
  // Iterative walk with parallel stacks (files can be large and deep).
  const nodes: ts.Node[] = [ip.sf];
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
    const names = inFnHere && k === SK.VariableDeclaration ? undefined : ownerNames(ip, n);
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
  ip.called = called;
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
export function ownerNames(ip: Interpreter, n: ts.Node): string[] | undefined {
  if (isFunctionLike(n) || isClassLike(n)) {
    const nm = (n as ts.NamedDeclaration).name;
    const own = nm && (isIdentifier(nm) || isStringLiteral(nm) || isPrivateIdentifier(nm)) ? [nm.text] : [];
    const p = n.parent;
    if (p && isVariableDeclaration(p) && isIdentifier(p.name)) own.push(p.name.text);
    if (p && (isPropertyAssignment(p) || isPropertyDeclaration(p)) && isIdentifier(p.name)) own.push(p.name.text);
    return own;
  }
  if (isVariableDeclaration(n)) return ip.boundNames(n.name);
  if (isPropertyDeclaration(n) && isIdentifier(n.name)) return [n.name.text];
  return undefined;
}

export function regName(ip: Interpreter, reg: FnReg): string | undefined {
  const d = reg.decl as ts.Node;
  if (isClassLike(d)) return d.name?.text;
  const n = (d as ts.FunctionLikeDeclaration).name;
  if (n && (isIdentifier(n) || isStringLiteral(n))) return n.text;
  return ip.fnNameFromContext(d);
}

/** Names used as callees (`f(...)`, `x.f(...)`, `new F(...)`) anywhere in the file. */
export function calledNames(ip: Interpreter): Set<string> {
  ip.relevant ??= computeRelevance(ip);
  return ip.called ?? new Set();
}

export function hoistImports(ip: Interpreter, stmts: ts.NodeArray<ts.Statement>): void {
  for (const s of stmts) {
    if (isImportDeclaration(s) && isStringLiteral(s.moduleSpecifier)) {
      const path = tfjsModulePath(s.moduleSpecifier.text);
      const clause = s.importClause;
      if (!clause) continue;
      if (clause.name) bindImport(ip, clause.name.text, path ? [...path] : undefined, clause.name);
      const nb = clause.namedBindings;
      if (nb && isNamespaceImport(nb)) bindImport(ip, nb.name.text, path ? [...path] : undefined, nb.name);
      else if (nb && isNamedImports(nb))
        for (const el of nb.elements) {
          const imported = (el.propertyName ?? el.name).text;
          bindImport(ip, el.name.text, path ? [...path, imported] : undefined, el.name);
        }
    } else if (isImportEqualsDeclaration(s)) {
      const ref = s.moduleReference;
      if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) {
        const path = tfjsModulePath(ref.expression.text);
        bindImport(ip, s.name.text, path, s.name);
      }
    }
  }
}

export function bindImport(ip: Interpreter, name: string, path: string[] | undefined, node: ts.Node): void {
  const v: V = path ? { k: 'ns', path, node } : unknown();
  ip.moduleScope.declare(name, v, 'import', node);
  if (path) ip.nsBindings.push({ name, path });
}
