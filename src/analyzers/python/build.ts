/**
 * Interpreter roots → the framework-neutral model description (core/model.ts): the graph nodes a model's
 * outputs depend on, in topological order; PyTorch stacked RNNs (num_layers > 1) as one node per stacked layer;
 * module paths as layer names; initializer references cloned so that the description is plain data.
 */
import type { InitializerRef, LayerNode, Model, Span } from '../../core/model';
import { modulesOf } from './torch-runtime';
import type { Interp, Root } from './interpreter';
import { spanOf } from './syntax';
import { copyFields, dropRepeats, layerCapNote, undecidedNote } from '../shared/model-builder';
import type { GNode, LayerRec, ModV, SubLayer, V } from './values';

/** What the fixer needs to know about each node of a described model. */
export interface NodeInfo {
  rec?: LayerRec;
  /** Stacked layer of a PyTorch RNN. */
  sub?: number;
}

export interface InternalModel {
  model: Model;
  root: Root;
  nodes: NodeInfo[];
}

export const MAX_LAYERS = 10_000;

/** The nodes the outputs depend on (inputs included), in creation order, which is topological. */
function ancestors(outputs: GNode[], inputs: GNode[]): { order: GNode[]; capped: boolean } {
  const seen = new Set<GNode>();
  const stack = [...outputs, ...inputs];
  while (stack.length) {
    const g = stack.pop()!;
    if (seen.has(g)) continue;
    seen.add(g);
    for (const i of g.inputs) stack.push(i);
  }
  const order = [...seen].sort((a, b) => a.id - b.id);
  if (order.length > MAX_LAYERS) return { order: order.slice(0, MAX_LAYERS), capped: true };
  return { order, capped: false };
}

function modelSpan(ip: Interp, m: ModV): Span {
  if (m.type === 'user' && m.cls) {
    // The class header: `class Net(nn.Module)`.
    const def = m.cls.node;
    let end = def.to;
    for (let c = def.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Body') {
        end = c.from;
        break;
      }
    }
    const header = ip.text.slice(def.from, end).replace(/[\s:]+$/, '');
    return { start: def.from, end: def.from + header.length };
  }
  return m.call ? spanOf(m.call) : { start: 0, end: 0 };
}

/** Module paths (named_modules) of every layer record under a root. */
function pathNames(m: ModV): Map<LayerRec, string> {
  const out = new Map<LayerRec, string>();
  for (const { name, mod } of modulesOf(m)) if (mod.rec && name && !out.has(mod.rec)) out.set(mod.rec, name);
  return out;
}

function applySub(node: LayerNode, rec: LayerRec, sub: SubLayer | undefined): void {
  copyFields(node, sub?.slots ?? {}, ['kernel', 'recurrent', 'bias', 'pointwise', 'gamma', 'beta']);
  if (rec.kind === 'lstm' && sub) copyFields(node, sub, ['unitForgetBias', 'unitForgetBiasExplicit']);
}

