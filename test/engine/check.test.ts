/**
 * The engine end to end through the real TypeScript parse: findings, suppression comments, severity overrides,
 * and fixes applied to the text (the finding disappears, the file still parses, a second application is a no-op).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { pythonFixEdits } from '../../src/analyzers/python';
import { tfjsFixEdits } from '../../src/analyzers/tfjs';
import type { Finding, TextEdit } from '../../src/core/findings';
import type { Model } from '../../src/core/model';
import { checkText } from '../../src/engine/check';
import { TFJS_ANALYZER } from '../../src/engine/languages';

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}

function parses(text: string): boolean {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
  return (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0;
}

const DEEP = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 256, inputShape: [256], activation: 'relu'}));
model.add(tf.layers.dense({units: 256, activation: 'relu'}));
model.add(tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'glorotUniform'}));
model.add(tf.layers.dense({
  units: 256,
  activation: 'relu',
  kernelInitializer: tf.initializers.glorotNormal({seed: 7}),
}));
model.add(tf.layers.dense({units: 256, activation: 'relu'}));
model.add(tf.layers.dense({units: 256, activation: 'relu'}));
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
`;

const byRule = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

test('a deep default-initialized ReLU MLP: relu-needs-he on every hidden layer and vanishing-signal once', () => {
  const r = checkText(DEEP, 'deep.ts');
  assert.equal(r.models.length, 1);
  assert.equal(r.models[0].model.layers.filter((l) => l.kind === 'dense').length, 7);
  assert.equal(byRule(r.findings, 'relu-needs-he').length, 6);
  assert.equal(byRule(r.findings, 'vanishing-signal').length, 1);
  // 5 layers of (T/2) and one of ½ (explicit glorotUniform) before the read-out: (0.38687)^5·0.5 = 4.3e-3.
  assert.match(byRule(r.findings, 'vanishing-signal')[0].message, /is ×0\.0043 of the input's/);
});

test('every fix applies cleanly: the file still parses, the finding is gone, applying again changes nothing', () => {
  const r = checkText(DEEP, 'deep.ts');
  const findings = byRule(r.findings, 'relu-needs-he');
  for (const f of findings) {
    assert.equal(f.fixes.length, 1, `a fix for ${f.message}`);
    const fixed = applyEdits(DEEP, f.fixes[0].edits!);
    assert.ok(parses(fixed), fixed);
    const again = checkText(fixed, 'deep.ts');
    const still = byRule(again.findings, 'relu-needs-he');
    assert.equal(still.length, findings.length - 1);
    // The same fix intent, asked again on the fixed text, is not offered (nothing left to change).
    assert.ok(!still.some((s) => s.layer === f.layer));
  }
  // The factory form keeps its seed and its form.
  const factory = findings.find((f) => DEEP.slice(f.span.start, f.span.end).includes('glorotNormal'))!;
  assert.match(applyEdits(DEEP, factory.fixes[0].edits!), /kernelInitializer: tf\.initializers\.heUniform\(\{seed: 7\}\)/);
  // The string form stays a string with the file's quotes.
  const str = findings.find((f) => DEEP.slice(f.span.start, f.span.end).includes('glorotUniform'))!;
  assert.match(applyEdits(DEEP, str.fixes[0].edits!), /kernelInitializer: 'heUniform'/);
  // Applying all fixes at once leaves no relu-needs-he and no vanishing signal.
  const all = applyEdits(DEEP, findings.flatMap((f) => f.fixes[0].edits!));
  const after = checkText(all, 'deep.ts');
  assert.equal(byRule(after.findings, 'relu-needs-he').length, 0);
  assert.equal(byRule(after.findings, 'vanishing-signal').length, 0);
});

test('suppression comments: next line, same line, whole file', () => {
  const lines = DEEP.split('\n');
  lines.splice(4, 0, '// initlens-disable-next-line relu-needs-he');
  const r = checkText(lines.join('\n'), 'deep.ts');
  assert.equal(byRule(r.findings, 'relu-needs-he').length, 5);
  const other = checkText(DEEP.replace("'glorotUniform'}));", "'glorotUniform'})); // initlens-disable-line relu-needs-he"), 'deep.ts');
  assert.equal(byRule(other.findings, 'relu-needs-he').length, 5);
  const file = checkText('/* initlens-disable vanishing-signal, relu-needs-he */\n' + DEEP, 'deep.ts');
  assert.equal(file.findings.length, 0);
  const unrelated = checkText(DEEP + '\n// initlens-disable-next-line fixed-scale\n', 'deep.ts');
  assert.equal(byRule(unrelated.findings, 'relu-needs-he').length, 6);
});

