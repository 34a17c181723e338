/**
 * Text edits for fix intents on TensorFlow.js source. Edits keep the form the user wrote (string, factory,
 * class, serialized config), the file's quote style and the indentation of neighbouring properties, and
 * refuse (undefined) whenever the edited text is shared by layers that would not all want the same change.
 */
import { ts } from 'ts-morph';
import type { FixIntent, TextEdit } from '../../core/findings';
import { type WeightSlot, resolveInitializer } from '../../core/initializers';
import type { InitializerArgs, InitializerRef, LayerNode, Model, Span } from '../../core/model';
import { FixerBase, type FixSite, fixSite, matchModel, sameSpan } from '../shared/fix-target';
import { type Internal, type InternalModel, analyzeInternal } from './analyze';
import { internalFor } from './entry';
import { slotField } from './layers';
import { CORE_INIT_OPS, INITIALIZER_ARG_KEYS, INITIALIZER_ARGS_REQUIRED, INITIALIZER_CLASS_BY_ID, initializerProperty } from './tables';
import type { LayerRec } from './values';

/** The tf.initializers factories declared without a parameter (exports_initializers.d.ts: zeros(), ones()). */
const FACTORIES_WITHOUT_ARGS = new Set(['zeros', 'ones']);

// Bound once: the `ts` namespace exposes its members through getters.
const { isAsExpression, isCallExpression, isElementAccessExpression, isFunctionLike, isIdentifier, isImportDeclaration, isNewExpression, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isSpreadAssignment, isStringLiteral, isStringLiteralLike } = ts;


/**
 * The edits for a fix intent, or undefined when no clean edit exists. An exception is an internal error, left to
 * the engine to report ("internal error building a fix").
 */
export function tfjsFixEdits(text: string, model: Model, intent: FixIntent): TextEdit[] | undefined {
  const found = locate(text, model);
  const site = found && fixSite(found.internal, found.im, intent.layer);
  if (!site) return undefined;
  const { internal, im, layer, node } = site;
  if (node.core) return intent.kind === 'setInitializer' ? coreCallFix(internal, im, intent.layer, layer, intent.slot, intent.to, intent.args) : undefined;
  if (!node.rec) return undefined; // unresolved layers are not edited
  const f = new Fixer({ ...site, rec: node.rec });
  switch (intent.kind) {
    case 'setInitializer':
      return f.setInitializer(intent.slot, intent.to, intent.args);
    case 'setLayerOption':
      return f.setOption(intent.option, intent.value);
    case 'fixFalsyArg':
      return f.fixFalsy(intent.slot, intent.arg);
  }
}


function locate(text: string, model: Model): { internal: Internal; im: InternalModel } | undefined {
  const cached = internalFor(model);
  const tries: (() => Internal)[] = [];
  if (cached && !cached.stale && cached.text === text) tries.push(() => cached);
  tries.push(
    () => analyzeInternal(text, 'file.ts'),
    () => analyzeInternal(text, 'file.tsx'),
    () => analyzeInternal(text, 'file.js'),
  );
  for (const t of tries) {
    const internal = t();
    const im = matchModel(internal.models, model);
    if (im) return { internal, im };
  }
  return undefined;
}

function findNode<T extends ts.Node>(sf: ts.SourceFile, span: Span, pred: (n: ts.Node) => n is T): T | undefined {
  let node: ts.Node = sf;
  for (let guard = 0; guard < 10000; guard++) {
    if (node !== sf && node.getStart(sf) === span.start && node.end === span.end && pred(node)) return node as T;
    let next = childInList(node, span, sf);
    if (!next) {
      node.forEachChild((c) => {
        if (!next && c.getStart(sf) <= span.start && c.end >= span.end) next = c;
      });
    }
    if (!next) return undefined;
    // Several nested nodes can share the span (parentheses aside): check each on the way down.
    node = next;
  }
  return undefined;
}

