import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../src/engine/check';
import { diagnosticsOf, docsUrl, problemDiagnostic } from '../../src/extension/logic/diagnostics';
import { check, checkSource, exampleFiles, REPOSITORY } from './helpers';

test('documentation links from the manifest repository, in every spelling npm allows', () => {
  const want = 'https://github.com/initlens/initlens/blob/main/docs/rules/relu-needs-he.md';
  assert.equal(docsUrl(REPOSITORY, 'relu-needs-he'), want);
  assert.equal(docsUrl('https://github.com/initlens/initlens.git', 'relu-needs-he'), want);
  assert.equal(docsUrl({ url: 'git+https://github.com/initlens/initlens.git' }, 'relu-needs-he'), want);
  assert.equal(docsUrl('github:initlens/initlens', 'relu-needs-he'), want);
  assert.equal(docsUrl('initlens/initlens', 'relu-needs-he'), want);
  assert.equal(docsUrl(undefined, 'relu-needs-he'), undefined);
  assert.equal(docsUrl({ url: 42 }, 'x'), undefined);
});

test('every rule has a documentation page where the link points', async () => {
  const { existsSync } = await import('node:fs');
  for (const r of RULES) {
    const url = docsUrl(REPOSITORY, r.id)!;
    const path = url.replace('https://github.com/initlens/initlens/blob/main/', '');
    assert.ok(existsSync(new URL(`../../${path}`, import.meta.url)), `${path} missing`);
  }
});

test('mnist-mlp-default-init: one diagnostic per finding, codes and links, in the engine order', () => {
  const { report } = check('mnist-mlp-default-init.ts');
  const data = diagnosticsOf(report, REPOSITORY);
  assert.equal(data.length, report.findings.length);
  assert.deepEqual(
    [...new Set(data.map((d) => d.ruleId))].sort(),
    ['relu-needs-he', 'vanishing-signal'],
  );
  for (const [i, d] of data.entries()) {
    const f = report.findings[i];
    assert.equal(d.finding, i);
    assert.equal(d.message, f.message);
    assert.equal(d.severity, f.severity);
    assert.deepEqual(d.span, f.span);
    assert.equal(d.href, `https://github.com/initlens/initlens/blob/main/docs/rules/${f.ruleId}.md`);
    assert.deepEqual(d.tags, []);
  }
});

test('vanishing-signal points at the read-out and at the three layers that shrink the signal most', () => {
  const { text, report } = check('mnist-mlp-default-init.ts');
  const d = diagnosticsOf(report, REPOSITORY).find((x) => x.ruleId === 'vanishing-signal')!;
  assert.equal(d.related[0].message, 'the read-out layer');
  assert.equal(text.slice(d.related[0].span.start, d.related[0].span.end), "tf.layers.dense({ units: 10, activation: 'softmax' })");
  const layers = d.related.slice(1);
  // The engine's message names the same three: "Caused by dense (layer 3) ×0.39, …; dense (layer 4) ×0.39, …; dense (layer 5) ×0.39, …".
  assert.deepEqual(
    layers.map((r) => r.message),
    ['dense (layer 3): signal ×0.39 through this layer', 'dense (layer 4): signal ×0.39 through this layer', 'dense (layer 5): signal ×0.39 through this layer'],
  );
  for (const r of layers) assert.equal(text.slice(r.span.start, r.span.end), "tf.layers.dense({ units: 256, activation: 'relu' })");
  for (const r of layers) assert.ok(d.message.includes(r.message.split(':')[0]), `${r.message} not named in the message`);
});

test('exploding-signal names the layers that grow the signal', () => {
  const { report } = check('random-normal-wide.js');
  const d = diagnosticsOf(report, REPOSITORY).find((x) => x.ruleId === 'exploding-signal')!;
  assert.equal(d.related.length, 4);
  assert.ok(d.related.slice(1).every((r) => /×2\.6 through this layer/.test(r.message)), JSON.stringify(d.related));
});

