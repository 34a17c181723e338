import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TF, analyze, at, kinds, one, sizes } from './helpers';

test('variables + matMul + bias + relu chain: a model of dense layers', () => {
  const src = `${TF}const w1 = tf.variable(tf.randomNormal([784, 256], 0, 0.01));
const b1 = tf.variable(tf.zeros([256]));
const w2 = tf.variable(tf.randomUniform([256, 10], -0.05, 0.05));
function predict(x: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const h = tf.relu(tf.matMul(x, w1).add(b1));
    return h.matMul(w2).softmax();
  });
}`;
  const m = one(src);
  assert.equal(m.name, 'predict');
  assert.deepEqual(kinds(m), ['dense', 'dense']);
  assert.deepEqual(sizes(m), [[784, 256], [256, 10]]);
  const [a, b] = m.layers;
  assert.deepEqual([a.kernel?.id, a.kernel?.form, a.kernel?.args], ['randomNormal', 'call', { mean: 0, stddev: 0.01 }]);
  assert.equal(at(src, a.kernel?.span), 'tf.randomNormal([784, 256], 0, 0.01)');
  assert.equal(at(src, a.kernel?.nameSpan), 'randomNormal');
  assert.deepEqual([a.useBias, a.bias?.id, a.bias?.args], [true, 'zeros', { value: 0 }]);
  assert.equal(a.activation?.id, 'relu');
  assert.deepEqual([b.kernel?.id, b.kernel?.args], ['randomUniform', { minval: -0.05, maxval: 0.05 }]);
  assert.deepEqual([b.useBias, b.activation?.id], [false, 'softmax']);
  assert.deepEqual(b.inputs, [0]);
});

test('core defaults: randomNormal std 1, truncatedNormal, ones, fill; scaling by mul/div', () => {
  const m = one(`${TF}const ws = [
  tf.variable(tf.truncatedNormal([8, 8])),
  tf.variable(tf.randomNormal([8, 8]).mul(Math.sqrt(2 / 8))),
  tf.variable(tf.mul(tf.randomUniform([8, 4]), 0.1)),
  tf.variable(tf.ones([4, 2])),
];
export function forward(x: tf.Tensor) {
  let h = x;
  for (const w of ws) h = h.matMul(w).relu();
  return h;
}`);
  assert.deepEqual(m.layers.map((l) => [l.kernel?.id, l.kernel?.args]), [
    ['truncatedNormal', { mean: 0, stddev: 1 }],
    ['randomNormal', { mean: 0, stddev: Math.sqrt(2 / 8) }],
    ['randomUniform', { minval: 0, maxval: 0.1 }],
    ['ones', { value: 1 }],
  ]);
  assert.ok(m.layers.every((l) => l.activation?.id === 'relu'));
});

test('core activation ops: tf.leakyRelu defaults to 0.2, separate activation nodes after an activation', () => {
  const m = one(`${TF}const w = tf.variable(tf.randomNormal([4, 4], 0, 0.5));
export function f(x: tf.Tensor) { return tf.sigmoid(tf.leakyRelu(x.matMul(w))); }`);
  assert.deepEqual(kinds(m), ['dense', 'activation']);
  assert.deepEqual([m.layers[0].activation?.id, m.layers[0].activation?.alpha], ['leakyRelu', 0.2]);
  assert.equal(m.layers[1].activation?.id, 'sigmoid');
  assert.deepEqual([m.layers[1].inFeatures, m.layers[1].outFeatures], [4, 4]);
});

test('transposeB swaps the fans; seed 0 of randomNormal is a falsy argument', () => {
  const m = one(`${TF}const w = tf.variable(tf.randomNormal([10, 3], 0, 0.1, 'float32', 0));
export const f = (x: tf.Tensor) => tf.matMul(x, w, false, true);`);
  assert.deepEqual(sizes(m), [[3, 10]]);
  assert.deepEqual(m.layers[0].kernel?.falsyArgs.map((a) => a.name), ['seed']);
  assert.equal(m.name, 'f');
});

test('matMul without known weights is not a model; unmodeled ops become unknown nodes', () => {
  assert.deepEqual(analyze(`${TF}export const g = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b);`).models, []);
  const m = one(`${TF}const w = tf.variable(tf.randomNormal([2, 2]));
export function h(x: tf.Tensor) { return x.matMul(w).mul(3).relu(); }`);
  assert.deepEqual(kinds(m), ['dense', 'unknown', 'activation']);
});
