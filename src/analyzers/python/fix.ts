/**
 * Text edits for fix intents on PyTorch and Keras source. Edits keep the form the user wrote (an nn.init call, a
 * tensor method, a Keras string, class or instance), the file's quote style and indentation, and refuse
 * (undefined) when there is no clean edit: a layer without an attribute to name it (inside nn.Sequential), an
 * initializer shared by layers that would not all want the same change, tied weights, no import to write
 * `nn.init` with. Applying a fix twice changes nothing the second time (the analysis then sees the target).
 */
import { type FixIntent, type TextEdit, slotRef } from '../../core/findings';
import type { WeightSlot } from '../../core/initializers';
import type { InitializerArgs, InitializerRef, Model, Span } from '../../core/model';
import { activationAfter, consumers } from '../../core/rules/graph';
import { FixerBase, type FixSite, fixSite, matchModel, sameSpan } from '../shared/fix-target';
import { type Internal, analyzeInternal, internalFor } from './analyze';
import type { InternalModel } from './build';
import { KERAS_ARG_NAMES, KERAS_DIST_TEXT, KERAS_INIT_CLASS_BY_ID, KERAS_LAYERS, KERAS_MODE_TEXT } from './keras';
import { type Node, kids, splitArgs, textOf } from './syntax';
import { type InitCallSpec, TENSOR_INIT_METHODS, TORCH_INIT_FNS, torchParamNames } from './torch';
import type { LayerRec, V } from './values';

/**
 * The edits for a fix intent, or undefined when no clean edit exists. An exception is an internal error, left to
 * the engine to report ("internal error building a fix").
 */
export function pythonFixEdits(text: string, model: Model, intent: FixIntent): TextEdit[] | undefined {
  const found = locate(text, model);
  const site = found && fixSite(found.internal, found.im, intent.layer);
  const rec = site?.node.rec;
  if (!site || !rec) return undefined;
  const f = new Fixer({ ...site, rec }, site.node.sub ?? 0);
  switch (intent.kind) {
    case 'setInitializer':
      return f.setInitializer(intent.slot, intent.to, intent.args);
    case 'setLayerOption':
      return f.setForgetBias(intent.value);
    default:
      return undefined;
  }
}


const CONSUMERS = new WeakMap<Model, number[][]>();
const FAMILIES = new WeakMap<Model, Map<number, string>>();

/** The activation family a layer's output reaches (cached per described model: fixes are asked once per finding). */
function activationFamilyAfter(m: Model, i: number): string {
  let fam = FAMILIES.get(m);
  if (!fam) FAMILIES.set(m, (fam = new Map()));
  const hit = fam.get(i);
  if (hit !== undefined) return hit;
  let cons = CONSUMERS.get(m);
  if (!cons) CONSUMERS.set(m, (cons = consumers(m)));
  const f = activationAfter(m, i, cons)?.family ?? 'none';
  fam.set(i, f);
  return f;
}

function locate(text: string, model: Model): { internal: Internal; im: InternalModel } | undefined {
  const cached = internalFor(model);
  const internal = cached && cached.text === text ? cached : analyzeInternal(text);
  const im = matchModel(internal.models, model);
  return im && { internal, im };
}

type LayerRefs = [InternalModel, number][];

/** The layers of a file by the start of a span of theirs (`Fixer.agrees` then compares the whole span). */
interface SpanIndex {
  /** By the property span of the slot's initializer (a shared variable's use). */
  property: Map<number, LayerRefs>;
  /** By the span of the slot's initializer. */
  init: Map<number, LayerRefs>;
  /** By the layer's span, for a default initializer. */
  defaults: Map<number, LayerRefs>;
}

function addTo(index: Map<number, LayerRefs>, span: Span | undefined, entry: [InternalModel, number]): void {
  if (!span) return;
  const list = index.get(span.start);
  if (list) list.push(entry);
  else index.set(span.start, [entry]);
}

const SLOT_INDEX = new WeakMap<Internal, Map<WeightSlot, SpanIndex>>();