/**
 * The child holding `span` among a long list of statements or array elements, found by binary search (a
 * generated file of 20,000 `model.add` statements: a linear scan per fix made the fixes quadratic). Undefined
 * when the node has no such list or the span is not in one; the caller then scans the children.
 */
function childInList(node: ts.Node, span: Span, sf: ts.SourceFile): ts.Node | undefined {
  const list: ts.NodeArray<ts.Node> | undefined =
    ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) ? node.statements : ts.isArrayLiteralExpression(node) ? node.elements : undefined;
  if (!list || list.length < 16) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end < span.end) lo = mid + 1;
    else hi = mid;
  }
  const c = list[lo];
  return c && c.getStart(sf) <= span.start ? c : undefined;
}

const isAny = (n: ts.Node): n is ts.Node => !!n;

/**
 * Core API (`tf.variable(tf.randomNormal([784, 256], 0, 0.01))`): re-parameterize the same op's positional
 * arguments (mean/stddev, minval/maxval). Another initializer cannot be written as a core op call.
 */
function coreCallFix(
  internal: Internal,
  im: InternalModel,
  index: number,
  layer: LayerNode,
  slot: WeightSlot,
  to: string,
  args: InitializerArgs | undefined,
): TextEdit[] | undefined {
  const ref = slot === 'kernel' ? layer.kernel : slot === 'bias' ? layer.bias : undefined;
  if (!ref?.span || ref.form !== 'call' || ref.id !== to) return undefined;
  const call = findNode(internal.sf, ref.span, isCallExpression);
  if (!call) return undefined;
  const callee = call.expression;
  const op = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : undefined;
  const spec = op ? CORE_INIT_OPS[op] : undefined;
  if (!spec || spec.id !== to || call.arguments.length === 0) return undefined;
  if (!args || Object.keys(args).length === 0) return [];
  if (Object.keys(args).some((k) => !spec.params.includes(k as keyof InitializerArgs))) return undefined;
  // The weight may be used by several matMuls (tied weights): all must be in the same situation.
  const sig = (m: InternalModel, i: number) => JSON.stringify([m.model.layers[i].kind, m.model.layers[i].activation?.id, m.model.layers[i].inFeatures]);
  for (const m of internal.models)
    m.model.layers.forEach((l, i) => {
      if ((m !== im || i !== index) && (sameSpan(l.kernel?.span, ref.span) || sameSpan(l.bias?.span, ref.span)) && sig(m, i) !== sig(im, index)) args = undefined;
    });
  if (!args) return undefined;
  const sf = internal.sf;
  const texts = call.arguments.map((a) => a.getText(sf));
  let last = 0;
  spec.params.forEach((p, i) => {
    if (args![p] !== undefined || i + 1 < texts.length) last = Math.max(last, i + 1);
  });
  for (let i = 1; i <= last; i++) {
    const p = spec.params[i - 1];
    const v = args[p] ?? (i < texts.length ? undefined : spec.defaults[p]);
    if (v !== undefined) texts[i] = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)))) : String(v);
  }
  const start = call.arguments[0].getStart(sf);
  const end = call.arguments[call.arguments.length - 1].end;
  const newText = texts.join(', ');
  return internal.text.slice(start, end) === newText ? [] : [{ span: { start, end }, newText }];
}

type Use = { im: InternalModel; i: number; field?: string };

function spanKey(span: Span): string {
  return `${span.start}:${span.end}`;
}

/**
 * Which layers use the text at a span, indexed once per analysis: a fix asks this for every finding, and a scan
 * of all layers per fix would make a file's fixes quadratic in its size.
 */
const USES = new WeakMap<Internal, { init: Map<string, Use[]>; config: Map<string, Use[]> }>();

