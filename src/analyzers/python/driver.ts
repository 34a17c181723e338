/**
 * The driver of the Python interpreter: the names a file calls (one walk), the functions and classes the file
 * never calls (run stand-alone with a budget), and the trace of every model root through forward() / call().
 * Functions of the interpreter (interpreter.ts), which they take as `ip`.
 */
import { type Node, spanOf, textOf } from './syntax';
import { type ClassV, type V } from './values';
import type { Shape } from './values';
import * as keras from './keras-runtime';
import { Abort, BudgetExceeded } from '../shared/work-budget';
import { type Interp, type Root, LIMITS, noArgs, posArgs, runtimeOf } from './interpreter';


export function handleTopError(ip: Interp, e: unknown, node: Node): void {
  if (e instanceof Abort) {
    const msg = `The analysis stopped after ${LIMITS.steps.toLocaleString('en-US')} evaluation steps at line ${ip.line(node)}; only the definitions after it were analyzed.`;
    if (!ip.globalNotes.some((n) => n.startsWith('The analysis stopped'))) {
      ip.globalNotes.push(msg);
      ip.problem(msg, node);
    }
    return;
  }
  if (e instanceof BudgetExceeded) return;
  const what = e instanceof RangeError ? 'the code nests too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
  ip.problems.push({ message: `Part of the file was not analyzed (${what}).`, span: spanOf(node) });
}

/**
 * One walk over the file: the names it calls (and passes as arguments), where `yield` occurs directly in a
 * function (not in a nested function, class or lambda), which makes it a generator, and the quotes of the
 * one-line strings among its first 200,000 nodes.
 */
export function collectCalledNames(ip: Interp, script: Node): void {
  // Innermost enclosing function (its start), class or lambda (-1) of the current node.
  const scopes: number[] = [];
  let guard = 0;
  const text = ip.text;
  const called = ip.calledNames;
  const yields = ip.yields;
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
            if (raw.startsWith("'")) ip.quotes.single++;
            else if (raw.startsWith('"')) ip.quotes.double++;
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
export function runStandalone(ip: Interp): void {
  const budget = (f: () => void, node: Node) => {
    if (ip.work.spent) return;
    try {
      ip.work.standalone(LIMITS.stepsStandalone, f);
    } catch (e) {
      handleTopError(ip, e, node);
    }
  };
  for (const fn of ip.topFunctions) {
    if (ip.calledNames.has(fn.name) || fn.property) continue;
    budget(() => {
      const r = ip.callFunction(fn, noArgs(), undefined, fn.def);
      nameReturned(ip, r, fn.name);
    }, fn.def);
  }
  // Classes: outermost (last defined) first, so that parts built by a model are not models of their own.
  const candidates = [...ip.classes].reverse().filter((c) => c.module);
  // The classes (and their bases) some module is an instance of, kept up to date as modules are created.
  const used = new Set<V>();
  let scanned = 0;
  const isUsed = (cls: ClassV): boolean => {
    for (; scanned < ip.mods.length; scanned++) {
      const c = ip.mods[scanned].cls;
      if (c) addAncestors(ip, c, used);
    }
    return used.has(cls);
  };
  for (const pass of [0, 1]) {
    for (const cls of candidates) {
      if (isUsed(cls)) continue;
      if (pass === 0 && ip.calledNames.has(cls.name)) continue;
      budget(() => {
        const m = ip.instantiate(cls, noArgs(), cls.node);
        if (m.k === 'mod' && !m.name) m.name = cls.name;
      }, cls.node);
    }
  }
}

export function nameReturned(ip: Interp, v: V, name: string): void {
  if (v.k === 'mod' && !v.name) v.name = name;
  if (v.k === 'list') for (const x of v.items) if (x.k === 'mod' && !x.name) x.name = name;
}

/** `cls` and every class `inherits(cls, ·)` is true of, into `out`. */
export function addAncestors(ip: Interp, cls: ClassV, out: Set<V>): void {
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

export function traceRoots(ip: Interp): void {
  for (const m of ip.mods) {
    if (m.type === 'leaf' || m.type === 'list' || m.type === 'dict' || m.adopted || m.nested) continue;
    const root: Root = { mod: m, inputs: [], outputs: [], created: [], notes: [], traced: false };
    ip.roots.push(root);
  }
  // Tracing (the data flow of every model) has a budget of its own, even when construction used all of its.
  ip.work.extend(LIMITS.steps);
  for (const root of ip.roots) {
    if (ip.work.spent) break;
    ip.traceCreated = root.created;
    ip.currentNotes = root.notes;
    try {
      ip.work.standalone(LIMITS.stepsStandalone, () => traceRoot(ip, root));
    } catch (e) {
      handleTopError(ip, e, root.mod.call ?? root.mod.cls?.node ?? ip.tree.topNode);
    } finally {
      ip.traceCreated = undefined;
      ip.currentNotes = undefined;
    }
  }
}

export function traceRoot(ip: Interp, root: Root): void {
  const m = root.mod;
  root.traced = true;
  if (m.type === 'kfunc') {
    root.inputs = m.kin ?? [];
    root.outputs = m.kout ?? [];
    return;
  }
  const at = m.call ?? m.cls?.node ?? ip.tree.topNode;
  if (m.type === 'seq' || m.type === 'kseq') {
    const input = m.type === 'kseq' ? keras.sequentialInput(ip, m, at) : ip.newInput(at, {});
    root.inputs = [input];
    const out = ip.callModule(m, posArgs([{ k: 'tensor', node: input }]), at);
    root.outputs = ip.tensorsOf(out);
    return;
  }
  // A user module or subclassed model: call forward()/call() with symbolic inputs.
  const rt = runtimeOf(m);
  const method = ip.findMethod(m.cls, rt.forwardMethod);
  if (!method) {
    const note = rt.missingForwardNote(m);
    if (note) ip.note(note);
    return;
  }
  const params = ip.fnInfo(method.def).params.filter((p) => p.kind === 'normal');
  const args = noArgs();
  const shape: Shape = rt.traceInputShape(m);
  for (const p of params.slice(method.staticmethod ? 0 : 1)) {
    if (p.dflt || p.kwOnly) break;
    const input = ip.newInput(p.node, args.pos.length === 0 ? shape : {});
    root.inputs.push(input);
    args.pos.push({ k: 'tensor', node: input });
    args.posNodes.push(undefined);
  }
  const ret = ip.callFunction(method, args, m, method.def);
  root.outputs = ip.tensorsOf(ret);
}
