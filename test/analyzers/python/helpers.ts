/** Helpers for the Python analyzer tests: every case parses real source with @lezer/python. */
import assert from 'node:assert/strict';
import { parser } from '@lezer/python';
import type { FixIntent, TextEdit } from '../../../src/core/findings';
import type { AnalysisResult, LayerNode, Model, Span } from '../../../src/core/model';
import type { FileReport } from '../../../src/core/report';
import { analyzePython, pythonFixEdits } from '../../../src/analyzers/python';
import { checkText } from '../../../src/engine/check';

export const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
export const KERAS = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

let seq = 0;
/** A fresh file name per call, so that the incremental parse cache never carries state between cases. */
export const fileName = () => `case${++seq}.py`;

export function analyze(text: string, name = fileName()): AnalysisResult {
  return analyzePython(text, name);
}

/** The single model of `text` (fails when there is not exactly one). */
export function one(text: string): Model {
  const r = analyze(text);
  assert.equal(r.models.length, 1, `expected one model, got ${r.models.map((m) => m.name).join(', ') || 'none'}; problems: ${r.problems.map((p) => p.message).join(' | ')}`);
  return r.models[0];
}

export function model(r: AnalysisResult, name: string): Model {
  const m = r.models.find((x) => x.name === name);
  assert.ok(m, `no model ${name} among ${r.models.map((x) => x.name).join(', ')}`);
  return m;
}

export const kinds = (m: Model) => m.layers.map((l) => l.kind);
/** Kinds without input nodes and the shape-only layers, for compact structure assertions. */
export const chain = (m: Model) => m.layers.filter((l) => l.kind !== 'input').map((l) => (l.kind === 'activation' ? l.activation?.id ?? '?' : l.kind));
export const sizes = (m: Model) => m.layers.filter((l) => l.kind !== 'input').map((l) => [l.inFeatures, l.outFeatures]);
export const weighted = (m: Model) => m.layers.filter((l) => ['dense', 'conv', 'convTranspose', 'lstm', 'gru', 'simpleRNN', 'embedding'].includes(l.kind));
export const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);
export const byName = (m: Model, name: string): LayerNode => {
  const l = m.layers.find((x) => x.name === name);
  assert.ok(l, `no layer ${name} among ${m.layers.map((x) => x.name ?? x.op).join(', ')}`);
  return l;
};

export function check(text: string, name = fileName()): FileReport {
  return checkText(text, name);
}

export function rules(text: string): string[] {
  return [...new Set(check(text).findings.map((f) => f.ruleId))].sort();
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Error nodes of a fresh (non-incremental) parse. */
export function syntaxErrors(text: string): number {
  let n = 0;
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) n++;
    },
  });
  return n;
}

/**
 * Applies the fix for `intent` on the model named `name` (or the only model), checks that the result still
 * parses as well as before and that the same intent on the fixed text changes nothing more; returns the text.
 */
export function fixed(text: string, intent: FixIntent, name?: string): string {
  const r = analyze(text);
  const m = name ? model(r, name) : r.models[0];
  assert.ok(m, 'no model');
  const edits = pythonFixEdits(text, m, intent);
  assert.ok(edits, `no edits for ${JSON.stringify(intent)}`);
  const out = applyEdits(text, edits);
  assert.equal(syntaxErrors(out), syntaxErrors(text), `the fix broke the syntax:\n${out}`);
  const r2 = analyze(out);
  const m2 = name ? model(r2, name) : r2.models[0];
  assert.ok(m2, 'the fixed text has no model');
  const again = pythonFixEdits(out, m2, intent);
  if (again) assert.equal(applyEdits(out, again), out, `applying the fix twice changed the text again:\n${applyEdits(out, again)}`);
  return out;
}

export function noFix(text: string, intent: FixIntent, name?: string): void {
  const r = analyze(text);
  const m = name ? model(r, name) : r.models[0];
  assert.ok(m, 'no model');
  assert.equal(pythonFixEdits(text, m, intent), undefined);
}