function usesIndex(internal: Internal): { init: Map<string, Use[]>; config: Map<string, Use[]> } {
  const hit = USES.get(internal);
  if (hit) return hit;
  const init = new Map<string, Use[]>();
  const config = new Map<string, Use[]>();
  const add = (map: Map<string, Use[]>, span: Span | undefined, use: Use) => {
    if (!span) return;
    const k = spanKey(span);
    const list = map.get(k);
    if (list) list.push(use);
    else map.set(k, [use]);
  };
  for (const im of internal.models) {
    im.model.layers.forEach((l, i) => {
      add(config, l.configSpan, { im, i });
      for (const f of ['kernel', 'pointwise', 'recurrent', 'bias', 'gamma', 'beta'] as const) {
        // A separable conv's pointwise kernel is built from depthwiseInitializer: an alias of its kernel.
        if (f === 'pointwise' && l.kind === 'separableConv') continue;
        const r = l[f];
        if (r && r.form !== 'default') add(init, r.span, { im, i, field: f });
      }
    });
  }
  const index = { init, config };
  USES.set(internal, index);
  return index;
}

/** Per model, the layers that consume each layer's output (built once: a fix asks for every layer it shares text with). */
const CONSUMERS = new WeakMap<Model, LayerNode[][]>();

function consumersOf(model: Model): LayerNode[][] {
  let out = CONSUMERS.get(model);
  if (!out) {
    out = model.layers.map(() => []);
    for (const l of model.layers) for (const i of new Set(l.inputs)) out[i]?.push(l);
    CONSUMERS.set(model, out);
  }
  return out;
}

/** Per analyzed text, its line ending (a fix inserting lines writes the file's own). */
const EOL = new WeakMap<Internal, string>();

class Fixer extends FixerBase<Internal, InternalModel, LayerRec> {
  private readonly sf: ts.SourceFile;
  constructor(site: FixSite<Internal, InternalModel, LayerRec>) {
    super(site);
    this.sf = site.internal.sf;
  }

  // ------------------------------------------------------------------------------------------------------
  // Sharing: the same text used by several layers

  /** What a fix of this layer's slot depends on; layers sharing edited text must agree on it. */
  private signature(im: InternalModel, i: number, slot: WeightSlot | undefined): string {
    const l = im.model.layers[i];
    const next = consumersOf(im.model)[i] ?? [];
    const nextAct = next.length === 1 && next[0].kind === 'activation' ? next[0].activation?.id : '';
    const ref = slot ? l[slotField(slot)] : undefined;
    return JSON.stringify([l.kind, l.activation?.id, l.activation?.alpha, nextAct, ref?.id, ref?.args]);
  }

  /** Every (model, layer, field) whose slot initializer / config literal is the text at `span`. */
  private usesOf(span: Span, what: 'init' | 'config'): Use[] {
    return usesIndex(this.internal)[what].get(spanKey(span)) ?? [];
  }

  /** The edited text is used only by layers (and slots) that want the same change. */
  private sharedSafely(span: Span, slot: WeightSlot | undefined, what: 'init' | 'config'): boolean {
    const mine = this.signature(this.im, this.index, slot);
    const field = slot ? slotField(slot) : undefined;
    return this.usesOf(span, what).every(
      ({ im, i, field: f }) => (what === 'init' ? f === field : true) && ((im === this.im && i === this.index) || this.signature(im, i, slot) === mine),
    );
  }

  // ------------------------------------------------------------------------------------------------------
  // Style

  private quote(near?: ts.Node): string {
    let q: string | undefined;
    const visit = (n: ts.Node): void => {
      if (q) return;
      if (isStringLiteral(n)) {
        const c = this.text[n.getStart(this.sf)];
        if (c === "'" || c === '"') q = c;
        return;
      }
      n.forEachChild(visit);
    };
    if (near) visit(near);
    if (!q)
      for (const s of this.sf.statements) {
        if (isImportDeclaration(s)) visit(s.moduleSpecifier);
        if (q) break;
      }
    if (!q) {
      let count = 0;
      const scan = (n: ts.Node): void => {
        if (q || count++ > 5000) return;
        if (isStringLiteral(n)) {
          const c = this.text[n.getStart(this.sf)];
          if (c === "'" || c === '"') q = c;
          return;
        }
        n.forEachChild(scan);
      };
      scan(this.sf);
    }
    return q ?? "'";
  }

