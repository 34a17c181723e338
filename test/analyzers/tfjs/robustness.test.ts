import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LIMITS } from '../../../src/analyzers/tfjs/interpreter';
import { TF, analyze, kinds, one } from './helpers';

test('half-typed code: the parser recovers, what can be read is described, syntax errors are problems', () => {
  const r = analyze(`${TF}const model = tf.sequential();\nmodel.add(tf.layers.dense({units: 6`);
  assert.equal(r.models.length, 1);
  assert.ok(r.problems.some((p) => p.message.startsWith('Syntax error')));
  const r2 = analyze(`${TF}const model = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]}), tf.layers.dense({units: })]});`);
  assert.equal(r2.models[0].layers.length, 2);
  assert.equal(r2.models[0].layers[1].outFeatures, undefined);
  const r3 = analyze(`${TF}const = ; model.add(( ; tf.layers.dense({units: 2}) }}}} function (`);
  assert.ok(r3.problems.length > 0);
});

test('a 10,000-nested-parentheses expression', () => {
  const deep = '('.repeat(10000) + '1' + ')'.repeat(10000);
  const t0 = performance.now();
  const r = analyze(`${TF}const x = ${deep};\nconst model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [2]})]});`);
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(r.models.length, 1);
  assert.deepEqual(kinds(r.models[0]), ['dense']);
  assert.ok(r.problems.some((p) => p.message.includes('nested too deeply')));
  // Deep arrays and a long binary chain (deep on the left, no brackets).
  const r2 = analyze(`${TF}const a = ${'['.repeat(5000)}${']'.repeat(5000)};\nconst b = 1${' + 1'.repeat(20000)};\nconst model = tf.sequential({layers: [tf.layers.dense({units: b > 0 ? 3 : 2, inputShape: [2]})]});`);
  assert.equal(r2.models.length, 1);
});

test('cyclic variable references', () => {
  const m = one(`${TF}const a: any = b;\nconst b: any = a;\nconst model = tf.sequential({layers: [tf.layers.dense({units: a, inputShape: [b]})]});`);
  assert.deepEqual([m.layers[0].inFeatures, m.layers[0].outFeatures], [undefined, undefined]);
  const o = one(`${TF}const cfg: any = {units: 4};\ncfg.self = cfg;\ncfg.inputShape = [cfg.self.self.units];\nconst model = tf.sequential({layers: [tf.layers.dense(cfg)]});`);
  assert.equal(o.layers[0].inFeatures, 4);
});

test('a recursive helper is followed up to the depth cap, then unknown', () => {
  const m = one(`${TF}function stack(n: number): tf.layers.Layer[] {
  if (n === 0) return [];
  return [tf.layers.dense({units: 8}), ...stack(n - 1)];
}
function forever(n: number): any { return forever(n + 1); }
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [8]}), ...stack(3), forever(0)]});`);
  assert.deepEqual(kinds(m), ['dense', 'dense', 'dense', 'dense', 'unknown']);
  assert.ok(m.notes.some((n) => n.includes(`deeper than ${LIMITS.callDepth}`)), m.notes.join('|'));
});

test('loops with a huge constant bound are capped, non-constant bounds analyzed once, both with a note', () => {
  const big = one(`${TF}const model = tf.sequential();\nmodel.add(tf.layers.dense({units: 4, inputShape: [4]}));\nfor (let i = 0; i < 1e9; i++) model.add(tf.layers.dense({units: 4}));`);
  assert.equal(big.layers.length, 1 + LIMITS.loopIterations);
  assert.ok(big.notes.some((n) => n.includes('first 1,000 iterations')), big.notes.join('|'));
  const unk = one(`${TF}export function build(depth: number) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 4, inputShape: [4]}));
  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({units: 4 * (i + 1)}));
  return model;
}`);
  assert.equal(unk.layers.length, 2);
  assert.equal(unk.layers[1].outFeatures, undefined);
  assert.ok(unk.notes.some((n) => n.includes('not a constant')), unk.notes.join('|'));
  const w = one(`${TF}const model = tf.sequential();\nwhile (true) { model.add(tf.layers.dropout({rate: 0.1})); }`);
  assert.equal(w.layers.length, LIMITS.loopIterations);
});