/**
 * Every layer of the file by the spans `Fixer.agrees` compares for a slot. Built once per analysis and slot: a
 * file's fixes are asked one finding after another.
 */
function slotIndex(internal: Internal, slot: WeightSlot): SpanIndex {
  let bySlot = SLOT_INDEX.get(internal);
  if (!bySlot) SLOT_INDEX.set(internal, (bySlot = new Map()));
  let index = bySlot.get(slot);
  if (index) return index;
  index = { property: new Map(), init: new Map(), defaults: new Map() };
  for (const other of internal.models) {
    const layers = other.model.layers;
    for (let i = 0; i < layers.length; i++) {
      const r = slotRef(layers[i], slot);
      if (!r) continue;
      addTo(index.property, r.propertySpan, [other, i]);
      addTo(index.init, r.span, [other, i]);
      if (r.form === 'default') addTo(index.defaults, layers[i].span, [other, i]);
    }
  }
  bySlot.set(slot, index);
  return index;
}

const LAYER_INDEX = new WeakMap<Internal, Map<number, LayerRefs>>();

/** Every layer of the file by the start of its span, built once per analysis. */
function layerIndex(internal: Internal): Map<number, LayerRefs> {
  let index = LAYER_INDEX.get(internal);
  if (index) return index;
  index = new Map();
  for (const other of internal.models) {
    const layers = other.model.layers;
    for (let i = 0; i < layers.length; i++) addTo(index, layers[i].span, [other, i]);
  }
  LAYER_INDEX.set(internal, index);
  return index;
}

/** The innermost node covering exactly `span` (or, with `name`, the first such node of that type). */
function nodeAt(internal: Internal, span: Span, name?: string): Node | undefined {
  let n: Node | null = internal.tree.resolveInner(span.start, 1);
  for (let guard = 0; n && guard < 500; guard++, n = n.parent) {
    if (n.from === span.start && n.to === span.end && (!name || n.name === name)) return n;
    if (n.from < span.start) return undefined;
  }
  return undefined;
}


function sameArgs(ref: InitializerRef, args: InitializerArgs | undefined): boolean {
  for (const [k, v] of Object.entries(args ?? {})) {
    if ((ref.args as Record<string, unknown>)[k] !== v) return false;
  }
  return true;
}

function fmtNum(x: number): string {
  return String(x);
}

class Fixer extends FixerBase<Internal, InternalModel, LayerRec> {
  private readonly quote: string;

  /** `sub`: which of the layer's stacked sub-layers (an nn.LSTM with num_layers > 1) the intent is about. */
  constructor(site: FixSite<Internal, InternalModel, LayerRec>, private readonly sub: number) {
    super(site);
    this.quote = quoteStyle(site.internal);
  }

  private q(s: string): string {
    return `${this.quote}${s}${this.quote}`;
  }

  setInitializer(slot: WeightSlot, to: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    const ref = slotRef(this.layer, slot);
    if (!ref) return undefined;
    if (ref.id === to && sameArgs(ref, args) && ref.unknownArgs.length === 0) return [];
    // Cheap refusals first: an inserted PyTorch line needs the layer's attribute.
    if (this.rec.fw === 'pytorch' && ref.form === 'default' && !this.rec.assign) return undefined;
    if (!this.agrees(slot, ref, to)) return undefined;
    return this.rec.fw === 'pytorch' ? this.torchInit(slot, ref, to, args) : this.kerasInit(slot, ref, to, args);
  }

