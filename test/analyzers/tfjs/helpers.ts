import assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import type { FixIntent, TextEdit } from '../../../src/core/findings';
import type { AnalysisResult, LayerNode, Model, Span } from '../../../src/core/model';
import { analyzeTfjs, tfjsFixEdits } from '../../../src/analyzers/tfjs';

export const TF = "import * as tf from '@tensorflow/tfjs';\n";

export function analyze(text: string, fileName = 'model.ts'): AnalysisResult {
  return analyzeTfjs(text, fileName);
}

/** The single model of `text` (fails when there is not exactly one). */
export function one(text: string, fileName = 'model.ts'): Model {
  const r = analyze(text, fileName);
  assert.equal(r.models.length, 1, `expected one model, got ${r.models.map((m) => m.name).join(', ') || 'none'}; problems: ${r.problems.map((p) => p.message).join(' | ')}`);
  return r.models[0];
}

export function model(r: AnalysisResult, name: string): Model {
  const m = r.models.find((x) => x.name === name);
  assert.ok(m, `no model ${name} among ${r.models.map((x) => x.name).join(', ')}`);
  return m;
}

export const kinds = (m: Model) => m.layers.map((l) => l.kind);
export const sizes = (m: Model) => m.layers.map((l) => [l.inFeatures, l.outFeatures]);
export const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

export function syntaxErrors(text: string, fileName = 'model.ts'): number {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length;
}

/**
 * Applies the fix for `intent` on the model named `name` (or the only model), checks that the result still
 * parses and that applying the same fix again changes nothing more, and returns the new text.
 */
export function fixed(text: string, intent: FixIntent, name?: string, fileName = 'model.ts'): string {
  const r = analyze(text, fileName);
  const m = name ? model(r, name) : r.models[0];
  assert.ok(m, 'no model');
  const edits = tfjsFixEdits(text, m, intent);
  assert.ok(edits, `no edits for ${JSON.stringify(intent)}`);
  const out = applyEdits(text, edits);
  assert.equal(syntaxErrors(out, fileName), syntaxErrors(text, fileName), `the fix broke the syntax:\n${out}`);
  // Idempotent: the same intent on the fixed text changes nothing more.
  const r2 = analyze(out, fileName);
  const m2 = name ? model(r2, name) : r2.models[0];
  const again = tfjsFixEdits(out, m2, intent);
  if (again) assert.equal(applyEdits(out, again), out, 'applying the fix twice changed the text again');
  return out;
}

export function noFix(text: string, intent: FixIntent, name?: string): void {
  const r = analyze(text);
  const m = name ? model(r, name) : r.models[0];
  assert.equal(tfjsFixEdits(text, m, intent), undefined);
}

export function layer(m: Model, i: number): LayerNode {
  const l = m.layers[i];
  assert.ok(l, `no layer ${i} in ${m.name}`);
  return l;
}