  private eol(): string {
    let eol = EOL.get(this.internal);
    if (eol === undefined) EOL.set(this.internal, (eol = this.text.includes('\r\n') ? '\r\n' : '\n'));
    return eol;
  }

  private lineIndent(pos: number): string {
    let s = pos;
    while (s > 0 && this.text[s - 1] !== '\n' && this.text[s - 1] !== '\r') s--;
    let e = s;
    while (e < this.text.length && (this.text[e] === ' ' || this.text[e] === '\t')) e++;
    return this.text.slice(s, e);
  }

  private lineOf(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line;
  }

  private lineEnd(pos: number): number {
    let e = pos;
    while (e < this.text.length && this.text[e] !== '\n' && this.text[e] !== '\r') e++;
    return e;
  }

  /** The expression reaching tf.initializers at `at`: a parameter `tf`, an import, or the global `tf`. */
  private initializersNs(at: ts.Node): string | undefined {
    for (let p: ts.Node | undefined = at; p; p = p.parent) {
      if (isFunctionLike(p)) {
        for (const param of p.parameters)
          if (isIdentifier(param.name) && ['tf', 'tfjs', 'tensorflow'].includes(param.name.text)) return `${param.name.text}.initializers`;
      }
    }
    const init = this.internal.nsBindings.find((b) => b.path.length === 1 && b.path[0] === 'initializers');
    const root = this.internal.nsBindings.find((b) => b.path.length === 0);
    if (root) return `${root.name}.initializers`;
    if (init) return init.name;
    if (this.internal.nsBindings.length === 0 && /\btf\s*\./.test(this.text)) return 'tf.initializers';
    return undefined;
  }