  /**
   * Every layer whose edited text is the same (one init call in a loop, one constructor call run several times)
   * must want the same change: same kind, same activation family after it, and for a re-parameterization the
   * same fan-in.
   */
  private agrees(slot: WeightSlot, ref: InitializerRef, to: string): boolean {
    const sig = (m: Model, i: number) => {
      const l = m.layers[i];
      return JSON.stringify([l.kind, activationFamilyAfter(m, i), to === ref.id ? l.inFeatures : null]);
    };
    let mine: string | undefined;
    // The text the edit changes: the use of a shared variable, the layer's call for a default, else the
    // initializer. Only the layers indexed under the same span start can share it (see slotIndex).
    const index = slotIndex(this.internal, slot);
    const [byStart, span] = ref.sharedVariable ? [index.property, ref.propertySpan] : ref.form === 'default' ? [index.defaults, this.layer.span] : [index.init, ref.span];
    for (const [other, i] of (span && byStart.get(span.start)) || []) {
      if (other === this.im && i === this.index) continue;
      const l = other.model.layers[i];
      const r = slotRef(l, slot);
      const shared = ref.sharedVariable
        ? !!r && sameSpan(r.propertySpan, ref.propertySpan)
        : ref.form === 'default'
          ? other.nodes[i].rec !== undefined && other.nodes[i].rec !== this.rec && sameSpan(l.span, this.layer.span) && r?.form === 'default'
          : !!r && sameSpan(r.span, ref.span) && r.span !== undefined;
      const sameRecOtherSub = other.nodes[i].rec === this.rec && (other.nodes[i].sub ?? 0) !== this.sub;
      if (!shared || sameRecOtherSub) continue;
      if (sig(other.model, i) !== (mine ??= sig(this.im.model, this.index))) return false;
    }
    return true;
  }

  // -----------------------------------------------------------------------------------------------------------
  // PyTorch

  /** The name this file imports a module under (`import torch.nn as nn` → `nn` for 'torch.nn'), if it does. */
  private importedAs(path: string): string | undefined {
    return [...this.internal.interp.moduleScope.vars].find(([, v]) => v.k === 'ext' && v.path === path)?.[0];
  }

  /** The first way the file's imports reach a module: `routes` are [imported module, rest of the path] pairs. */
  private modulePrefix(routes: readonly (readonly [string, string])[]): string | undefined {
    for (const [path, rest] of routes) {
      const name = this.importedAs(path);
      if (name) return `${name}.${rest}`;
    }
    return undefined;
  }

  /** How nn.init is written in this file: `nn.init.`, `init.`, `torch.nn.init.`; undefined when not imported. */
  private initPrefix(): string | undefined {
    return this.modulePrefix([['torch.nn.init', ''], ['torch.nn', 'init.'], ['torch', 'nn.init.']]);
  }

  private torchArgs(fn: string, args: InitializerArgs | undefined): string | undefined {
    const a = args ?? {};
    const parts: string[] = [];
    const spec = TORCH_INIT_FNS[fn];
    if (!spec) return undefined;
    for (const [kw, key] of Object.entries(spec.keywords)) {
      if (key === 'ignore') continue;
      const v = a[key];
      if (v === undefined) continue;
      if (key === 'mode') parts.push(`${kw}=${this.q(v === 'fanOut' ? 'fan_out' : 'fan_in')}`);
      else if (typeof v === 'string') parts.push(`${kw}=${this.q(v)}`);
      else if (typeof v === 'number') parts.push(`${kw}=${fmtNum(v)}`);
    }
    return parts.map((p) => `, ${p}`).join('');
  }

  /** The parameter expressions of a slot, written from the module's attribute (`self.lstm.weight_hh_l0`). */
  private paramTexts(slot: WeightSlot): string[] | undefined {
    const a = this.rec.assign;
    if (!a) return undefined;
    const names = torchParamNames(this.rec);
    const k = this.sub;
    let wanted: string[];
    switch (this.rec.kind) {
      case 'simpleRNN':
      case 'lstm':
      case 'gru': {
        const cell = this.rec.cls.endsWith('Cell');
        const base = slot === 'kernel' ? ['weight_ih'] : slot === 'recurrent' ? ['weight_hh'] : slot === 'bias' ? ['bias_ih', 'bias_hh'] : [];
        wanted = base.flatMap((b) => (cell ? [b] : [`${b}_l${k}`, `${b}_l${k}_reverse`]));
        break;
      }
      case 'batchNorm':
      case 'layerNorm':
        wanted = slot === 'gamma' ? ['weight'] : slot === 'beta' ? ['bias'] : [];
        break;
      default:
        wanted = slot === 'kernel' || slot === 'embeddings' ? ['weight'] : slot === 'bias' ? ['bias'] : [];
    }
    const present = wanted.filter((w) => names.includes(w));
    if (!present.length) return undefined;
    if (present.some((p) => this.rec.alias?.has(p))) return undefined; // tied weights: the change would reach another layer
    return present.map((p) => `${a.target}.${p}`);
  }