test('severity overrides: off removes a rule, a level replaces the rule\'s own', () => {
  const r = checkText(DEEP, 'deep.ts', { rules: { 'relu-needs-he': 'off', 'vanishing-signal': 'error' } });
  assert.equal(byRule(r.findings, 'relu-needs-he').length, 0);
  assert.equal(byRule(r.findings, 'vanishing-signal')[0].severity, 'error');
});

test('the input assumption and the thresholds are options', () => {
  // With input std 10 the ratio is the same (the map is homogeneous), so vanishing-signal still fires;
  // a threshold of 1e-3 silences it.
  assert.equal(byRule(checkText(DEEP, 'deep.ts', { input: { mean: 0, std: 10 } }).findings, 'vanishing-signal').length, 1);
  assert.equal(byRule(checkText(DEEP, 'deep.ts', { thresholds: { vanishing: 1e-3 } }).findings, 'vanishing-signal').length, 0);
});

test('files without models, syntax errors and half-typed code never throw', () => {
  assert.deepEqual(checkText('const x = 1;\n', 'a.ts').findings, []);
  assert.equal(checkText('x', 'notes.txt').language, undefined);
  const half = checkText("import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 6", 'half.ts');
  assert.ok(Array.isArray(half.findings));
  for (let cut = 0; cut <= DEEP.length; cut += 7) {
    const r = checkText(DEEP.slice(0, cut), 'prefix.ts');
    for (const f of r.findings) assert.ok(f.span.end <= cut, 'finding inside the text');
  }
});

test('a 10 MB file is not analyzed: one problem says so, nothing is guessed, and it takes no parse', () => {
  // 10 MB of a real model file repeated: analyzing it would find hundreds of models, so an empty report can only
  // come from the size cap.
  const big = DEEP.repeat(Math.ceil(10_000_000 / DEEP.length));
  assert.ok(big.length >= 10_000_000);
  for (const name of ['big.ts', 'big.py']) {
    const r = checkText(big, name);
    assert.deepEqual(r.models, []);
    assert.deepEqual(r.findings, []);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^Not analyzed: the file has 10,\d{3},\d{3} characters, over the limit of 2,000,000 characters/);
  }
  // Just under a lowered cap the same text is analyzed.
  const r = checkText(DEEP.repeat(3), 'three.ts', { maxChars: DEEP.length * 3 });
  assert.ok(r.models.length >= 1);
  assert.deepEqual(r.problems.filter((p) => /Not analyzed/.test(p.message)), []);
});

test('an internal error in a fixer reaches the engine: reported as "internal error building a fix", the finding kept without that fix', () => {
  const real = TFJS_ANALYZER.fixEdits;
  TFJS_ANALYZER.fixEdits = (text, model, intent) => {
    if (intent.kind === 'setInitializer' && intent.layer === 2) throw new TypeError('broken fixer');
    return real(text, model, intent);
  };
  try {
    const report = checkText(DEEP, 'deep.ts');
    assert.deepEqual(
      report.problems.map((p) => p.message),
      ['internal error building a fix: broken fixer'],
    );
    const relu = byRule(report.findings, 'relu-needs-he');
    assert.equal(relu.length, 6);
    assert.deepEqual(relu.find((f) => f.layer === 2)!.fixes, []);
    assert.ok(relu.filter((f) => f.layer !== 2).every((f) => f.fixes.length === 1));
  } finally {
    TFJS_ANALYZER.fixEdits = real;
  }
});

test('the fixers let their internal errors through (no edit possible is undefined, not an exception)', () => {
  const tfjs = checkText(DEEP, 'deep.ts').models[0].model;
  const TORCH = readFileSync(join(__dirname, '..', '..', 'examples', 'python', 'mlp.py'), 'utf8');
  const python = checkText(TORCH, 'mlp.py').models[0].model;
  const intent = { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'heUniform' } as const;
  // A model description that fails when read: an internal fault, as a bug in the analyzer's records would be.
  const faulty = (m: Model) => new Proxy(m, { get: (t, k) => (k === 'layers' ? assert.fail('unreadable model') : t[k as keyof Model]) });
  assert.throws(() => tfjsFixEdits(DEEP, faulty(tfjs), intent), /unreadable model/);
  assert.throws(() => pythonFixEdits(TORCH, faulty(python), intent), /unreadable model/);
  // No edit possible is an ordinary answer.
  assert.equal(tfjsFixEdits(DEEP, tfjs, { ...intent, layer: 99 }), undefined);
  assert.equal(pythonFixEdits(TORCH, python, { ...intent, layer: 99 }), undefined);
});