function nodeFromRec(ip: Interp, g: GNode, rec: LayerRec, index: number, inputs: number[], name: string | undefined, sub: number): LayerNode {
  const node: LayerNode = { index, kind: rec.kind, op: rec.op, inputs, span: spanOf(rec.call) };
  if (name !== undefined) node.name = name;
  const torch = rec.fw === 'pytorch';
  let inF = torch ? (rec.inFeatures ?? g.inFeatures ?? g.inputs[0]?.out.feat) : g.inFeatures;
  let outF = torch ? rec.outFeatures : g.outFeatures;
  if (torch && (rec.kind === 'activation' || rec.kind === 'dropout' || rec.kind === 'pooling' || rec.kind === 'globalPooling' || rec.kind === 'flatten')) {
    inF = g.inputs[0]?.out.feat;
    outF = rec.kind === 'flatten' ? g.out.feat : inF;
  }
  const recurrent = rec.kind === 'lstm' || rec.kind === 'gru' || rec.kind === 'simpleRNN';
  if (recurrent && torch && sub > 0) inF = rec.outFeatures === undefined ? undefined : rec.outFeatures * (rec.bidirectional ? 2 : 1);
  copyFields(node, { inFeatures: inF, outFeatures: outF }, ['inFeatures', 'outFeatures']);
  copyFields(node, rec, ['kernelSize', 'strides', 'poolSize', 'groups', 'depthMultiplier']);
  copyFields(node, { timeSteps: rec.timeSteps ?? g.timeSteps }, ['timeSteps']);
  copyFields(node, rec, ['useBias', 'activation', 'recurrentActivation', 'returnSequences']);
  if (rec.returnSequences === undefined && recurrent && torch) node.returnSequences = true;
  copyFields(node, rec, ['wrapper', 'rate', 'pooling', 'epsilon', 'unknownReason']);
  if (rec.args && !torch) node.configSpan = spanOf(rec.args);
  applySub(node, rec, rec.layers[sub] ?? rec.layers[0]);
  void ip;
  return node;
}

function plainNode(g: GNode, index: number, inputs: number[]): LayerNode {
  const node: LayerNode = { index, kind: g.kind, op: g.op, inputs, span: { ...g.span } };
  if (g.name) node.name = g.name;
  const inF = g.inputs[0]?.out.feat;
  if (g.kind === 'input') {
    if (g.inputShape) node.inputShape = [...g.inputShape];
    if (g.out.feat !== undefined) node.outFeatures = g.out.feat;
  } else if (g.kind !== 'unknown') {
    if (inF !== undefined) node.inFeatures = inF;
    if (g.out.feat !== undefined) node.outFeatures = g.out.feat;
  }
  copyFields(node, g, ['activation', 'rate', 'pooling', 'poolSize', 'strides', 'epsilon', 'unknownReason']);
  return node;
}

function buildOne(ip: Interp, root: Root): InternalModel | undefined {
  const m = root.mod;
  let outputs = root.outputs;
  if (!outputs.length && root.created.length) outputs = [root.created[root.created.length - 1]];
  if (!outputs.length) return undefined;
  const { order, capped } = ancestors(outputs, root.inputs);
  const names = m.fw === 'pytorch' || m.type === 'user' ? pathNames(m) : new Map<LayerRec, string>();
  const layers: LayerNode[] = [];
  const nodes: NodeInfo[] = [];
  const last = new Map<GNode, number>();
  const notes = [...root.notes];
  const sequential = m.type === 'seq' || m.type === 'kseq';
  let pendingInputShape: (number | undefined)[] | undefined;
  for (const g of order) {
    const inputs = g.inputs.map((i) => last.get(i)).filter((x): x is number => x !== undefined);
    // A Sequential model's implicit input is not a layer (tfjs and Keras convention): its shape goes to the first layer.
    if (g.kind === 'input' && sequential && (g.op === 'input' || g.op === '__implicit_input__')) {
      pendingInputShape = g.inputShape;
      continue;
    }
    if (g.rec) {
      const rec = g.rec;
      const name = rec.fw === 'keras' ? (rec.name ?? names.get(rec)) : (names.get(rec) ?? rec.name);
      const stacked = rec.fw === 'pytorch' && (rec.kind === 'lstm' || rec.kind === 'gru' || rec.kind === 'simpleRNN') ? rec.layers.length : 1;
      let ins = inputs;
      for (let k = 0; k < stacked; k++) {
        const label = stacked > 1 && name !== undefined ? `${name}_l${k}` : name;
        const node = nodeFromRec(ip, g, rec, layers.length, ins, label, k);
        if (pendingInputShape && layers.length === 0) node.inputShape = [...pendingInputShape];
        layers.push(node);
        nodes.push({ rec, sub: k });
        ins = [node.index];
      }
      if (rec.note && !notes.includes(rec.note)) notes.push(`${name ?? rec.op}: ${rec.note}`);
    } else {
      const node = plainNode(g, layers.length, inputs);
      if (g.kind === 'input' && g.op === '__implicit_input__') node.op = 'input';
      layers.push(node);
      nodes.push({});
      if (g.note) {
        const n = `${g.op}: ${g.note}`;
        if (!notes.includes(n)) notes.push(n);
      }
    }
    last.set(g, layers.length - 1);
  }
  if (!layers.length || layers.every((l) => l.kind === 'input')) return undefined;
  if (capped) notes.push(layerCapNote(MAX_LAYERS));
  if (m.type === 'user' && m.cls) {
    const from = ip.line(m.cls.node.from);
    const to = ip.line(m.cls.node.to);
    const lines = [...ip.uncertainLines].filter((l) => l >= from && l <= to).sort((a, b) => a - b);
    if (lines.length) notes.push(undecidedNote(lines));
  }
  for (const n of ip.globalNotes) if (!notes.includes(n)) notes.push(n);
  const outIdx = outputs.map((g) => last.get(g)).filter((x): x is number => x !== undefined);
  const model: Model = {
    name: m.name ?? m.cls?.name ?? (m.type === 'kfunc' ? 'model' : m.type === 'kseq' || m.type === 'seq' ? 'sequential' : 'model'),
    framework: m.fw,
    span: modelSpan(ip, m),
    layers,
    notes,
  };
  if (outIdx.length && (outIdx.length > 1 || outIdx[0] !== layers.length - 1)) model.outputs = outIdx;
  return { model, root, nodes };
}

