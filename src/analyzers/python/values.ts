/**
 * Abstract values of the Python interpreter (interpreter.ts): Python constants and containers, external names
 * (`torch.nn.Linear`, `keras.layers.Dense`) as canonical dotted paths, user functions and classes, modules
 * (PyTorch nn.Module trees and Keras layers/models), symbolic tensors (graph nodes of the data flow), PyTorch
 * parameters (the targets of initialization code) and Keras initializer objects. `unknown` is what could not be
 * decided; it is never guessed.
 */
import type { ActivationRef, InitializerRef, LayerKind, Span } from '../../core/model';
import type { Node } from './syntax';

export type Dim = number | undefined;

/** What a node's output looks like, as far as the frameworks' weights care. */
export interface Shape {
  /** Keras (channels-last): every dimension without the batch, when the rank is known. */
  dims?: Dim[];
  /** The feature count the next layer's weights see (Keras last dimension, PyTorch channel/feature axis). */
  feat?: number;
  /** PyTorch: the spatial extent is known to be 1 (after global pooling), so flattening keeps `feat`. */
  spatialOne?: boolean;
}

export interface SlotRefs {
  kernel?: InitializerRef;
  recurrent?: InitializerRef;
  bias?: InitializerRef;
  /** PyTorch recurrent layers keep two bias vectors (b_ih and b_hh); `bias` is b_ih, this is b_hh. */
  biasHh?: InitializerRef;
  pointwise?: InitializerRef;
  gamma?: InitializerRef;
  beta?: InitializerRef;
}

export type SlotName = keyof SlotRefs;

/** One stacked layer of a PyTorch RNN (num_layers > 1), or the only one. */
export interface SubLayer {
  slots: SlotRefs;
  unitForgetBias?: boolean;
  unitForgetBiasExplicit?: boolean;
}

/** A layer object (PyTorch built-in module or Keras layer) as constructed. */
export interface LayerRec {
  id: number;
  fw: 'pytorch' | 'keras';
  kind: LayerKind;
  /** The framework's own name: 'nn.Linear', 'Dense'. */
  op: string;
  /** Canonical class path: 'torch.nn.Linear', 'keras.layers.Dense'. */
  cls: string;
  name?: string;
  call: Node;
  args?: Node;
  inFeatures?: number;
  outFeatures?: number;
  kernelSize?: number[];
  strides?: number[];
  poolSize?: number[];
  groups?: number;
  depthMultiplier?: number;
  rate?: number;
  pooling?: 'max' | 'average';
  epsilon?: number;
  useBias?: boolean;
  returnSequences?: boolean;
  wrapper?: 'timeDistributed' | 'bidirectional';
  /** Keras Bidirectional merge: 2 for concat, 1 for sum/ave/mul. */
  mergeFactor?: number;
  inputShape?: Dim[];
  timeSteps?: number;
  /** Keras conv/pooling padding and spatial rank, for shape inference. */
  padding?: string;
  rank?: number;
  dilation?: number[];
  channelsFirst?: boolean;
  targetShape?: Dim[];
  activation?: ActivationRef;
  recurrentActivation?: ActivationRef;
  /** Stacked layers (PyTorch num_layers); one entry for every other layer. */
  layers: SubLayer[];
  bidirectional?: boolean;
  /** nn.Identity: calling it returns its input. */
  identity?: boolean;
  /** PyTorch AdaptiveAvgPool(1) and friends: the output's spatial extent is 1. */
  spatialOne?: boolean;
  unknownReason?: string;
  note?: string;
  /** Where the object was assigned: `self.fc1 = nn.Linear(...)` (target text and statement), for fixes. */
  assign?: { target: string; stmt: Node };
  /** PyTorch parameters tied to another layer's (`a.weight = b.weight`). */
  alias?: Map<string, { rec: LayerRec; pname: string }>;
}

export interface GNode {
  id: number;
  kind: LayerKind;
  op: string;
  rec?: LayerRec;
  /** Stacked RNN layer index. */
  sub?: number;
  inputs: GNode[];
  span: Span;
  name?: string;
  activation?: ActivationRef;
  rate?: number;
  pooling?: 'max' | 'average';
  poolSize?: number[];
  strides?: number[];
  inFeatures?: number;
  outFeatures?: number;
  inputShape?: Dim[];
  timeSteps?: number;
  out: Shape;
  epsilon?: number;
  unknownReason?: string;
  /** Why the analyzer simplified this node (said in the model's notes). */
  note?: string;
}

export class Scope {
  readonly vars = new Map<string, V>();
  globals?: Set<string>;
  constructor(
    readonly parent: Scope | undefined,
    readonly kind: 'builtins' | 'module' | 'function' | 'class',
  ) {}

  lookup(name: string): V | undefined {
    let s: Scope | undefined = this;
    let first = true;
    while (s) {
      // Class bodies are not visible from the methods defined in them.
      if (first || s.kind !== 'class') {
        const v = s.vars.get(name);
        if (v !== undefined) return v;
      }
      first = false;
      s = s.parent;
    }
    return undefined;
  }