test('100,000 layers generated in loops: capped per model, with a note', () => {
  const t0 = performance.now();
  const r = analyze(`${TF}const model = tf.sequential();
model.add(tf.layers.dense({units: 2, inputShape: [2]}));
for (let i = 0; i < 100; i++) {
  for (let j = 0; j < 1000; j++) model.add(tf.layers.dense({units: 2}));
}`);
  const ms = performance.now() - t0;
  const m = r.models[0];
  assert.equal(m.layers.length, LIMITS.layersPerModel);
  assert.ok(m.notes.some((n) => n.includes('more than 10,000 layers')), m.notes.join('|'));
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('never throws on garbage and random token soup', () => {
  const tokens = ['tf', '.', 'layers', 'dense', 'sequential', '(', ')', '{', '}', '[', ']', 'units', ':', '4', ',', 'const', 'x', '=', ';', 'for', 'if',
    '...', '=>', 'model', 'add', 'apply', 'input', 'new', 'function', 'return', 'while', 'kernelInitializer', "'heNormal'", 'initializers', 'matMul', 'variable', '?', '??', '!'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 80 }), (parts) => {
      const r = analyze(`${TF}${parts.join(' ')}`);
      assert.ok(Array.isArray(r.models) && Array.isArray(r.problems));
    }),
    { numRuns: 300, seed: 42 },
  );
  for (const s of ['\u0000\uffff', '`${', '/*', '<div>', 'tf.'.repeat(10000)]) analyze(s);
  assert.doesNotThrow(() => analyze('function f(tf) { return tf.sequential({layers: [tf.layers.dense()]}); }', 'x.jsx'));
});

// Speed is measured in bench/lint-latency.ts (npm run bench), never as a timed test on a shared machine.
test('a 1,000-line file of 140 model builders is analyzed completely (no work cap hit)', () => {
  const lines = [TF];
  for (let i = 0; lines.length < 1000; i++) {
    lines.push(
      `export function build${i}(units = 64) {`,
      '  const model = tf.sequential();',
      `  model.add(tf.layers.dense({units, inputShape: [${i + 4}], activation: 'relu', kernelInitializer: 'heUniform'}));`,
      '  for (let j = 0; j < 3; j++) model.add(tf.layers.dense({units: units >> j, activation: "relu"}));',
      '  model.add(tf.layers.dense({units: 1}));',
      '  return model;',
      '}',
    );
  }
  const text = lines.join('\n');
  const r = analyze(text);
  assert.ok(r.models.length > 100);
  assert.ok(r.models.every((m) => m.layers.length === 5), 'every builder unrolled');
  assert.deepEqual(r.models.flatMap((m) => m.notes).filter((n) => /cap|limit/i.test(n)), []);
});

test('a loop of exactly the cap is not reported as capped', () => {
  const m = one(`${TF}const model = tf.sequential();\nfor (let i = 0; i < ${LIMITS.loopIterations}; i++) model.add(tf.layers.dense({units: 2, inputShape: [2]}));`);
  assert.equal(m.layers.length, LIMITS.loopIterations);
  assert.deepEqual(m.notes, []);
});

test('a recursive function adding layers stops at the depth cap and says so', () => {
  const m = one(`${TF}const model = tf.sequential();
model.add(tf.layers.dense({units: 4, inputShape: [4]}));
function addBlocks(m: tf.Sequential, n: number): void {
  if (n === 0) return;
  m.add(tf.layers.dense({units: 4}));
  addBlocks(m, n - 1);
}
addBlocks(model, 100);`);
  assert.equal(m.layers.length, 1 + LIMITS.callDepth);
  assert.ok(m.notes.some((n) => n.includes('recursion')), m.notes.join('|'));
});

test('a half-typed doc comment that sends TypeScript 6.0.2 into an endless loop (TypeScript#63580) is checked', async () => {
  // Found by `npm run fuzz` (a prefix of examples/random-normal-wide.js): the doc comment is cut two characters after
  // a '-'. A loop cannot be interrupted on its own thread: the checks run in a child process with a time limit.
  const { spawnSync } = await import('node:child_process');
  const texts = [`${TF}/**\n * @param {tf.Tensor2D} labels one-ho`, `${TF}/**a-*/\nconst model = tf.sequential();`];
  const script = `const { checkText } = require('./src/engine/check');
for (const t of ${JSON.stringify(texts)}) process.stdout.write(JSON.stringify(checkText(t, 'm.js').problems.map((p) => p.message)) + '\\n');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: new URL('../../..', import.meta.url).pathname, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined, 'the checks returned');
  const [first, second] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as string[]);
  assert.ok(first.some((m) => /Syntax error/.test(m)), 'the unterminated comment is a syntax error');
  assert.deepEqual(second, []);
});