test('an activation rule on an explicit initializer points at the activation the layer feeds', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ units: 256, inputShape: [256], kernelInitializer: 'glorotUniform', activation: 'relu' }));
model.add(tf.layers.dense({ units: 10 }));
`;
  const report = checkSource(text);
  const d = diagnosticsOf(report, REPOSITORY).find((x) => x.ruleId === 'relu-needs-he')!;
  assert.equal(text.slice(d.span.start, d.span.end), "'glorotUniform'");
  assert.equal(d.related.length, 1);
  assert.equal(text.slice(d.related[0].span.start, d.related[0].span.end), "'relu'");
  assert.equal(d.related[0].message, 'the relu activation of dense (layer 1)');
});

test('every example: diagnostics line up with findings and related spans lie in the text', () => {
  for (const name of exampleFiles()) {
    const { text, report } = check(name);
    const data = diagnosticsOf(report, REPOSITORY);
    assert.equal(data.filter((d) => d.ruleId).length, report.findings.length, name);
    for (const d of data) {
      assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, name);
      for (const r of d.related) assert.ok(r.span.start >= 0 && r.span.end <= text.length, name);
    }
  }
});

test('analysis problems become one information diagnostic at the first located problem', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }));
model.add(tf.layers.dense({ units: 256, activation: 'relu' ));
model.add(tf.layers.dense({ units: 10 }));
`;
  const report = checkSource(text);
  assert.ok(report.problems.length >= 1);
  const p = problemDiagnostic(report)!;
  assert.equal(p.severity, 'info');
  assert.equal(p.ruleId, undefined);
  assert.match(p.message, /^InitLens analyzed this file only in part: Syntax error: ',' expected\./);
  assert.equal(text.slice(p.span.start, p.span.end), ')');
  const all = diagnosticsOf(report, REPOSITORY);
  assert.equal(all.filter((d) => !d.ruleId).length, 1);
  assert.equal(problemDiagnostic({ file: 'x.ts', models: [], findings: [], problems: [] }), undefined);
  const many = problemDiagnostic({ file: 'x.ts', models: [], findings: [], problems: [{ message: 'a' }, { message: 'b' }, { message: 'c' }] })!;
  assert.equal(many.message, 'InitLens analyzed this file only in part: a (and 2 more problems: see the InitLens output)');
  assert.deepEqual(many.span, { start: 0, end: 0 });
});

test('samePositionedDiagnostics: equal after typing within a line, different after a new line or another finding', async () => {
  const { positionedDiagnostics, samePositionedDiagnostics } = await import('../../src/extension/logic/check');
  const { text } = check('mnist-mlp-default-init.ts');
  const positioned = (t: string) => positionedDiagnostics(diagnosticsOf(checkSource(t, 'mnist-mlp-default-init.ts'), REPOSITORY), t);
  const base = positioned(text);
  assert.ok(base.length > 5);
  assert.ok(samePositionedDiagnostics(base, positioned(text.replace('\n', 'typed within the first line\n'))));
  assert.ok(!samePositionedDiagnostics(base, positioned(text.replace('\n', '\n\n'))), 'a new line moves the diagnostics below it');
  assert.ok(!samePositionedDiagnostics(base, positioned(text.replace("units: 256, activation: 'relu'", "units: 128, activation: 'relu'"))), 'other numbers');
  assert.ok(!samePositionedDiagnostics(base, base.slice(1)));
  const relatedMoved = base.map((d) => (d.related.length ? { ...d, related: d.related.map((r, i) => (i === 0 ? { ...r, range: { ...r.range, end: { ...r.range.end, character: r.range.end.character + 1 } } } : r)) } : d));
  assert.ok(!samePositionedDiagnostics(base, relatedMoved), 'related information moved');
  assert.ok(!samePositionedDiagnostics(base, base.map((d, i) => (i === 0 ? { ...d, tags: ['unnecessary' as const] } : d))), 'tags');
});