  module(): Scope {
    let s: Scope = this;
    while (s.parent && s.kind !== 'module') s = s.parent;
    return s;
  }

  set(name: string, v: V): void {
    if (this.globals?.has(name)) this.module().vars.set(name, v);
    else this.vars.set(name, v);
  }
}

export interface ClassV {
  k: 'class';
  id: number;
  name: string;
  node: Node;
  bases: V[];
  attrs: Map<string, V>;
  dataclass: boolean;
  /** Annotated class-level fields in order (dataclass fields). */
  fields: string[];
  /** 'torch' for nn.Module subclasses, 'keras' for Keras Layer/Model subclasses. */
  module?: 'torch' | 'keras';
}

export interface FnV {
  k: 'fn';
  def: Node;
  name: string;
  closure: Scope;
  lambda?: boolean;
  property?: boolean;
  staticmethod?: boolean;
  classmethod?: boolean;
}

export interface ObjV {
  k: 'obj';
  cls: ClassV;
  attrs: Map<string, V>;
}

export type ModType = 'leaf' | 'seq' | 'list' | 'dict' | 'user' | 'kseq' | 'kfunc';

export interface ModV {
  k: 'mod';
  id: number;
  type: ModType;
  fw: 'pytorch' | 'keras';
  rec?: LayerRec;
  /** Registered submodules in registration order (containers: '0', '1', ...). */
  children: Map<string, ModV>;
  /** Other attributes of a user module. */
  attrs: Map<string, V>;
  cls?: ClassV;
  /** The construction call (containers, functional models) or the class (user modules). */
  call?: Node;
  /** Created while a user module was being constructed (a submodule, not a model of its own). */
  nested: boolean;
  /** Registered into another module or model (not a model of its own). */
  adopted: boolean;
  /** Keras functional model: its inputs and outputs. */
  kin?: GNode[];
  kout?: GNode[];
  /** Keras Sequential/subclassed model input shape from `build()` or `input_shape=`. */
  buildShape?: Dim[];
  /** The name the model gets (assigned variable, function returning it). */
  name?: string;
  /** Line where a root model was instantiated (for names of several models of one class). */
  siteLine?: number;
}

export interface ParamV {
  k: 'param';
  rec: LayerRec;
  pname: string;
  /** A slice of the first dimension; undefined ends are unknown. */
  slice?: { from: number | undefined; to: number | undefined; /** [H:2H] of an LSTM whose H is unknown. */ forgetQuarter?: boolean };
}

export type V =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string; node?: Node }
  | { k: 'bool'; v: boolean }
  | { k: 'none' }
  /** A list or tuple; `anyLen` with one item: unknown length, every element is that item (a tensor split). */
  | { k: 'list'; items: V[]; tuple: boolean; anyLen?: boolean; range?: [number, number, number] }
  | { k: 'dict'; map: Map<string, V> }
  | { k: 'ext'; path: string }
  | { k: 'builtin'; name: string }
  | FnV
  | { k: 'bound'; fn: FnV; self: V }
  | { k: 'method'; self: V; name: string }
  | ClassV
  | ObjV
  | ModV
  /**
   * A symbolic tensor: the output of graph node `node`. `role` marks attention internals, which are not graph
   * nodes: 'scores' (q·kᵀ) and 'weights' (their softmax); `weights @ v` is the attention node.
   */
  | { k: 'tensor'; node: GNode; role?: 'scores' | 'weights' }
  | { k: 'partial'; fn: V; args: V[]; kw: Map<string, V> }
  | ParamV
  | { k: 'init'; ref: InitializerRef; holder?: { name: string; span: Span } }
  | { k: 'super'; cls: ClassV; self: V }
  /**
   * Unknown; `what` names an external object (`timm.layers.DropPath(...)`) for messages. `dim`: a multiple of a
   * layer's size the analysis does not know (`2 * self.lstm.hidden_size`), so that the LSTM forget-gate slice
   * `[H:2 * H]` is recognized whatever H is; everywhere else it is just unknown.
   */
  | { k: 'unknown'; what?: string; dim?: { rec: LayerRec; factor: number } };

export const UNKNOWN: V = { k: 'unknown' };
export const NONE: V = { k: 'none' };
export const TRUE: V = { k: 'bool', v: true };
export const FALSE: V = { k: 'bool', v: false };
export const num = (v: number): V => ({ k: 'num', v });
export const str = (v: string): V => ({ k: 'str', v });
export const bool = (v: boolean): V => (v ? TRUE : FALSE);
export const list = (items: V[], tuple = false): V => ({ k: 'list', items, tuple });

export function numOf(v: V | undefined): number | undefined {
  if (!v) return undefined;
  if (v.k === 'num') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return undefined;
}

