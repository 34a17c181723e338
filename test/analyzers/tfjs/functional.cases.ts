import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TF, analyze, at, kinds, one, sizes } from './helpers';

test('functional API: tf.input, apply chains, tf.model', () => {
  const src = `${TF}const x = tf.input({shape: [32]});
const h = tf.layers.dense({units: 64, activation: 'relu'}).apply(x) as tf.SymbolicTensor;
const y = tf.layers.dense({units: 3, activation: 'softmax'}).apply(h) as tf.SymbolicTensor;
const model = tf.model({inputs: x, outputs: y});`;
  const m = one(src);
  assert.equal(m.name, 'model');
  assert.deepEqual(kinds(m), ['input', 'dense', 'dense']);
  assert.deepEqual(m.layers[0].inputShape, [32]);
  assert.equal(at(src, m.layers[0].span), 'tf.input({shape: [32]})');
  assert.deepEqual(m.layers.map((l) => l.inputs), [[], [0], [1]]);
  assert.deepEqual(sizes(m).slice(1), [[32, 64], [64, 3]]);
  assert.deepEqual(m.outputs, [2]);
});

test('a real DAG: add and concatenate with two inputs, topological order', () => {
  const m = one(`${TF}const inp = tf.input({batchShape: [null, 16]});
const a = tf.layers.dense({units: 8, activation: 'relu'}).apply(inp);
const b = tf.layers.dense({units: 8}).apply(inp);
const s = tf.layers.add().apply([a, b] as tf.SymbolicTensor[]);
const c = tf.layers.concatenate().apply([a, s] as tf.SymbolicTensor[]);
const out = tf.layers.dense({units: 1}).apply(c) as tf.SymbolicTensor;
export const net = tf.model({inputs: inp, outputs: out});`);
  assert.deepEqual(kinds(m), ['input', 'dense', 'dense', 'add', 'concatenate', 'dense']);
  const add = m.layers[3];
  assert.deepEqual(add.inputs, [1, 2]);
  assert.deepEqual(m.layers[4].inputs, [1, 3]);
  assert.equal(m.layers[4].outFeatures, 16);
  assert.equal(m.layers[5].inFeatures, 16);
  for (const l of m.layers) for (const i of l.inputs) assert.ok(i < l.index, 'topological order');
});

test('multiple inputs and outputs; unreachable layers are left out', () => {
  const m = one(`${TF}const a = tf.input({shape: [4]});
const b = tf.input({shape: [6]});
const unused = tf.layers.dense({units: 99}).apply(a);
const j = tf.layers.concatenate({axis: -1}).apply([a, b]) as tf.SymbolicTensor;
const o1 = tf.layers.dense({units: 1, activation: 'sigmoid'}).apply(j) as tf.SymbolicTensor;
const o2 = tf.layers.dense({units: 5}).apply(j) as tf.SymbolicTensor;
const model = tf.model({inputs: [a, b], outputs: [o1, o2]});`);
  assert.deepEqual(kinds(m), ['input', 'input', 'concatenate', 'dense', 'dense']);
  assert.equal(m.layers[2].outFeatures, 10);
  assert.deepEqual(m.outputs, [3, 4]);
});

test('a layer object applied twice (shared weights) gives two nodes', () => {
  const m = one(`${TF}const x = tf.input({shape: [8]});
const shared = tf.layers.dense({units: 8, activation: 'relu'});
const y = shared.apply(shared.apply(x)) as tf.SymbolicTensor;
const model = tf.model({inputs: x, outputs: y});`);
  assert.deepEqual(kinds(m), ['input', 'dense', 'dense']);
  assert.deepEqual(m.layers[1].span, m.layers[2].span);
  assert.equal(m.layers[1].name, 'shared');
});

test('eager apply on a concrete tensor is not a model', () => {
  const r = analyze(`${TF}const out = tf.layers.dense({units: 4}).apply(tf.ones([2, 8]));`);
  assert.deepEqual(r.models, []);
});

test('functional graph built in a helper and in a loop', () => {
  const m = one(`${TF}function resBlock(x: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
  const h = tf.layers.dense({units, activation: 'relu', kernelInitializer: 'heUniform'}).apply(x) as tf.SymbolicTensor;
  const h2 = tf.layers.dense({units}).apply(h) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, h2]) as tf.SymbolicTensor;
}
const input = tf.input({shape: [64]});
let x = input;
for (let i = 0; i < 2; i++) x = resBlock(x, 64);
const model = tf.model({inputs: input, outputs: x});`);
  assert.deepEqual(kinds(m), ['input', 'dense', 'dense', 'add', 'dense', 'dense', 'add']);
  assert.deepEqual(m.layers[3].inputs, [0, 2]);
  assert.deepEqual(m.layers[6].inputs, [3, 5]);
});

test('a nested model applied as a layer is an unknown node', () => {
  const r = analyze(`${TF}const x = tf.input({shape: [8]});
const z = tf.layers.dense({units: 4}).apply(x) as tf.SymbolicTensor;
const sub = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [4]})]});
const y = sub.apply(z) as tf.SymbolicTensor;
const model = tf.model({inputs: x, outputs: y});`);
  assert.deepEqual(r.models.map((m) => m.name), ['sub', 'model']);
  const m = r.models[1];
  assert.deepEqual(kinds(m), ['input', 'dense', 'unknown']);
  assert.equal(m.layers[2].op, 'model');
});
