/**
 * The TensorFlow.js analyzer: parses a file with TypeScript's parser (raw AST, no type checker), runs the
 * interpreter over it and turns what it recorded into the framework-neutral model description.
 */
import { ts } from 'ts-morph';
import { type AnalysisResult, type InitializerRef, type LayerNode, type Model, type Span, computeLineStarts, lineColAt } from '../../core/model';
import type { WeightSlot } from '../../core/initializers';
import { Interpreter, LIMITS } from './interpreter';
import { copyFields, dropRepeats, layerCapNote, undecidedNote } from '../shared/model-builder';
import { slotField } from './layers';
import { type Inferred, type Shape, inferLayer } from './shapes';
import { type CoreNode, type GNode, type LayerRec, type ModelRec, type V, spanOf } from './values';

/** Per-node syntax the fixer needs. */
export interface NodeInfo {
  rec?: LayerRec;
  core?: CoreNode;
}

export interface InternalModel {
  model: Model;
  rec: ModelRec;
  nodes: NodeInfo[];
}

export interface Internal {
  text: string;
  sf: ts.SourceFile;
  /**
   * Set once an incremental re-parse has reused (and so moved) this tree's nodes: the tree no longer matches
   * `text`, and nothing may read it again.
   */
  stale?: boolean;
  result: AnalysisResult;
  models: InternalModel[];
  nsBindings: { name: string; path: string[] }[];
}

/** A cheap pre-check: does this file possibly use TensorFlow.js? (Generous; the analysis decides.) */
export function looksLikeTfjs(text: string): boolean {
  return text.includes('@tensorflow/tfjs') || /\btf\b/.test(text);
}

export function scriptKindFor(fileName: string): ts.ScriptKind {
  const f = fileName.toLowerCase();
  if (f.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (f.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (f.endsWith('.js') || f.endsWith('.mjs') || f.endsWith('.cjs')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const NEST_TRIGGER = 100;
const NEST_KEEP = 60;
const PLACEHOLDER = '__initlens_nested__';

/**
 * Replaces bracket groups nested deeper than the parser can take by a placeholder identifier (offsets and
 * line breaks kept), so that the rest of the file can still be analyzed. Returns the lines replaced.
 */
export function flattenDeepNesting(text: string): { text: string; lines: number[] } | undefined {
  const out = text.split('');
  const stack: number[] = [];
  const lines: number[] = [];
  let i = 0;
  let changed = false;
  const n = text.length;
  let starts: number[] | undefined;
  const lineAt = (pos: number) => lineColAt(text, pos, (starts ??= computeLineStarts(text))).line;
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\') i++;
        else if (c !== '`' && text[i] === '\n') break;
        i++;
      }
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      stack.push(i);
      if (stack.length >= NEST_TRIGGER) {
        const start = stack[NEST_KEEP - 1];
        // Find the closer of the group opened at `start`.
        let depth = stack.length - NEST_KEEP + 1;
        let j = i + 1;
        while (j < n && depth > 0) {
          const d = text[j];
          if (d === '(' || d === '[' || d === '{') depth++;
          else if (d === ')' || d === ']' || d === '}') depth--;
          else if (d === '"' || d === "'" || d === '`') {
            j++;
            while (j < n && text[j] !== d) {
              if (text[j] === '\\') j++;
              j++;
            }
          }
          j++;
        }
        const end = j; // exclusive
        for (let k = start; k < end && k < n; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
        if (end - start >= PLACEHOLDER.length) for (let k = 0; k < PLACEHOLDER.length; k++) out[start + k] = PLACEHOLDER[k];
        else out[start] = '0';
        lines.push(lineAt(start));
        changed = true;
        stack.length = NEST_KEEP - 1;
        i = end;
        continue;
      }
    } else if (c === ')' || c === ']' || c === '}') stack.pop();
    i++;
  }
  return changed ? { text: out.join(''), lines } : undefined;
}

/**
 * The edit that turns `before` into `after`, as the smallest changed range (common prefix and suffix): what
 * TypeScript's incremental parser needs to know which nodes it may reuse.
 */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { span: { start: prefix, length: before.length - prefix - suffix }, newLength: after.length - prefix - suffix };
}

/**
 * JSDoc is not parsed: the analysis reads no JSDoc, and TypeScript 6.0.2's JSDoc scanner (the one ts-morph 28
 * bundles) loops forever on a doc comment whose text ends in `-` just before its end, e.g. the half-typed
 * `/** @param labels one-ho` at the end of a file (microsoft/TypeScript#63580, fixed after 6.0.2; found by
 * `npm run fuzz`). `updateSourceFile` keeps the mode of the tree it updates.
 */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

function parse(text: string, fileName: string, problems: AnalysisResult['problems'], previous?: Internal): ts.SourceFile | undefined {
  const kind = scriptKindFor(fileName);
  // Re-parse incrementally from the previous tree of the same document when it parsed its text as is (not the
  // flattened text of a too-deeply nested file). TypeScript reuses the unchanged nodes, moving them in place, so
  // the previous analysis is marked stale.
  if (previous && !previous.stale && previous.sf.fileName === fileName && previous.sf.text === previous.text) {
    previous.stale = true;
    try {
      const sf = ts.updateSourceFile(previous.sf, text, changeRange(previous.text, text));
      // Around syntax errors, TypeScript's incremental parse can recover differently from a fresh one (another
      // message, found by the session test on a fixture): a text with errors is parsed afresh, as checkText does.
      if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0) === 0) return sf;
    } catch {
      // A full parse below decides.
    }
  }
  try {
    return ts.createSourceFile(fileName, text, PARSE_OPTIONS, true, kind);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const flat = flattenDeepNesting(text);
  if (flat) {
    try {
      const sf = ts.createSourceFile(fileName, flat.text, PARSE_OPTIONS, true, kind);
      problems.push({ message: `Expressions nested too deeply to parse (line ${flat.lines.slice(0, 5).join(', ')}) were skipped.` });
      return sf;
    } catch {
      // fall through
    }
  }
  problems.push({ message: 'The file nests expressions too deeply to be parsed; it was not analyzed.' });
  return undefined;
}

