/**
 * The abstract values of the tfjs analyzer's interpreter. A value is what an expression evaluates to as far
 * as the analyzer can tell; `UNKNOWN` stands for everything it cannot (it is never guessed).
 */
import { ts } from 'ts-morph';
import type { ActivationRef, InitializerRef, LayerKind, LayerNode, Span } from '../../core/model';
import type { WeightSlot } from '../../core/initializers';

/** The variable a value was first stored in (for `sharedVariable`). */
export interface Holder {
  name: string;
  span: Span;
}

interface Base {
  /** The expression that produced the value (for spans). */
  node?: ts.Node;
  holder?: Holder;
}

export interface NumV extends Base {
  k: 'num';
  v: number;
}
export interface StrV extends Base {
  k: 'str';
  v: string;
}
export interface BoolV extends Base {
  k: 'bool';
  v: boolean;
}
export interface NullV extends Base {
  k: 'null';
}
export interface UndefV extends Base {
  k: 'undef';
}

/** An object property: its value and the syntax it was written with. */
export interface Prop {
  v: V;
  /** The property (assignment, shorthand) in its object literal, when written in one. */
  el?: ts.ObjectLiteralElementLike;
}

export interface ObjV extends Base {
  k: 'obj';
  props: Map<string, Prop>;
  /** An unknown spread or computed key: properties not listed may exist. */
  open: boolean;
  literal?: ts.ObjectLiteralExpression;
  /** Instance of a user class. */
  cls?: ClassV;
}

export interface ArrV extends Base {
  k: 'arr';
  items: V[];
  /** Elements beyond `items` (or in place of unknown spreads) may exist. */
  open: boolean;
  literal?: ts.ArrayLiteralExpression;
  /** Sentences for the models built from this array (uncertain pushes). */
  notes?: string[];
}

export interface FnV extends Base {
  k: 'fn';
  decl: ts.FunctionLikeDeclaration;
  env: Scope;
  thisV?: V;
}

/** A built-in function or bound method, dispatched by name. */
export interface BuiltinV extends Base {
  k: 'builtin';
  name: string;
  self?: V;
}

/** A path inside the tfjs namespace: [] is `tf`, ['layers', 'dense'] is `tf.layers.dense`. */
export interface NsV extends Base {
  k: 'ns';
  path: string[];
}

/** A JavaScript global object (Math, Number, Object, Array, JSON, console...). */
export interface GlobalV extends Base {
  k: 'global';
  name: string;
}

export interface LayerV extends Base {
  k: 'layer';
  rec: LayerRec;
}

/** A symbolic tensor of the functional API. */
export interface SymV extends Base {
  k: 'sym';
  g: GNode;
}

export interface ModelV extends Base {
  k: 'model';
  m: ModelRec;
}

/** An initializer object: tf.initializers.x(args) or new X(args). */
export interface InitV extends Base {
  k: 'init';
  /** Factory name or class name as written. */
  name: string;
  id: string | undefined;
  form: 'factory' | 'class';
  /** The identifier naming the factory / class. */
  nameNode?: ts.Node;
  args: V[];
  /** A sentence when tfjs would throw constructing it. */
  problem?: string;
}

/** A tensor with known initial distribution (core API): tf.randomNormal(shape, mean, std) etc. */
export interface TInitV extends Base {
  k: 'tinit';
  ref: InitializerRef;
  shape?: (number | undefined)[];
}

/** tf.variable(initialValue). */
export interface TVarV extends Base {
  k: 'tvar';
  init?: TInitV;
  shape?: (number | undefined)[];
}

/** A tensor computed from model inputs by core ops (matMul chains). */
export interface CTensorV extends Base {
  k: 'ct';
  g: CoreGraph;
  last: number;
}

export interface ClassV extends Base {
  k: 'class';
  decl: ts.ClassLikeDeclaration;
  env: Scope;
  base?: V;
  name: string;
  /** Extends tf.layers.Layer (directly or through user classes). */
  isLayer: boolean;
  instantiated: boolean;
  representative?: ObjV;
}

export interface UnknownV extends Base {
  k: 'unknown';
  /** Why (shown as unknownReason when the value ends up as a layer). */
  reason?: string;
  /** The expression that could not be resolved (the reason's text is made only when needed). */
  reasonNode?: ts.Node;
  /** A cap sentence that must reach the model notes. */
  note?: string;
}