/** sharedVariable: one initializer value held in a variable and used by several layer slots. */
function markShared(models: InternalModel[]): void {
  const uses = new Map<string, Set<string>>();
  const refs: { key: string; ref: InitializerRef; holder: { name: string; span: Span } }[] = [];
  for (const im of models) {
    im.model.layers.forEach((l, i) => {
      const rec = im.nodes[i].rec;
      if (!rec) return;
      for (const slot of ['kernel', 'recurrent', 'bias', 'pointwise', 'gamma', 'beta'] as const) {
        const ref = l[slot];
        const holder = (ref as (InitializerRef & { __holder?: { name: string; span: Span } }) | undefined)?.__holder;
        if (!ref || !holder) continue;
        const key = `${holder.span.start}:${holder.span.end}`;
        let set = uses.get(key);
        if (!set) uses.set(key, (set = new Set()));
        set.add(`${rec.id}:${im.nodes[i].sub ?? 0}:${slot}`);
        refs.push({ key, ref, holder });
      }
    });
  }
  for (const { key, ref, holder } of refs) {
    delete (ref as { __holder?: unknown }).__holder;
    if ((uses.get(key)?.size ?? 0) > 1) ref.sharedVariable = { name: holder.name, span: { ...holder.span } };
  }
}

function signature(m: Model): string {
  return JSON.stringify([m.span, m.layers.map((l) => [l.kind, l.op, l.span, l.inFeatures, l.outFeatures, l.kernel?.id, l.kernel?.args, l.kernel?.span, l.inputs])]);
}

export function buildModels(ip: Interp): InternalModel[] {
  const out: InternalModel[] = [];
  for (const root of ip.roots) {
    const im = buildOne(ip, root);
    if (im) out.push(im);
  }
  markShared(out);
  // The same construction run twice with the same result (a builder called twice) is one model.
  const deduped = dropRepeats(out, signature);
  // Unique names: the same class instantiated several times keeps its line.
  const counts = new Map<string, number>();
  for (const im of deduped) counts.set(im.model.name, (counts.get(im.model.name) ?? 0) + 1);
  for (const im of deduped) {
    if ((counts.get(im.model.name) ?? 0) > 1) im.model.name = `${im.model.name}@${im.root.mod.siteLine ?? ip.line(im.model.span.start)}`;
  }
  return deduped;
}

export type { V };