export function intOf(v: V | undefined): number | undefined {
  const n = numOf(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

export function strOf(v: V | undefined): string | undefined {
  return v?.k === 'str' ? v.v : undefined;
}

/** Python truthiness; undefined when it cannot be decided. */
export function truthy(v: V): boolean | undefined {
  switch (v.k) {
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v.length > 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'list':
      return v.anyLen ? undefined : v.items.length > 0;
    case 'dict':
      return v.map.size > 0;
    case 'ext':
    case 'builtin':
    case 'fn':
    case 'bound':
    case 'method':
    case 'class':
    case 'obj':
    case 'mod':
    case 'param':
    case 'init':
    case 'super':
    case 'partial':
      return true;
    default:
      return undefined;
  }
}

/** Python `==` where it can be decided. */
export function equals(a: V, b: V): boolean | undefined {
  if (a.k === 'unknown' || b.k === 'unknown') return undefined;
  if ((a.k === 'num' || a.k === 'bool') && (b.k === 'num' || b.k === 'bool')) return numOf(a) === numOf(b);
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  if (a.k === 'none' || b.k === 'none') return a.k === b.k;
  if (a.k === 'ext' && b.k === 'ext') return a.path === b.path;
  if (a.k === 'list' && b.k === 'list') {
    if (a.anyLen || b.anyLen) return undefined;
    if (a.items.length !== b.items.length) return false;
    let all: boolean | undefined = true;
    for (let i = 0; i < a.items.length; i++) {
      const e = equals(a.items[i], b.items[i]);
      if (e === false) return false;
      if (e === undefined) all = undefined;
    }
    return all;
  }
  if (a.k === 'tensor' || b.k === 'tensor') return undefined;
  if (a.k !== b.k) return a.k === 'str' || b.k === 'str' || a.k === 'num' || b.k === 'num' ? false : undefined;
  return a === b ? true : undefined;
}

/** Python `is` where it can be decided. */
export function identical(a: V, b: V): boolean | undefined {
  if (a.k === 'none' || b.k === 'none') return a.k === 'unknown' || b.k === 'unknown' ? undefined : a.k === b.k;
  if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
  if (a.k === 'unknown' || b.k === 'unknown' || a.k === 'tensor' || b.k === 'tensor') return undefined;
  if (a.k === 'ext' && b.k === 'ext') return a.path === b.path;
  if (a.k === 'num' || a.k === 'str' || b.k === 'num' || b.k === 'str') return a.k === b.k ? undefined : false;
  return a === b;
}

const CANON = new Map<string, string>();

/**
 * Canonical dotted path of an external name: `tensorflow.keras.X`, `tf_keras.X`, `tensorflow.python.keras.X`
 * and `keras.src.X` are `keras.X`; `keras.models.Sequential` is `keras.Sequential`; `torch.nn.modules.*.X` is
 * `torch.nn.X`. (Memoized: the same few paths come up at every attribute of a module.)
 */
export function canonPath(path: string): string {
  let hit = CANON.get(path);
  if (hit === undefined) {
    hit = canonPathOf(path);
    if (CANON.size >= 4096) CANON.clear();
    CANON.set(path, hit);
  }
  return hit;
}

function canonPathOf(path: string): string {
  let p = path;
  if (p.startsWith('tensorflow.python.keras')) p = 'keras' + p.slice('tensorflow.python.keras'.length);
  else if (p.startsWith('tensorflow.keras')) p = 'keras' + p.slice('tensorflow.keras'.length);
  else if (p === 'tf_keras' || p.startsWith('tf_keras.')) p = 'keras' + p.slice('tf_keras'.length);
  if (p === 'tensorflow.initializers' || p.startsWith('tensorflow.initializers.')) p = 'keras' + p.slice('tensorflow'.length);
  if (p.startsWith('keras.src.')) p = 'keras.' + p.slice('keras.src.'.length);
  if (p.startsWith('keras.api.')) p = 'keras.' + p.slice('keras.api.'.length);
  if (p.startsWith('keras._tf_keras.keras.')) p = 'keras.' + p.slice('keras._tf_keras.keras.'.length);
  if (p === 'keras.models.Sequential' || p === 'keras.models.Model') p = 'keras.' + p.slice('keras.models.'.length);
  if (p === 'keras.engine.sequential.Sequential') p = 'keras.Sequential';
  const m = /^torch\.nn\.modules\.[a-z_]+\.([A-Za-z_]\w*)$/.exec(p);
  if (m) p = `torch.nn.${m[1]}`;
  if (p.startsWith('keras.layers.') || p.startsWith('keras.initializers.') || p.startsWith('keras.activations.')) {
    // keras.layers.core.Dense, keras.layers.convolutional.Conv2D: the class is what matters.
    const parts = p.split('.');
    if (parts.length > 3) p = `${parts[0]}.${parts[1]}.${parts[parts.length - 1]}`;
  }
  return p;
}

/** An int or a tuple of `rank` ints (`kernel_size=3` or `(3, 3)`), as a list of `rank` ints; undefined otherwise. */
export function intsOf(v: V | undefined, rank: number): number[] | undefined {
  if (!v) return undefined;
  const n = intOf(v);
  if (n !== undefined) return Array.from({ length: rank }, () => n);
  if (v.k === 'list' && !v.anyLen && v.items.length === rank) {
    const xs = v.items.map(intOf);
    return xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
  }
  return undefined;
}