export type V =
  | NumV
  | StrV
  | BoolV
  | NullV
  | UndefV
  | ObjV
  | ArrV
  | FnV
  | BuiltinV
  | NsV
  | GlobalV
  | LayerV
  | SymV
  | ModelV
  | InitV
  | TInitV
  | TVarV
  | CTensorV
  | ClassV
  | UnknownV;

export const UNKNOWN: UnknownV = Object.freeze({ k: 'unknown' }) as UnknownV;
export const UNDEF: UndefV = Object.freeze({ k: 'undef' }) as UndefV;
/** The `reason` of an unknown item that stands for a spread (`...xs`) whose elements are not known. */
export const SPREAD = 'spread';
export const NULL: NullV = Object.freeze({ k: 'null' }) as NullV;

export function unknown(reason?: string, note?: string): UnknownV {
  if (!reason && !note) return UNKNOWN;
  return { k: 'unknown', reason, note };
}

export const num = (v: number, node?: ts.Node): NumV => ({ k: 'num', v, node });
export const str = (v: string, node?: ts.Node): StrV => ({ k: 'str', v, node });
export const bool = (v: boolean, node?: ts.Node): BoolV => ({ k: 'bool', v, node });

export function newObj(literal?: ts.ObjectLiteralExpression): ObjV {
  return { k: 'obj', props: new Map(), open: false, literal, node: literal };
}

export function newArr(items: V[], open = false, literal?: ts.ArrayLiteralExpression): ArrV {
  return { k: 'arr', items, open, literal, node: literal };
}

