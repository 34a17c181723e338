/**
 * What the rules report: findings with spans, severities, related locations and fixes. Fixes are stated as
 * framework-neutral intents by the rules; each analyzer turns an intent into text edits for its syntax
 * (rules never see syntax).
 */
import type { InitializerArgs, InitializerRef, LayerNode, Span } from './model';
import type { WeightSlot } from './initializers';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface TextEdit {
  span: Span;
  newText: string;
}

export type FixIntent =
  /** Replace (or insert, where the default was implicit) the initializer of a layer's weight slot. */
  | { kind: 'setInitializer'; layer: number; slot: WeightSlot; to: string; args?: InitializerArgs }
  /** Set a boolean layer option (e.g. LSTM unitForgetBias). */
  | { kind: 'setLayerOption'; layer: number; option: 'unitForgetBias'; value: boolean }
  /** Rewrite a falsy initializer argument that the framework replaces by its default (tfjs `||`). */
  | { kind: 'fixFalsyArg'; layer: number; slot: WeightSlot; arg: keyof InitializerArgs };

export interface Fix {
  title: string;
  intent: FixIntent;
  /**
   * Safe fixes keep the model's behaviour apart from the defect (fix-all may apply them). Initializer swaps
   * change the model and are unsafe: offered as quick fixes, never applied in bulk unless the user opts in.
   */
  safe: boolean;
  /** Text edits, filled in by the analyzer that produced the model; absent when no edit could be made. */
  edits?: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Name of the model the finding belongs to. */
  model: string;
  /** Index of the layer in the model, for layer findings. */
  layer?: number;
  /** Other places the finding is about (the activation a layer feeds, the layers a signal vanishes through), stated by the rule. */
  related: RelatedLocation[];
  fixes: Fix[];
}

export interface RelatedLocation {
  span: Span;
  message: string;
}

/** The initializer a weight slot names on a layer description (embeddings are held as the layer's kernel). */
export function slotRef(layer: LayerNode, slot: WeightSlot): InitializerRef | undefined {
  return layer[SLOT_FIELDS[slot]];
}

const SLOT_FIELDS: Record<WeightSlot, 'kernel' | 'recurrent' | 'bias' | 'pointwise' | 'gamma' | 'beta'> = {
  kernel: 'kernel',
  embeddings: 'kernel',
  recurrent: 'recurrent',
  bias: 'bias',
  pointwise: 'pointwise',
  gamma: 'gamma',
  beta: 'beta',
};

export const sameEdit = (a: TextEdit, b: TextEdit): boolean =>
  a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;

/** Two edits touch the same text: overlapping ranges, or two insertions (or an insertion and an edge) at one point. */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  if (a.span.start < b.span.end && b.span.start < a.span.end) return true;
  const aEmpty = a.span.start === a.span.end;
  const bEmpty = b.span.start === b.span.end;
  if (aEmpty && bEmpty) return a.span.start === b.span.start;
  if (aEmpty) return a.span.start > b.span.start && a.span.start < b.span.end;
  if (bEmpty) return b.span.start > a.span.start && b.span.start < a.span.end;
  return false;
}