  private torchInit(slot: WeightSlot, ref: InitializerRef, to: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    if (!TORCH_INIT_FNS[to]) return undefined;
    if (ref.form === 'default') {
      const prefix = this.initPrefix();
      const params = this.paramTexts(slot);
      const extra = this.torchArgs(to, args);
      if (!prefix || !params || extra === undefined) return undefined;
      return this.insertAfterAssignment(params.map((p) => `${prefix}${to}(${p}${extra})`));
    }
    if (ref.form !== 'call' || !ref.span) return undefined;
    const call = nodeAt(this.internal, ref.span, 'CallExpression');
    if (!call) return undefined;
    const callee = call.firstChild;
    const argList = kids(call).find((c) => c.name === 'ArgList');
    if (!callee || !argList) return undefined;
    const { args: written } = splitArgs(this.text, argList);
    const method = callee.name === 'MemberExpression' && !this.isInitFunction(callee);
    if (method) {
      // w.normal_(0, 0.02) / w.data.uniform_(-a, a) / w.fill_(0)
      const name = callee.lastChild ? textOf(this.text, callee.lastChild) : '';
      const spec = TENSOR_INIT_METHODS[name];
      if (spec && spec.id === to && args) return this.reparameterize(spec, written, 0, argList, args);
      const prefix = this.initPrefix();
      const receiver = callee.firstChild;
      const extra = this.torchArgs(to, args);
      if (!prefix || !receiver || extra === undefined) return undefined;
      return [{ span: { start: call.from, end: call.to }, newText: `${prefix}${to}(${textOf(this.text, receiver)}${extra})` }];
    }
    // nn.init.xavier_uniform_(w, gain=...) → nn.init.kaiming_uniform_(w, nonlinearity="relu")
    const fnName = callee.name === 'MemberExpression' ? (callee.lastChild ? textOf(this.text, callee.lastChild) : '') : textOf(this.text, callee);
    const spec = TORCH_INIT_FNS[fnName];
    if (spec && spec.id === to && args) {
      // trunc_normal_ cuts at absolute bounds: a new std they would cut into is not the fix the message computed.
      const std = args.stddev;
      const mean = ref.args.mean ?? 0;
      const lo = ref.args.lower ?? -2;
      const hi = ref.args.upper ?? 2;
      if (to === 'trunc_normal_' && std !== undefined && Math.min(mean - lo, hi - mean) < 3 * std) return undefined;
      return this.reparameterize(spec, written, 1, argList, args);
    }
    const tensorArg = written.find((a) => a.kind === 'pos') ?? written.find((a) => a.kind === 'kw' && a.name === 'tensor');
    if (!tensorArg) return undefined;
    const extra = this.torchArgs(to, args);
    if (extra === undefined) return undefined;
    const keep = written.filter((a) => a.kind === 'kw' && a.name === 'generator').map((a) => `, generator=${textOf(this.text, a.value)}`).join('');
    const newArgs = `(${textOf(this.text, tensorArg.value)}${extra}${keep})`;
    if (callee.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName') {
      return [{ span: { start: callee.lastChild.from, end: argList.to }, newText: `${to}${newArgs}` }];
    }
    const prefix = this.initPrefix();
    if (!prefix) return undefined;
    return [{ span: { start: call.from, end: call.to }, newText: `${prefix}${to}${newArgs}` }];
  }