/** JS truthiness, or undefined when it cannot be known. */
export function truthy(v: V): boolean | undefined {
  switch (v.k) {
    case 'num':
      return v.v !== 0 && !Number.isNaN(v.v);
    case 'str':
      return v.v !== '';
    case 'bool':
      return v.v;
    case 'null':
    case 'undef':
      return false;
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}

/** Whether the value is null or undefined; undefined when unknown. */
export function nullish(v: V): boolean | undefined {
  if (v.k === 'unknown') return undefined;
  return v.k === 'null' || v.k === 'undef';
}

export function isPrimitive(v: V): v is NumV | StrV | BoolV | NullV | UndefV {
  return v.k === 'num' || v.k === 'str' || v.k === 'bool' || v.k === 'null' || v.k === 'undef';
}

/** Strict equality when known. */
export function strictEq(a: V, b: V): boolean | undefined {
  if (a.k === 'unknown' || b.k === 'unknown') return undefined;
  if (isPrimitive(a) && isPrimitive(b)) {
    if (a.k !== b.k) return false;
    if (a.k === 'null' || a.k === 'undef') return true;
    return (a as NumV).v === (b as NumV).v;
  }
  if (isPrimitive(a) !== isPrimitive(b)) return false;
  if (a === b) return true;
  if (a.k === 'ns' && b.k === 'ns') return a.path.join('.') === b.path.join('.');
  if (a.k === 'global' && b.k === 'global') return a.name === b.name;
  return false;
}

/** The same value for the join of two control-flow paths (identity, or equal primitives). */
export function sameValue(a: V, b: V): boolean {
  if (a === b) return true;
  const eq = strictEq(a, b);
  if (eq !== true) return false;
  return isPrimitive(a) || (a.k === 'ns' && b.k === 'ns') || (a.k === 'global' && b.k === 'global');
}

export function joinValues(vals: V[]): V {
  if (vals.length === 0) return UNKNOWN;
  const first = vals[0];
  for (let i = 1; i < vals.length; i++) if (!sameValue(first, vals[i])) return UNKNOWN;
  return first;
}

// ---------------------------------------------------------------------------------------------------------
// Scopes

export const TDZ: unique symbol = Symbol('tdz');

export interface Binding {
  name: string;
  v: V | typeof TDZ;
  kind: 'const' | 'let' | 'var' | 'param' | 'fn' | 'class' | 'import';
  /** The declaration's name node. */
  declName?: ts.Node;
}

export class Scope {
  /** Created on the first declaration: most block and loop scopes declare nothing. */
  private map: Map<string, Binding> | undefined;
  constructor(
    readonly parent: Scope | undefined,
    /** The function scope this block belongs to (for `var`). */
    readonly isFunction: boolean,
  ) {}

  /** The binding declared in this scope itself. */
  own(name: string): Binding | undefined {
    return this.map?.get(name);
  }

  lookup(name: string): Binding | undefined {
    // Iterative: scopes can be deep in generated code.
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.map?.get(name);
      if (b) return b;
    }
    return undefined;
  }

  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }

  declare(name: string, v: V | typeof TDZ, kind: Binding['kind'], declName?: ts.Node): Binding {
    const b: Binding = { name, v, kind, declName };
    (this.map ??= new Map()).set(name, b);
    return b;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Layers, graphs and models as the interpreter builds them

/** Where a layer's weight-slot initializer came from. */
export interface SlotSrc {
  ref: InitializerRef;
  /** The value as evaluated (absent for defaults). */
  value?: V;
  /** The config property (`kernelInitializer: ...`) when written. */
  prop?: Prop;
  /** The property name that holds this slot's initializer. */
  propName?: string;
}

/** Shape parameters read from a layer config (only those the shape inference needs). */
export interface ShapeParams {
  units?: number;
  filters?: number;
  kernelSize?: number[];
  strides?: number[];
  dilation?: number[];
  padding?: string;
  channelsFirst?: boolean;
  depthMultiplier?: number;
  poolSize?: number[];
  targetShape?: (number | undefined)[];
  axis?: number;
  returnSequences?: boolean;
  outputDim?: number;
  /** Declared input shape (without batch) for the first layer of a Sequential / an input node. */
  inputShape?: (number | undefined)[];
  /** Some parameter that decides the output shape could not be resolved. */
  unresolved?: boolean;
  /** shapeOp parameters. */
  padding2d?: number[];
  size2d?: number[];
  cropping2d?: number[];
  repeat?: number;
  dims?: number[];
}

export interface LayerRec {
  id: number;
  /** tfjs factory name (or class name) as written. */
  op: string;
  kind: LayerKind;
  callNode: ts.Node;
  /** The config object as evaluated (absent when the call has no argument). */
  cfg?: ObjV;
  /** The config argument exists but could not be resolved. */
  cfgUnknown: boolean;
  /** The object literal where a fix inserts properties. */
  cfgLiteral?: ts.ObjectLiteralExpression;
  rank?: number;
  isCell?: boolean;
  wrapper?: 'timeDistributed' | 'bidirectional';
  /** Bidirectional output multiplier: 2 for concat, 1 for sum/mul/ave, undefined unknown. */
  mergeFactor?: number;
  shapeOp?: string;
  shape: ShapeParams;
  /** The static part of the node description. */
  desc: Omit<LayerNode, 'index' | 'inputs' | 'span'>;
  slots: Map<WeightSlot, SlotSrc>;
  /** Properties that decide the fixer's edits (unitForgetBias). */
  options: Map<string, Prop | undefined>;
  name?: string;
  /** The rnn() / wrapper configuration (returnSequences, inputShape live there). */
  outerCfg?: ObjV;
}

/** A node of a functional graph (a layer applied to symbolic tensors). */
export interface GNode {
  id: number;
  rec: LayerRec;
  inputs: GNode[];
  /** The `apply` call (or tf.input call). */
  applyNode: ts.Node;
}

export interface ModelRec {
  id: number;
  kind: 'sequential' | 'functional' | 'core';
  name: string;
  callNode: ts.Node;
  /** Sequential: the layers in order (a layer or an unresolved entry). */
  seq: SeqEntry[];
  /** Functional: inputs and outputs. */
  inputs: GNode[];
  outputs: GNode[];
  /** Core-API graph. */
  core?: CoreGraph;
  notes: string[];
  /** Lines of conditions/loops that could not be evaluated, under which layers were added. */
  uncertainLines: Set<number>;
  /** Sequence number of the last mutation (for cap notes). */
  lastMutation: number;
  /** More layers were added than the cap allows. */
  capped?: boolean;
}

export type SeqEntry = { rec: LayerRec } | { unknown: string; node: ts.Node; op: string };

/** A core-API computation (tf.matMul chains) described as a model. */
export interface CoreGraph {
  id: number;
  nodes: CoreNode[];
  startNode: ts.Node;
  name?: string;
}

export interface CoreNode {
  kind: LayerKind;
  op: string;
  inputs: number[];
  span: Span;
  inFeatures?: number;
  outFeatures?: number;
  kernel?: InitializerRef;
  bias?: InitializerRef;
  activation?: ActivationRef;
  rate?: number;
  unknownReason?: string;
}

export function spanOf(node: ts.Node, sf?: ts.SourceFile): Span {
  return { start: node.getStart(sf), end: node.getEnd() };
}