  private numText(v: number): string {
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(6)));
  }

  private argValueText(key: keyof InitializerArgs, v: unknown, q: string): string | undefined {
    if (typeof v === 'number') return this.numText(v);
    if (typeof v === 'string') return `${q}${v}${q}`;
    return undefined;
  }

  // ------------------------------------------------------------------------------------------------------
  // Property insertion into a config object literal

  private insertProperty(lit: ts.ObjectLiteralExpression, prop: string): TextEdit[] {
    const props = lit.properties;
    const open = lit.getStart(this.sf);
    const close = lit.end - 1;
    if (props.length === 0) return [{ span: { start: open + 1, end: close }, newText: prop }];
    const last = props[props.length - 1];
    const lastEnd = last.end;
    const trailing = props.hasTrailingComma;
    const closeLine = this.lineOf(close);
    const lastLine = this.lineOf(lastEnd);
    if (this.lineOf(open) === closeLine || lastLine === closeLine) {
      // One line, or the closing brace right after the last property: `, prop` after the last property.
      return [{ span: { start: lastEnd, end: lastEnd }, newText: `, ${prop}` }];
    }
    // Multi-line: a new line with the indentation of the last property, after its line (and comment).
    const indent = this.lineIndent(last.getStart(this.sf));
    const eol = this.eol();
    const lineEnd = this.lineEnd(trailing ? this.commaAfter(lastEnd) : lastEnd);
    const insertion = `${eol}${indent}${prop}${trailing ? ',' : ''}`;
    if (trailing) return [{ span: { start: lineEnd, end: lineEnd }, newText: insertion }];
    if (lineEnd === lastEnd) return [{ span: { start: lastEnd, end: lastEnd }, newText: `,${insertion}` }];
    return [
      { span: { start: lastEnd, end: lastEnd }, newText: ',' },
      { span: { start: lineEnd, end: lineEnd }, newText: insertion },
    ];
  }

  private commaAfter(pos: number): number {
    const i = this.text.indexOf(',', pos);
    return i < 0 ? pos : i + 1;
  }

  /** Sets `name: valueText` in the layer's config literal (replacing an existing property there). */
  private setProperty(lit: ts.ObjectLiteralExpression, name: string, valueText: string): TextEdit[] {
    // The last property of that name in this literal wins; replace it when present.
    let existing: ts.ObjectLiteralElementLike | undefined;
    for (const p of lit.properties) {
      const n = p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) ? p.name.text : undefined;
      if (n === name) existing = p;
      else if (isSpreadAssignment(p)) existing = undefined;
    }
    if (existing && isPropertyAssignment(existing)) {
      const init = existing.initializer;
      if (init.getText(this.sf) === valueText) return [];
      return [{ span: { start: init.getStart(this.sf), end: init.end }, newText: valueText }];
    }
    if (existing) return [{ span: { start: existing.getStart(this.sf), end: existing.end }, newText: `${name}: ${valueText}` }];
    return this.insertProperty(lit, `${name}: ${valueText}`);
  }

  private configLiteral(): ts.ObjectLiteralExpression | undefined {
    const span = this.layer.configSpan;
    if (!span || this.rec.cfgUnknown) return undefined;
    return findNode(this.sf, span, ts.isObjectLiteralExpression);
  }

  // ------------------------------------------------------------------------------------------------------
  // Intents

  setInitializer(slotIn: WeightSlot, to: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    const spec = resolveInitializer('tfjs', to);
    if (!spec) return undefined;
    const id = spec.id;
    const slot: WeightSlot = this.rec.kind === 'embedding' && slotIn === 'kernel' ? 'embeddings' : slotIn;
    if (slot === 'pointwise') return undefined; // tfjs 4.x reads depthwiseInitializer for it
    const src = this.rec.slots.get(slot);
    const ref = this.layer[slotField(slot)];
    if (!src || !ref) return undefined;
    const wantArgs = args && Object.keys(args).length ? args : undefined;
    if (wantArgs && Object.keys(wantArgs).some((k) => !INITIALIZER_ARG_KEYS[id].includes(k as keyof InitializerArgs))) return undefined;
    if (id === 'constant' && wantArgs?.value === undefined) return undefined;

    if (ref.form === 'default') {
      const propName = initializerProperty(this.rec.kind, slot);
      const lit = this.configLiteral();
      if (!propName || !lit) return undefined;
      if (!this.sharedSafely(this.layer.configSpan!, slot, 'config')) return undefined;
      const value = this.newInitializerText(id, wantArgs, lit);
      if (value === undefined) return undefined;
      return this.setProperty(lit, propName, value);
    }
    if (!ref.span) return undefined;
    if (!this.sharedSafely(ref.span, slot, 'init')) return undefined;
    switch (ref.form) {
      case 'string':
        return this.fixString(ref, id, wantArgs);
      case 'factory':
      case 'class':
        return this.fixCall(ref, id, wantArgs);
      case 'serialized':
        return this.fixSerialized(ref, id, wantArgs);
      default:
        return undefined;
    }
  }

  /** The text of a new initializer: a string id, or a factory call when arguments are needed. */
  private newInitializerText(id: string, args: InitializerArgs | undefined, near: ts.Node): string | undefined {
    const q = this.quote(near);
    // As a string every id works except 'constant' (it needs {value}).
    if (!args && id !== 'constant') return `${q}${id}${q}`;
    const ns = this.initializersNs(near);
    if (!ns) return undefined;
    const body = this.argsObjectText(args ?? {}, q, []);
    if (body === undefined) return undefined;
    return `${ns}.${id}(${body})`;
  }

  private argsObjectText(args: InitializerArgs, q: string, kept: string[], spaced = this.spaced): string | undefined {
    const parts = [...kept];
    for (const [k, v] of Object.entries(args)) {
      const t = this.argValueText(k as keyof InitializerArgs, v, q);
      if (t === undefined) return undefined;
      parts.push(`${k}: ${t}`);
    }
    if (!parts.length) return '{}';
    return spaced ? `{ ${parts.join(', ')} }` : `{${parts.join(', ')}}`;
  }

  /** Whether the code writes one-line objects as `{ a: 1 }` (else `{a: 1}`), judged from the layer config. */
  private get spaced(): boolean {
    const span = this.layer.configSpan;
    const t = span ? this.text.slice(span.start, span.end) : '';
    return /^\{[ \t]+\S/.test(t);
  }

  private fixString(ref: InitializerRef, id: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    const node = findNode(this.sf, ref.span!, ts.isStringLiteralLike);
    if (!node) return undefined;
    if (args || id === 'constant') {
      const t = this.newInitializerText(id, args, node);
      if (t === undefined) return undefined;
      return [{ span: { start: node.getStart(this.sf), end: node.end }, newText: t }];
    }
    const inner = { start: node.getStart(this.sf) + 1, end: node.end - 1 };
    if (this.text.slice(inner.start, inner.end) === id) return [];
    return [{ span: inner, newText: id }];
  }

  /**
   * The argument object of the new initializer: keep the properties the new initializer reads, drop the
   * others (VarianceScaling's scale/mode/distribution for a preset), add requested ones.
   */
  private rewriteArgs(
    argNode: ts.Expression | undefined,
    id: string,
    args: InitializerArgs | undefined,
    q: string,
    required: boolean,
  ): { text: string | undefined; changed: boolean } | undefined {
    const allowed = INITIALIZER_ARG_KEYS[id];
    if (!argNode) {
      if (args) return { text: this.argsObjectText(args, q, []), changed: true };
      if (required) return { text: '{}', changed: true };
      return { text: undefined, changed: false };
    }
    let inner: ts.Expression = argNode;
    while (isParenthesizedExpression(inner) || isAsExpression(inner)) inner = inner.expression;
    if (!isObjectLiteralExpression(inner)) {
      // A variable: acceptable only when nothing must be dropped or added.
      return args ? undefined : allowed.length === 0 ? { text: undefined, changed: true } : undefined;
    }
    const kept: string[] = [];
    // Arguments the fix sets that the user already wrote are rewritten where they stand (order kept).
    const remaining: InitializerArgs = { ...args };
    let dropped = false;
    for (const p of inner.properties) {
      if (isSpreadAssignment(p)) {
        if (args || allowed.length === 0) return undefined;
        kept.push(p.getText(this.sf));
        continue;
      }
      const name = p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) ? p.name.text : undefined;
      if (!name) return undefined;
      if (!allowed.includes(name as keyof InitializerArgs)) {
        dropped = true;
        continue;
      }
      if (args && name in args) {
        const key = name as keyof InitializerArgs;
        const value = this.argValueText(key, args[key], q);
        if (value === undefined) return undefined;
        kept.push(`${p.name!.getText(this.sf)}: ${value}`);
        delete remaining[key];
        dropped = true;
        continue;
      }
      kept.push(p.getText(this.sf));
    }
    if (!dropped && !args) return { text: inner.getText(this.sf), changed: false };
    if (allowed.length === 0) return { text: undefined, changed: true };
    if (kept.length === 0 && !args && !required) return { text: undefined, changed: true };
    const own = inner.getText(this.sf);
    const spaced = own.includes('\n') ? this.spaced : /^\{[ \t]+\S/.test(own);
    return { text: this.argsObjectText(remaining, q, kept, spaced), changed: true };
  }

  private fixCall(ref: InitializerRef, id: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    const node = findNode(this.sf, ref.span!, (n): n is ts.CallExpression | ts.NewExpression => isCallExpression(n) || isNewExpression(n));
    if (!node) return undefined;
    const q = this.quote(node);
    const argNode = node.arguments?.[0];
    const callee = node.expression;
    const nameEdit = this.renameCallee(node, callee, id);
    // A factory's typings require an argument object (heUniform({})), a class constructor's do not: a factory call
    // the fix leaves gets one, unless the user's own call already went without one it required (their form is kept).
    const factory = nameEdit === 'factory' || !isNewExpression(node);
    const ownCallLacksArgs = !argNode && !isNewExpression(node) && !FACTORIES_WITHOUT_ARGS.has(ref.id ?? '');
    const typed = factory && !FACTORIES_WITHOUT_ARGS.has(id) && !ownCallLacksArgs;
    const newArgs = this.rewriteArgs(argNode, id, args, q, INITIALIZER_ARGS_REQUIRED.has(id) || typed);
    if (!newArgs) return undefined;
    if (nameEdit === 'factory') {
      // Switch to the factory form: ns.initializers.id(args)
      const ns = this.initializersNs(node);
      if (!ns) return undefined;
      const a = newArgs.changed ? newArgs.text : argNode?.getText(this.sf);
      return [{ span: { start: node.getStart(this.sf), end: node.end }, newText: `${ns}.${id}(${a ?? ''})` }];
    }
    if (!nameEdit) return undefined;
    const edits: TextEdit[] = [];
    if (this.text.slice(nameEdit.span.start, nameEdit.span.end) !== nameEdit.newText) edits.push(nameEdit);
    if (newArgs.changed) {
      if (argNode) {
        const start = argNode.getStart(this.sf);
        const end = node.arguments!.length > 1 ? node.arguments![node.arguments!.length - 1].end : argNode.end;
        edits.push({ span: { start, end }, newText: newArgs.text ?? '' });
      } else {
        const open = this.openParenAfter(callee.end, node.end);
        if (open === undefined) {
          // `new X` without parentheses
          edits.push({ span: { start: node.end, end: node.end }, newText: `(${newArgs.text ?? ''})` });
        } else edits.push({ span: { start: open + 1, end: open + 1 }, newText: newArgs.text ?? '' });
      }
    }
    return edits;
  }

  private openParenAfter(pos: number, end: number): number | undefined {
    for (let i = pos; i < end; i++) {
      const c = this.text[i];
      if (c === '(') return i;
      if (c === '<') {
        // type arguments: skip to '>'
        const j = this.text.indexOf('>', i);
        if (j < 0 || j > end) return undefined;
        i = j;
      }
    }
    return undefined;
  }

  /** How to name the new initializer in this call: an edit of the identifier, 'factory', or undefined. */
  private renameCallee(node: ts.CallExpression | ts.NewExpression, callee: ts.Expression, id: string): TextEdit | 'factory' | undefined {
    let c = callee;
    while (isParenthesizedExpression(c) || isNonNullExpression(c)) c = c.expression;
    const isNew = isNewExpression(node);
    if (!isNew) {
      // Factory: X.initializers.name / initializers.name / tf.initializers['name']
      if (isPropertyAccessExpression(c)) return { span: { start: c.name.getStart(this.sf), end: c.name.end }, newText: id };
      if (isElementAccessExpression(c) && isStringLiteralLike(c.argumentExpression)) {
        const a = c.argumentExpression;
        return { span: { start: a.getStart(this.sf) + 1, end: a.end - 1 }, newText: id };
      }
      return 'factory'; // a bare identifier bound to one factory
    }
    const cls = INITIALIZER_CLASS_BY_ID[id];
    if (isPropertyAccessExpression(c)) {
      const obj = c.expression;
      if (isIdentifier(obj) && this.internal.nsBindings.some((b) => b.name === obj.text && b.path.length === 1 && b.path[0] === '#initClasses'))
        return { span: { start: c.name.getStart(this.sf), end: c.name.end }, newText: cls };
      return 'factory';
    }
    if (isIdentifier(c)) {
      const local = this.internal.nsBindings.find((b) => b.path.length === 2 && b.path[0] === '#initClasses' && b.path[1] === cls);
      if (local) return { span: { start: c.getStart(this.sf), end: c.end }, newText: local.name };
      return 'factory';
    }
    return undefined;
  }

  private fixSerialized(ref: InitializerRef, id: string, args: InitializerArgs | undefined): TextEdit[] | undefined {
    const obj = findNode(this.sf, ref.span!, ts.isObjectLiteralExpression);
    if (!obj) return undefined;
    const q = this.quote(obj);
    const prop = (name: string) =>
      obj.properties.find((p): p is ts.PropertyAssignment => isPropertyAssignment(p) && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === name);
    const cn = prop('className');
    if (!cn || !isStringLiteralLike(cn.initializer)) return undefined;
    const edits: TextEdit[] = [];
    const cls = INITIALIZER_CLASS_BY_ID[id];
    const inner = { start: cn.initializer.getStart(this.sf) + 1, end: cn.initializer.end - 1 };
    if (this.text.slice(inner.start, inner.end) !== cls) edits.push({ span: inner, newText: cls });
    const cfg = prop('config');
    if (!cfg) {
      const body = this.argsObjectText(args ?? {}, q, []);
      if (body === undefined) return undefined;
      edits.push(...this.insertProperty(obj, `config: ${body}`));
      return edits;
    }
    let cfgNode: ts.Expression = cfg.initializer;
    while (isParenthesizedExpression(cfgNode) || isAsExpression(cfgNode)) cfgNode = cfgNode.expression;
    if (!isObjectLiteralExpression(cfgNode)) return args ? undefined : edits;
    const r = this.rewriteArgs(cfgNode, id, args, q, INITIALIZER_ARGS_REQUIRED.has(id));
    if (!r) return undefined;
    if (r.changed) edits.push({ span: { start: cfgNode.getStart(this.sf), end: cfgNode.end }, newText: r.text ?? '{}' });
    return edits;
  }

  setOption(option: 'unitForgetBias', value: boolean): TextEdit[] | undefined {
    if (option !== 'unitForgetBias' || this.rec.kind !== 'lstm') return undefined;
    const lit = this.configLiteral();
    if (!lit) return undefined;
    // Other layers built from the same literal must be LSTMs too (the option means nothing elsewhere).
    const uses = this.usesOf(this.layer.configSpan!, 'config');
    if (uses.some(({ im, i }) => im.model.layers[i].kind !== 'lstm')) return undefined;
    return this.setProperty(lit, 'unitForgetBias', String(value));
  }

  fixFalsy(slotIn: WeightSlot, arg: keyof InitializerArgs): TextEdit[] | undefined {
    const slot: WeightSlot = this.rec.kind === 'embedding' && slotIn === 'kernel' ? 'embeddings' : slotIn;
    const ref = this.layer[slotField(slot)];
    if (!ref || ref.form === 'call' || ref.form === 'default') return undefined;
    if (arg === 'seed') return undefined; // a different seed gives different weights: nothing to offer
    const falsy = ref.falsyArgs.find((f) => f.name === arg);
    if (!falsy) return [];
    if (arg === 'mean') return []; // the default mean is 0: `mean: 0 || 0` is harmless
    if (arg === 'minval') return [{ span: falsy.span, newText: 'Number.MIN_VALUE' }];
    if (arg === 'maxval') return [{ span: falsy.span, newText: '-Number.MIN_VALUE' }];
    if (arg === 'stddev') {
      if (!ref.span) return undefined;
      const node = findNode(this.sf, ref.span, isAny);
      if (!node) return undefined;
      const meanF = ref.falsyArgs.find((f) => f.name === 'mean');
      const mean = meanF ? '0' : ref.args.mean !== undefined ? this.numText(ref.args.mean) : ref.unknownArgs.includes('mean') ? undefined : '0';
      if (mean === undefined) return undefined;
      const q = this.quote(node);
      if (ref.form === 'serialized') {
        const o = this.spaced ? '{ ' : '{';
        const c = this.spaced ? ' }' : '}';
        return [{ span: ref.span, newText: `${o}className: ${q}Constant${q}, config: ${o}value: ${mean}${c}${c}` }];
      }
      const ns = this.initializersNs(node);
      if (!ns) return undefined;
      return [{ span: ref.span, newText: `${ns}.constant(${this.spaced ? `{ value: ${mean} }` : `{value: ${mean}}`})` }];
    }
    return undefined;
  }
}