  private isInitFunction(callee: Node): boolean {
    // nn.init.x_ / torch.nn.init.x_ / init.x_: the object is the init module, not a tensor.
    const obj = callee.firstChild;
    if (!obj) return false;
    const t = textOf(this.text, obj);
    const vars = this.internal.interp.moduleScope.vars;
    if (/(^|\.)init$/.test(t)) {
      const head = t.split('.')[0];
      const v = vars.get(head);
      return !!v && v.k === 'ext';
    }
    return false;
  }

  /** Rewrites the values of the arguments that change (keyword or positional), appending the missing ones. */
  private reparameterize(spec: InitCallSpec, written: ReturnType<typeof splitArgs>['args'], offset: number, argList: Node, args: InitializerArgs): TextEdit[] | undefined {
    const edits: TextEdit[] = [];
    const append: string[] = [];
    for (const [key, value] of Object.entries(args) as [keyof InitializerArgs, unknown][]) {
      if (typeof value !== 'number') return undefined;
      const kwName = Object.entries(spec.keywords).find(([, k]) => k === key)?.[0];
      const kw = written.find((a) => a.kind === 'kw' && (a.name === kwName || (kwName === undefined && false)));
      if (kw) {
        edits.push({ span: { start: kw.value.from, end: kw.value.to }, newText: fmtNum(value) });
        continue;
      }
      const pi = spec.positional.indexOf(key);
      const pos = written.filter((a) => a.kind === 'pos');
      if (pi >= 0 && pos[pi + offset]) {
        const v = pos[pi + offset].value;
        edits.push({ span: { start: v.from, end: v.to }, newText: fmtNum(value) });
        continue;
      }
      if (!kwName) return undefined;
      append.push(`${kwName}=${fmtNum(value)}`);
    }
    if (append.length) edits.push(this.appendArgs(argList, append));
    return edits;
  }