function parseProblems(sf: ts.SourceFile, problems: AnalysisResult['problems']): Span[] {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const shown = diags.slice(0, 10);
  for (const d of shown) {
    problems.push({
      message: `Syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      span: { start: d.start, end: d.start + d.length },
    });
  }
  if (diags.length > shown.length) problems.push({ message: `${diags.length - shown.length} more syntax errors.` });
  return diags.map((d) => ({ start: d.start, end: d.start + d.length }));
}

/** Analyzes `text`; with `previous` (the last analysis of the same document) the parse is incremental. */
export function analyzeInternal(text: string, fileName: string, previous?: Internal): Internal {
  const problems: AnalysisResult['problems'] = [];
  const sf = parse(text, fileName, problems, previous);
  if (!sf) {
    const empty = ts.createSourceFile(fileName, '', PARSE_OPTIONS, true);
    return { text, sf: empty, result: { models: [], problems }, models: [], nsBindings: [] };
  }
  const syntaxErrors = parseProblems(sf, problems);
  const interp = new Interpreter(sf);
  interp.run();
  const models = finalize(interp, sf);
  for (const p of interp.problems) problems.push(p.node ? { message: p.message, span: spanOf(p.node, sf) } : { message: p.message });
  return { text, sf, result: { models: models.map((m) => m.model), problems, syntaxErrors }, models, nsBindings: interp.nsBindings };
}

// ---------------------------------------------------------------------------------------------------------
// Finalization: records → model description

/** The fields of a layer's description copied as they are, in this order. */
const DESC_FIELDS = [
  'kernel', 'pointwise', 'recurrent', 'bias', 'gamma', 'beta', 'useBias', 'activation', 'recurrentActivation', 'unitForgetBias',
  'unitForgetBiasExplicit', 'returnSequences', 'wrapper', 'rate', 'pooling', 'epsilon', 'configSpan', 'unknownReason',
] as const;

function nodeFromRec(rec: LayerRec, index: number, inputs: number[], sf: ts.SourceFile, inf: Inferred | undefined, keepInputShape: boolean): LayerNode {
  const d = rec.desc;
  const node: LayerNode = { index, kind: rec.kind, op: rec.op, inputs, span: spanOf(rec.callNode, sf) };
  copyFields(node, rec, ['name']);
  if (inf) copyFields(node, inf, ['inFeatures', 'outFeatures', 'timeSteps']);
  copyFields(node, d, ['kernelSize', 'strides', 'poolSize', 'depthMultiplier']);
  if (keepInputShape) copyFields(node, d, ['inputShape']);
  copyFields(node, d, [...DESC_FIELDS]);
  return node;
}

function unknownNode(index: number, inputs: number[], op: string, reason: string, span: Span): LayerNode {
  return { index, kind: 'unknown', op, inputs, span, unknownReason: reason };
}

function finalizeSequential(m: ModelRec, sf: ts.SourceFile): { layers: LayerNode[]; nodes: NodeInfo[] } {
  const layers: LayerNode[] = [];
  const nodes: NodeInfo[] = [];
  let prev: Shape = {};
  m.seq.forEach((e, i) => {
    const inputs = i === 0 ? [] : [i - 1];
    if ('rec' in e) {
      const rec = e.rec;
      const ins: Shape[] = i === 0 ? [rec.shape.inputShape ? { dims: rec.shape.inputShape } : {}] : [prev];
      const inf = inferLayer(rec, ins);
      layers.push(nodeFromRec(rec, i, inputs, sf, inf, i === 0 || rec.kind === 'input'));
      nodes.push({ rec });
      prev = inf.out;
    } else {
      layers.push(unknownNode(i, inputs, e.op, e.unknown, spanOf(e.node, sf)));
      nodes.push({});
      prev = {};
    }
  });
  return { layers, nodes };
}

function finalizeFunctional(m: ModelRec, sf: ts.SourceFile): { layers: LayerNode[]; nodes: NodeInfo[]; outputs: number[]; capped: boolean } {
  // Iterative post-order DFS from the inputs, then the outputs: a topological order.
  const order: GNode[] = [];
  const state = new Map<GNode, 1 | 2>();
  let capped = false;
  const visit = (root: GNode) => {
    const stack: { g: GNode; i: number }[] = [{ g: root, i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i === 0) {
        if (state.has(top.g)) {
          stack.pop();
          continue;
        }
        state.set(top.g, 1);
      }
      if (top.i < top.g.inputs.length) {
        const next = top.g.inputs[top.i++];
        if (!state.has(next)) stack.push({ g: next, i: 0 });
        continue;
      }
      stack.pop();
      state.set(top.g, 2);
      if (order.length < LIMITS.layersPerModel) order.push(top.g);
      else capped = true;
    }
  };
  for (const g of m.inputs) visit(g);
  for (const g of m.outputs) visit(g);
  const index = new Map<GNode, number>();
  order.forEach((g, i) => index.set(g, i));
  const shapes = new Map<GNode, Shape>();
  const layers: LayerNode[] = [];
  const nodes: NodeInfo[] = [];
  order.forEach((g, i) => {
    const ins = g.inputs.map((x) => shapes.get(x) ?? {});
    const inf = inferLayer(g.rec, g.rec.kind === 'input' ? [] : ins);
    shapes.set(g, inf.out);
    const inputs = g.inputs.map((x) => index.get(x)).filter((x): x is number => x !== undefined);
    const node = nodeFromRec(g.rec, i, inputs, sf, inf, g.rec.kind === 'input');
    if (g.rec.kind !== 'input') node.span = spanOf(g.rec.callNode, sf);
    layers.push(node);
    nodes.push({ rec: g.rec });
  });
  const outputs = m.outputs.map((g) => index.get(g)).filter((x): x is number => x !== undefined);
  return { layers, nodes, outputs, capped };
}

function finalizeCore(m: ModelRec): { layers: LayerNode[]; nodes: NodeInfo[] } | undefined {
  const g = m.core;
  if (!g || !g.nodes.some((n) => n.kind === 'dense')) return undefined;
  const layers: LayerNode[] = g.nodes.map((n, i) => {
    const node: LayerNode = { index: i, kind: n.kind, op: n.op, inputs: [...n.inputs], span: { ...n.span } };
    copyFields(node, n, ['inFeatures', 'outFeatures', 'kernel']);
    if (n.kind === 'dense') {
      node.useBias = !!n.bias;
      copyFields(node, n, ['bias']);
    }
    copyFields(node, n, ['activation', 'rate', 'unknownReason']);
    if (n.kind === 'activation' || n.kind === 'dropout' || n.kind === 'add') {
      const src = g.nodes[n.inputs[0]];
      if (src?.outFeatures !== undefined) node.inFeatures = node.outFeatures = src.outFeatures;
    }
    return node;
  });
  return { layers, nodes: g.nodes.map((core) => ({ core })) };
}

function finalize(interp: Interpreter, sf: ts.SourceFile): InternalModel[] {
  const out: InternalModel[] = [];
  for (const m of interp.models) {
    let built: { layers: LayerNode[]; nodes: NodeInfo[]; outputs?: number[]; capped?: boolean } | undefined;
    if (m.kind === 'sequential') built = finalizeSequential(m, sf);
    else if (m.kind === 'functional') built = finalizeFunctional(m, sf);
    else built = finalizeCore(m);
    if (!built) continue;
    const notes = [...m.notes];
    if (built.capped) notes.push(layerCapNote(LIMITS.layersPerModel));
    if (m.uncertainLines.size) notes.push(undecidedNote([...m.uncertainLines]));
    const model: Model = {
      name: m.name,
      framework: 'tfjs',
      span: spanOf(m.callNode, sf),
      layers: built.layers,
      notes,
    };
    if (m.kind === 'functional') model.outputs = built.outputs;
    out.push({ model, rec: m, nodes: built.nodes });
  }
  markShared(out);
  // The same construction run twice with the same result (a builder called twice) is one model.
  const deduped = dropRepeats(out, (model) => JSON.stringify([model.layers, model.outputs, model.notes]));
  uniqueNames(deduped, sf);
  return deduped;
}

const SLOTS: WeightSlot[] = ['kernel', 'recurrent', 'bias', 'pointwise', 'embeddings', 'gamma', 'beta'];

/** sharedVariable: the same initializer value (from one variable) used by several layer slots. */
function markShared(models: InternalModel[]): void {
  const uses = new Map<V, Set<string>>();
  const refs: { v: V; ref: InitializerRef }[] = [];
  for (const im of models) {
    im.nodes.forEach((ni, i) => {
      const rec = ni.rec;
      if (!rec) return;
      for (const slot of SLOTS) {
        const src = rec.slots.get(slot);
        if (!src?.value || !src.value.holder) continue;
        if (slot === 'pointwise' && rec.kind === 'separableConv') continue;
        const key = `${rec.id}:${slot === 'embeddings' ? 'kernel' : slot}`;
        let set = uses.get(src.value);
        if (!set) uses.set(src.value, (set = new Set()));
        set.add(key);
        const ref = im.model.layers[i][slotField(slot)];
        if (ref) refs.push({ v: src.value, ref });
      }
      if (rec.kind === 'separableConv') {
        const src = rec.slots.get('kernel');
        const ref = im.model.layers[i].pointwise;
        if (src?.value?.holder && ref && ref.form !== 'default') refs.push({ v: src.value, ref });
      }
    });
  }
  for (const { v, ref } of refs) if ((uses.get(v)?.size ?? 0) > 1 && v.holder) ref.sharedVariable = { name: v.holder.name, span: { ...v.holder.span } };
}

function uniqueNames(models: InternalModel[], sf: ts.SourceFile): void {
  const count = (names: string[]) => {
    const c = new Map<string, number>();
    for (const n of names) c.set(n, (c.get(n) ?? 0) + 1);
    return c;
  };
  const first = count(models.map((im) => im.model.name));
  // Two models of one name are told apart by the function that builds each ("buildEncoder.model"), which does
  // not change as lines are added above (so an editor's re-check can reuse the model's results); by the line
  // only when that is not enough.
  const qualified = models.map((im) => {
    if ((first.get(im.model.name) ?? 0) < 2) return im.model.name;
    const fn = enclosingFunctionName(im.rec.callNode);
    return fn ? `${fn}.${im.model.name}` : im.model.name;
  });
  const second = count(qualified);
  const used = new Set<string>();
  models.forEach((im, i) => {
    let name = qualified[i];
    if ((second.get(name) ?? 0) > 1) {
      const line = sf.getLineAndCharacterOfPosition(im.model.span.start).line + 1;
      name = `${im.model.name}@${line}`;
      for (let k = 2; used.has(name); k++) name = `${im.model.name}@${line}#${k}`;
    }
    im.model.name = name;
    used.add(name);
  });
}

/** Name of the innermost named function or method around a node (`function f`, `const f = () =>`, `f() {}`). */
function enclosingFunctionName(node: ts.Node): string | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    const own = (p as ts.FunctionLikeDeclaration).name;
    if (own && ts.isIdentifier(own)) return own.text;
    const holder = p.parent;
    if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name)) return holder.name.text;
    return undefined;
  }
  return undefined;
}
