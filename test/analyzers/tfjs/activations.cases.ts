import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TF, analyze, at, one } from './helpers';

test('fused activations resolve through the tfjs table; spans and text', () => {
  const src = `${TF}const model = tf.sequential({layers: [
  tf.layers.dense({units: 4, inputShape: [3], activation: 'relu'}),
  tf.layers.dense({units: 4, activation: "swish"}),
  tf.layers.dense({units: 4, activation: 'gelu_new'}),
  tf.layers.dense({units: 4, activation: 'elu'}),
  tf.layers.dense({units: 4, activation: {className: 'tanh', config: {}} as any}),
]});`;
  const m = one(src);
  assert.deepEqual(m.layers.map((l) => [l.activation?.id, l.activation?.explicit]), [
    ['relu', true], ['silu', true], ['geluTanh', true], ['elu', true], ['tanh', true],
  ]);
  assert.equal(m.layers[3].activation?.alpha, 1);
  assert.equal(at(src, m.layers[0].activation?.span), "'relu'");
  assert.equal(m.layers[0].activation?.text, "'relu'");
});

test('unknown activation strings: id undefined and a problem (tfjs throws)', () => {
  const r = analyze(`${TF}const model = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [3], activation: 'leakyRelu'}), tf.layers.dense({units: 1, activation: 'hard_sigmoid'})]});`);
  assert.deepEqual(r.models[0].layers.map((l) => [l.activation?.id, l.activation?.explicit]), [[undefined, true], [undefined, true]]);
  assert.equal(r.problems.filter((p) => p.message.includes('Unknown activation')).length, 2);
});

test('absent activation: linear (not explicit) for dense and conv; RNN defaults tanh / hardSigmoid', () => {
  const m = one(`${TF}const model = tf.sequential({layers: [
  tf.layers.conv1d({filters: 2, kernelSize: 1, inputShape: [5, 2]}),
  tf.layers.gru({units: 3}),
  tf.layers.dense({units: 1}),
]});`);
  assert.deepEqual(m.layers[0].activation, { id: 'linear', explicit: false });
  assert.deepEqual(m.layers[1].activation, { id: 'tanh', explicit: false });
  assert.deepEqual(m.layers[1].recurrentActivation, { id: 'hardSigmoid', explicit: false });
  assert.deepEqual(m.layers[2].activation, { id: 'linear', explicit: false });
});

test('explicit recurrentActivation and unresolvable activations', () => {
  const m = one(`${TF}export function f(act: string) { return tf.sequential({layers: [
  tf.layers.lstm({units: 3, inputShape: [2, 2], recurrentActivation: 'sigmoid'}),
  tf.layers.dense({units: 1, activation: act as any}),
]}); }`);
  assert.deepEqual([m.layers[0].recurrentActivation?.id, m.layers[0].recurrentActivation?.explicit], ['sigmoid', true]);
  assert.deepEqual([m.layers[1].activation?.id, m.layers[1].activation?.explicit], [undefined, true]);
});