  /** Inserts lines right after the layer's assignment in __init__, at its indentation. */
  private insertAfterAssignment(lines: string[]): TextEdit[] | undefined {
    const a = this.rec.assign;
    if (!a) return undefined;
    const stmt = a.stmt;
    if (stmt.parent?.name === 'StatementGroup') return undefined;
    const text = this.text;
    const lineStart = text.lastIndexOf('\n', stmt.from - 1) + 1;
    const indent = text.slice(lineStart, stmt.from);
    if (!/^[ \t]*$/.test(indent)) return undefined;
    let lineEnd = text.indexOf('\n', stmt.to);
    if (lineEnd < 0) lineEnd = text.length;
    const crlf = lineEnd > 0 && text[lineEnd - 1] === '\r';
    const at = crlf ? lineEnd - 1 : lineEnd;
    // A line continuation or an open bracket after the statement would swallow the insertion.
    const rest = text.slice(stmt.to, at);
    if (!/^\s*(#.*)?$/.test(rest)) return undefined;
    const eol = crlf ? '\r\n' : '\n';
    return [{ span: { start: at, end: at }, newText: lines.map((l) => `${eol}${indent}${l}`).join('') }];
  }

  setForgetBias(value: boolean): TextEdit[] | undefined {
    if (this.layer.kind !== 'lstm') return undefined;
    if (this.layer.unitForgetBias === value) return [];
    if (this.rec.fw === 'keras') {
      if (!this.rec.args) return undefined;
      const { args } = splitArgs(this.text, this.rec.args);
      if (args.some((a) => a.kind === 'kwstar')) return undefined;
      const kw = args.find((a) => a.kind === 'kw' && a.name === 'unit_forget_bias');
      const lit = value ? 'True' : 'False';
      if (kw) return [{ span: { start: kw.value.from, end: kw.value.to }, newText: lit }];
      if (!this.agreesOnCall()) return undefined;
      return [this.appendArgs(this.rec.args, [`unit_forget_bias=${lit}`])];
    }
    // PyTorch: fill the forget-gate quarter of bias_ih with 1 right after the LSTM is assigned.
    if (!value || this.rec.useBias === false || this.rec.cls.endsWith('Cell')) return undefined;
    const torch = this.importedAs('torch');
    const a = this.rec.assign;
    if (!torch || !a) return undefined;
    if (!this.agreesOnCall()) return undefined;
    const names = torchParamNames(this.rec).filter((p) => p === `bias_ih_l${this.sub}` || p === `bias_ih_l${this.sub}_reverse`);
    if (!names.length || names.some((p) => this.rec.alias?.has(p))) return undefined;
    const unit = /\t/.test(this.text.slice(this.text.lastIndexOf('\n', a.stmt.from - 1) + 1, a.stmt.from)) ? '\t' : '    ';
    const H = `${a.target}.hidden_size`;
    const lines = [`with ${torch}.no_grad():`, ...names.map((p) => `${unit}${a.target}.${p}[${H}:2 * ${H}].fill_(1.0)`)];
    return this.insertAfterAssignment(lines);
  }

  /** The layer's constructor call is not shared with layers in another situation (a loop building several). */
  private agreesOnCall(): boolean {
    for (const [other, i] of layerIndex(this.internal).get(this.layer.span.start) ?? []) {
      const r = other.nodes[i].rec;
      if (!r || r === this.rec || !sameSpan(other.model.layers[i].span, this.layer.span)) continue;
      if (other.model.layers[i].kind !== this.layer.kind) return false;
    }
    return true;
  }

  // -----------------------------------------------------------------------------------------------------------
  // Keras

  /** A Keras module prefix that reaches keras.initializers (`keras.initializers.`, `initializers.`, `tf.keras.initializers.`). */
  private kerasInitPrefix(): string | undefined {
    return this.modulePrefix([['keras.initializers', ''], ['keras', 'initializers.'], ['tensorflow', 'keras.initializers.']]);
  }

  private kerasArgsText(args: InitializerArgs | undefined): string {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(args ?? {}) as [keyof InitializerArgs, unknown][]) {
      const name = KERAS_ARG_NAMES[k];
      if (!name || v === undefined) continue;
      if (k === 'mode') parts.push(`${name}=${this.q(KERAS_MODE_TEXT[v as string] ?? String(v))}`);
      else if (k === 'distribution') parts.push(`${name}=${this.q(KERAS_DIST_TEXT[v as string] ?? String(v))}`);
      else if (typeof v === 'number') parts.push(`${name}=${fmtNum(v)}`);
    }
    return parts.join(', ');
  }

  private kerasInit(slot: WeightSlot, ref: InitializerRef, to: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    const cls = KERAS_INIT_CLASS_BY_ID[to];
    if (!cls) return undefined;
    const withArgs = args && Object.keys(args).length > 0;
    const fresh = (): string | undefined => {
      if (!withArgs) return this.q(to);
      const prefix = this.kerasInitPrefix();
      return prefix ? `${prefix}${cls}(${this.kerasArgsText(args)})` : undefined;
    };
    if (ref.form === 'default') {
      const spec = KERAS_LAYERS[this.rec.op];
      const kwName = spec?.slots?.[slot === 'embeddings' ? 'kernel' : (slot as keyof NonNullable<typeof spec.slots>)];
      const value = fresh();
      if (!kwName || !this.rec.args || value === undefined) return undefined;
      const { args: written } = splitArgs(this.text, this.rec.args);
      if (written.some((a) => a.kind === 'kwstar')) return undefined;
      return [this.appendArgs(this.rec.args, [`${kwName}=${value}`])];
    }
    if (ref.sharedVariable && ref.propertySpan) {
      // A variable used by several layers: change this layer's use only.
      const prop = this.text.slice(ref.propertySpan.start, ref.propertySpan.end);
      const eq = prop.indexOf('=');
      const value = fresh();
      if (eq < 0 || value === undefined) return undefined;
      let start = ref.propertySpan.start + eq + 1;
      while (start < ref.propertySpan.end && /\s/.test(this.text[start])) start++;
      return [{ span: { start, end: ref.propertySpan.end }, newText: value }];
    }
    if (ref.form === 'string' && ref.nameSpan && !withArgs) return [{ span: ref.nameSpan, newText: to }];
    if ((ref.form === 'class' || ref.form === 'factory') && ref.span) {
      const call = nodeAt(this.internal, ref.span, 'CallExpression');
      const argList = call ? kids(call).find((c) => c.name === 'ArgList') : undefined;
      if (call && argList && ref.id === to && withArgs) {
        const { args: written } = splitArgs(this.text, argList);
        const edits: TextEdit[] = [];
        const append: string[] = [];
        for (const [k, v] of Object.entries(args!) as [keyof InitializerArgs, unknown][]) {
          const name = KERAS_ARG_NAMES[k];
          if (!name || typeof v !== 'number') return undefined;
          const kw = written.find((a) => a.kind === 'kw' && a.name === name);
          if (kw) edits.push({ span: { start: kw.value.from, end: kw.value.to }, newText: fmtNum(v) });
          else append.push(`${name}=${fmtNum(v)}`);
        }
        if (written.some((a) => a.kind === 'pos')) return undefined;
        if (append.length) edits.push(this.appendArgs(argList, append));
        return edits;
      }
      if (call && argList && !withArgs && ref.nameSpan) {
        const { args: written } = splitArgs(this.text, argList);
        const onlySeed = written.every((a) => a.kind === 'kw' && a.name === 'seed');
        const preset = !['variance_scaling', 'constant', 'random_normal', 'random_uniform', 'truncated_normal', 'orthogonal', 'identity'].includes(to);
        if (onlySeed && (preset || written.length === 0)) return [{ span: ref.nameSpan, newText: ref.form === 'class' ? cls : to }];
      }
    }
    const value = fresh();
    if (!ref.span || value === undefined) return undefined;
    return [{ span: ref.span, newText: value }];
  }

  /** Appends keyword arguments to a call, in the call's layout (one line, or one argument per line). */
  private appendArgs(argList: Node, items: string[]): TextEdit {
    const cs = kids(argList);
    const close = cs[cs.length - 1]?.name === ')' ? cs[cs.length - 1] : undefined;
    const inner = cs.filter((c) => c.name !== '(' && c.name !== ')' && c.name !== 'Comment');
    const lastArg = [...inner].reverse().find((c) => c.name !== ',');
    const trailingComma = inner[inner.length - 1]?.name === ',';
    const text = this.text;
    if (!lastArg) {
      const at = argList.from + 1;
      return { span: { start: at, end: at }, newText: items.join(', ') };
    }
    // Where the last argument starts: its keyword (`name=`) or its `*`/`**`.
    let argStart = lastArg.from;
    const prev = lastArg.prevSibling;
    if (prev?.name === 'AssignOp' && prev.prevSibling) argStart = prev.prevSibling.from;
    else if (prev && (prev.name === '*' || prev.name === '**')) argStart = prev.from;
    const multiline = close ? text.slice(lastArg.to, close.from).includes('\n') || text.slice(argList.from, argStart).includes('\n') : false;
    if (multiline) {
      // One argument per line: the new one goes on its own line with the same indentation.
      const lineStart = text.lastIndexOf('\n', argStart - 1) + 1;
      const before = text.slice(lineStart, argStart);
      const indentMatch = /^[ \t]*/.exec(before)?.[0] ?? '';
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const ownLine = before.trim() === '' || before.trim().endsWith(',');
      const indent = ownLine ? indentMatch : indentMatch + '    ';
      const anchor = trailingComma ? inner[inner.length - 1].to : lastArg.to;
      const body = items.map((it) => `${eol}${indent}${it}`).join(',');
      return { span: { start: anchor, end: anchor }, newText: trailingComma ? `${body},` : `,${body}` };
    }
    const anchor = trailingComma ? inner[inner.length - 1].to : lastArg.to;
    return { span: { start: anchor, end: anchor }, newText: `${trailingComma ? ' ' : ', '}${items.join(', ')}` };
  }
}

/** The quote the file uses most for one-line strings (double when undecided), as the interpreter counted them. */
function quoteStyle(internal: Internal): string {
  const { single, double } = internal.interp.quotes;
  return single > double ? "'" : '"';
}

export type { V };
